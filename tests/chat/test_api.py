"""The widget's customer API through the test client: what a visitor's widget calls, the happy paths and
every refusal (always the project's error body), and that a session reads only its own conversation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gezien.accounts.models import User
from gezien.chat.models import ChatSession, ChatWidget
from gezien.contacts import services as contact_services
from gezien.contacts.models import Attachment, Author, Channel, Contact, Message, MessageKind, Recognition
from gezien.mail.models import Mailbox, OutgoingMail
from tests.attachment_data import EXE, PNG
from tests.chat.conftest import Visitor


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    (detail,) = response.body["detail"]
    assert set(detail) == {"loc", "msg", "type"} and detail["msg"]
    return detail


def test_config_names_the_widget_and_its_limits(visitor: Visitor, widget: ChatWidget) -> None:
    response = visitor.call("get", f"/{widget.key}/config?lang=en")
    assert response.status_code == 200
    body = response.body
    assert body["name"] == "Winkel"
    assert body["languages"] == ["nl", "en"]
    assert body["greeting"] == "Hello! How can we help you?"
    assert body["max_message_chars"] == widget.max_message_chars
    assert body["max_file_bytes"] == widget.max_file_bytes
    assert "image/png" in body["accept"] and "text/html" not in body["accept"]
    assert isinstance(body["open"], bool) and isinstance(body["agents_available"], bool)
    assert body["expected_reply"]


def test_unknown_or_inactive_widget_is_404(visitor: Visitor, widget: ChatWidget) -> None:
    _error(visitor.call("get", "/geen-widget/config"), 404)
    widget.active = False
    widget.save()
    _error(visitor.call("get", f"/{widget.key}/config"), 404)
    _error(visitor.call("post", f"/{widget.key}/sessions", {"language": "nl"}), 404)


def test_a_chat_from_first_message_to_agent_reply(visitor: Visitor, agent: User) -> None:
    started = visitor.start(name="Piet Bakker")
    assert started.status_code == 201
    assert started.body["conversation"] is None
    token = started.body["token"]
    assert len(token) >= 40
    session = ChatSession.objects.get()
    assert session.token_hash != token and token not in session.token_hash  # only its hash is kept

    assert visitor.call("get", "/messages").body == {
        "messages": [],
        "agent": None,
        "status": None,
        "read_up_to": 0,
        "survey_url": None,
    }
    sent = visitor.say("Mijn internet doet het niet sinds vanmorgen.")
    assert sent.status_code == 201
    message = sent.body["message"]
    assert message["from"] == "customer" and message["name"] == "Piet Bakker"
    assert message["text"] == "Mijn internet doet het niet sinds vanmorgen."
    contact = Contact.objects.get()
    assert contact.channel == Channel.CHAT and contact.status == "open"
    assert message["id"] == Message.objects.get().pk

    second = visitor.say("Het lampje knippert oranje.")
    assert second.status_code == 201
    assert Contact.objects.count() == 1 and contact.messages.count() == 2

    reply = contact_services.message_add(
        contact=contact, author=Author.AGENT, agent=agent, text="Ik kijk mee!"
    )
    contact_services.message_add(
        contact=contact, author=Author.AGENT, agent=agent, kind=MessageKind.NOTE, text="intern: storing?"
    )
    listed = visitor.call("get", f"/messages?after={second.body['message']['id']}")
    assert listed.status_code == 200
    assert [(m["from"], m["text"], m["name"]) for m in listed.body["messages"]] == [
        ("agent", "Ik kijk mee!", "Sanne de Vries")
    ]  # never the note
    assert listed.body["agent"] == {"name": "Sanne de Vries"}
    assert listed.body["status"] == "open"
    assert reply.delivery.status == "sent" and reply.delivery.channel == "chat"

    assert visitor.call("post", "/read", {"up_to": reply.pk}).status_code == 204
    assert ChatSession.objects.get().customer_read_up_to == reply.pk
    assert visitor.call("post", "/typing").status_code == 204

    closed = visitor.call("post", "/close")
    assert closed.status_code == 200
    assert closed.body == {"conversation": {"id": contact.pk, "status": "closed", "survey_url": None}}
    assert Contact.objects.get().status == "closed"


def test_without_or_with_a_wrong_token_is_401(visitor: Visitor) -> None:
    for method, path, body in [
        ("post", "/messages", {"text": "hoi"}),
        ("get", "/messages", None),
        ("post", "/typing", None),
        ("post", "/close", None),
        ("get", "/attachments/1", None),
    ]:
        detail = _error(visitor.call(method, path, body), 401)
        assert detail["type"] == "Unauthenticated"
    visitor.token = "verzonnen-token"
    _error(visitor.say("hoi"), 401)
    assert not Contact.objects.exists()


def test_bad_input_is_refused_with_the_error_body(visitor: Visitor, widget: ChatWidget) -> None:
    _error(visitor.call("post", f"/{widget.key}/sessions", {"language": "de"}), 422)
    _error(visitor.call("post", f"/{widget.key}/sessions", {"email": "geen-adres"}), 422)
    visitor.start()
    _error(visitor.say("   "), 422)
    _error(visitor.say("nul\x00teken"), 422)
    misspelt = visitor.call("post", "/messages", {"tekst": "hoi"})  # `text` missing, `tekst` unknown
    assert misspelt.status_code == 422
    assert sorted(e["loc"][-1] for e in misspelt.body["detail"]) == ["tekst", "text"]
    bad_json = visitor.client.post(
        "/widget/api/v1/messages", data="{niet json", content_type="application/json", **visitor.headers()
    )
    assert bad_json.status_code == 400 and bad_json.json()["detail"][0]["type"] == "ParseError"
    wrong_method = visitor.call("delete", "/messages")
    assert wrong_method.status_code == 405 and wrong_method.body["detail"]
    _error(visitor.call("post", "/read", {"up_to": -1}), 422)
    assert not Contact.objects.exists()  # nothing half-written


def test_a_message_over_the_widget_limit_is_413_and_not_stored(visitor: Visitor, widget: ChatWidget) -> None:
    widget.max_message_chars = 50
    widget.save()
    visitor.start()
    detail = _error(visitor.say("x" * 51), 413)
    assert detail["loc"] == ["body", "text"]
    assert not Message.objects.exists()
    assert visitor.say("x" * 50).status_code == 201


def test_a_picture_is_sent_and_downloaded_by_its_own_session_only(
    visitor: Visitor, widget: ChatWidget, attachment_files: Any
) -> None:
    visitor.start(name="Piet")
    upload = SimpleUploadedFile("modem.png", PNG, content_type="image/png")
    sent = visitor.client.post(
        "/widget/api/v1/attachments", {"file": upload, "text": "Zo ziet het eruit"}, **visitor.headers()
    )
    assert sent.status_code == 201, sent.content
    message = sent.json()["message"]
    assert message["text"] == "Zo ziet het eruit"
    (attachment,) = message["attachments"]
    assert attachment["name"] == "modem.png" and attachment["content_type"] == "image/png"
    assert attachment["size"] == len(PNG)
    assert attachment["url"] == f"/widget/api/v1/attachments/{attachment['id']}"

    download = visitor.client.get(f"{attachment['url']}?token={visitor.token}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment")

    other = Visitor(widget)
    other.start(name="Iemand anders")
    other.say("Ik ben iemand anders")
    path = attachment["url"].removeprefix("/widget/api/v1")
    _error(other.call("get", path), 404)  # not its conversation: it does not exist for it
    _error(other.call("get", "/niets/hier"), 404)  # an unknown path under the API: the same JSON 404
    assert other.call("get", "/messages").body["messages"][0]["text"] == "Ik ben iemand anders"


def test_a_file_too_big_or_of_a_refused_kind(
    visitor: Visitor, widget: ChatWidget, attachment_files: Any
) -> None:
    widget.max_file_bytes = 100
    widget.save()
    visitor.start()
    big = SimpleUploadedFile("groot.png", PNG + b"\x00" * 200, content_type="image/png")
    response = visitor.client.post("/widget/api/v1/attachments", {"file": big}, **visitor.headers())
    assert response.status_code == 413 and response.json()["detail"][0]["loc"] == ["body", "file"]
    program = SimpleUploadedFile("factuur.png", EXE, content_type="image/png")
    response = visitor.client.post("/widget/api/v1/attachments", {"file": program}, **visitor.headers())
    assert response.status_code == 422
    response = visitor.client.post("/widget/api/v1/attachments", {"text": "zonder"}, **visitor.headers())
    assert response.status_code == 422
    assert not Attachment.objects.exists() and not Contact.objects.exists()


def test_a_session_reads_only_its_own_conversation(widget: ChatWidget, agent: User) -> None:
    annie, bert = Visitor(widget), Visitor(widget)
    annie.start(name="Annie")
    bert.start(name="Bert")
    annie.say("Annie's geheim")
    bert.say("Bert vraagt iets")
    annie_contact = ChatSession.objects.get(name="Annie").contact
    assert annie_contact is not None
    contact_services.message_add(contact=annie_contact, author=Author.AGENT, agent=agent, text="Voor Annie")

    assert [m["text"] for m in bert.call("get", "/messages").body["messages"]] == ["Bert vraagt iets"]
    assert [m["text"] for m in annie.call("get", "/messages").body["messages"]] == [
        "Annie's geheim",
        "Voor Annie",
    ]
    # Bert cannot read Annie's messages by id, mark them read or close her chat.
    assert bert.call("get", "/messages?after=0").body["messages"][0]["text"] == "Bert vraagt iets"
    _error(bert.call("post", "/read", {"up_to": annie_contact.messages.first().pk}), 422)
    bert.call("post", "/close")
    assert Contact.objects.get(pk=annie_contact.pk).status == "open"


def test_the_transcript_is_mailed_through_the_widgets_mailbox(
    visitor: Visitor, widget: ChatWidget, agent: User, tmp_path: Any
) -> None:
    mailbox = Mailbox.objects.create(
        name="chat", address="chat@winkel.example", smtp_url=f"file://{tmp_path}/uit"
    )
    widget.mailbox = mailbox
    widget.save()
    visitor.start(name="Piet", email="piet@example.nl")
    _error(visitor.call("post", "/transcript", {}), 409)  # nothing to mail yet
    visitor.say("Wanneer komt de monteur?")
    contact = Contact.objects.get()
    contact_services.message_add(contact=contact, author=Author.AGENT, agent=agent, text="Morgen om 10 uur.")
    response = visitor.call("post", "/transcript", {})
    assert response.status_code == 202
    mail = OutgoingMail.objects.get()
    assert mail.mailbox == mailbox and mail.to_address == "piet@example.nl"
    assert "Wanneer komt de monteur?" in mail.message.text and "Morgen om 10 uur." in mail.message.text
    assert mail.message.author == Author.SYSTEM
    assert visitor.call("post", "/transcript", {"email": "ander@example.nl"}).status_code == 202
    assert OutgoingMail.objects.filter(to_address="ander@example.nl").exists()
    # The transcript, a system message, is not shown in the widget as a message of the chat.
    assert [m["from"] for m in visitor.call("get", "/messages").body["messages"]] == ["customer", "agent"]
    _error(visitor.call("post", "/transcript", {"email": "geen adres"}), 422)


def test_a_typed_email_is_kept_but_recognises_nobody(visitor: Visitor, customer: Any) -> None:
    visitor.start(name="Annie", email="a.jansen@ziggo.nl")  # the customer's address, but unproven
    visitor.say("Hoi, met Annie")
    contact = Contact.objects.get()
    assert contact.recognition == Recognition.UNIDENTIFIED and contact.customer is None
    assert (contact.identity_kind, contact.identity_value) == ("email", "a.jansen@ziggo.nl")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_errors_speak_the_visitors_language(visitor: Visitor, language: str) -> None:
    visitor.start(language=language)
    response = visitor.call("post", "/messages", {"text": " "}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 422
    msg = response.body["detail"][0]["msg"]
    assert msg == ("Het bericht is leeg." if language == "nl" else "The message is empty.")
