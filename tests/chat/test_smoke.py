from __future__ import annotations

from gezien.contacts.models import Contact
from tests.chat.conftest import Visitor


def test_a_visitor_chats(visitor: Visitor) -> None:
    config = visitor.call("get", f"/{visitor.widget.key}/config")
    assert config.status_code == 200, config.content
    started = visitor.start(name="Piet")
    assert started.status_code == 201, started.content
    sent = visitor.say("Hallo, mijn internet doet het niet")
    assert sent.status_code == 201, sent.content
    contact = Contact.objects.get()
    assert contact.channel == "chat"
    listed = visitor.call("get", "/messages")
    assert listed.status_code == 200, listed.content
    print(listed.body, config.body, sent.body)
