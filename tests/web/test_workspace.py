"""The workspace around a contact (issue 15): the queue pane, the picker, the one status control that asks
before closing a contact nobody answered, and the agent's messages without customer signals."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from gezien.contacts.models import Contact, MessageSignals, Status
from gezien.contacts.services import contact_open, message_add
from gezien.knowledge.services import article_create
from gezien.replies.services import macro_create


def _open(text: str = "Waar blijft mijn pakket?", phone: str = "0612345678") -> Contact:
    return contact_open(channel="chat", identities=[("phone", phone)], text=text).contact


def test_the_contact_page_is_three_panes_with_the_queue_loaded_on_its_own(desk: Client, customer) -> None:
    contact = _open()
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    live = f'data-live-url="/live/desk/?contact={contact.pk}"'
    assert f'<div class="workspace" data-contact-id="{contact.pk}" {live}' in page
    assert 'id="queue-pane"' in page and f'hx-get="/werkruimte/wachtrij/?current={contact.pk}"' in page
    assert (
        '<ol class="thread" id="thread"' in page and f'data-message-id="{contact.messages.get().pk}"' in page
    )
    assert 'id="composer"' in page and 'id="collision"' in page
    # One status control on the page; the standard replies are not listed inline.
    assert page.count('name="status"') == 2  # the control, and the close confirmation's hidden field
    assert page.count("Status opslaan") == 1
    assert 'data-testid="macro-picker"' not in page and 'data-testid="macro"' not in page


def test_the_queue_pane_lists_the_waiting_with_unread_badges_and_filters(
    desk: Client, agent, customer
) -> None:
    answered = _open("Eerste vraag")
    message_add(contact=answered, author="agent", agent=agent, text="Ik kijk het na.", status_after="open")
    message_add(contact=answered, author="customer", text="Nog iets")
    waiting = _open("Hallo?", phone="0201234567")
    message_add(contact=waiting, author="customer", text="Hallo??")
    Contact.objects.filter(pk=waiting.pk).update(assigned_agent=agent)
    Contact.objects.filter(pk=answered.pk).update(assigned_agent=None)  # handed back to the queue
    pane = desk.get(f"/werkruimte/wachtrij/?current={waiting.pk}").content.decode()
    assert f'data-contact-id="{answered.pk}" href="/desk/contacts/{answered.pk}/"' in pane
    item = pane.split(f'data-contact-id="{waiting.pk}"')[1].split("</a>")[0]
    assert 'aria-current="page"' in item
    assert 'title="Berichten van de klant zonder antwoord">2</span>' in item and "badge-unread" in item
    other = pane.split(f'data-contact-id="{answered.pk}"')[1].split("</a>")[0]
    assert ">1</span>" in other  # one customer message since the agent's reply
    mine = desk.get("/werkruimte/wachtrij/?scope=mine").content.decode()
    assert f'data-contact-id="{waiting.pk}"' in mine and f'data-contact-id="{answered.pk}"' not in mine
    free = desk.get("/werkruimte/wachtrij/?scope=free&channel=email").content.decode()
    assert "data-contact-id" not in free and "Niemand wacht" in free  # both are chats
    assert desk.get("/werkruimte/wachtrij/?scope=%00&channel=x&current=%C2%B2").status_code == 200


def test_the_queue_pane_needs_a_desk_role(client: Client, make_user) -> None:
    assert client.get("/werkruimte/wachtrij/").status_code == 302
    client.force_login(make_user("eigenaar", "department"))
    assert client.get("/werkruimte/wachtrij/").status_code == 403


def test_the_picker_searches_replies_and_articles_written_out_for_the_customer(
    desk: Client, agent, customer
) -> None:
    contact = _open("Waar blijft mijn bestelling?")
    macro_create(actor=agent, title="Bevestiging levering", body_je="Hoi {naam}! Je bestelling komt morgen.")
    macro_create(actor=agent, title="Afsluiting", body_je="Fijne dag, {naam}!")
    article_create(
        title="Pakket kwijt bij de vervoerder", body="Uitleg", customer_text_je="Je pakket zoeken we op."
    )
    url = f"/desk/contacts/{contact.pk}/picker/"
    everything = desk.get(url).content.decode()
    assert "Bevestiging levering" in everything and "Afsluiting" in everything
    found = desk.get(url, {"q": "levering"}).content.decode()
    assert "Bevestiging levering" in found and "Afsluiting" not in found
    assert "Hoi Annie Jansen! Je bestelling komt morgen." in found  # filled in as ever
    article = desk.get(url, {"q": "vervoerder"}).content.decode()
    assert "Pakket kwijt bij de vervoerder" in article and "Je pakket zoeken we op." in article
    assert "Niets gevonden voor" in desk.get(url, {"q": "zzzqqq"}).content.decode()
    assert desk.get("/desk/contacts/987654/picker/").status_code == 404


def test_closing_without_a_reply_asks_first_and_closes_with_the_confirmation(desk: Client, customer) -> None:
    contact = _open()
    asked = desk.post(f"/desk/contacts/{contact.pk}/status/", {"status": "closed"})
    assert asked.status_code == 409
    assert 'data-testid="close-confirm" open' in asked.content.decode()
    assert Contact.objects.get(pk=contact.pk).status == Status.OPEN
    desk.post(f"/desk/contacts/{contact.pk}/status/", {"status": "waiting_us"})  # other statuses: no question
    assert Contact.objects.get(pk=contact.pk).status == Status.WAITING_US
    done = desk.post(f"/desk/contacts/{contact.pk}/status/", {"status": "closed", "confirm": "1"})
    assert done.status_code == 302
    assert Contact.objects.get(pk=contact.pk).status == Status.CLOSED


def test_closing_after_a_reply_needs_no_confirmation_and_the_api_closes_as_asked(
    desk: Client, agent, customer, api: Any
) -> None:
    replied = _open()
    message_add(contact=replied, author="agent", agent=agent, text="Het is opgelost.", status_after="open")
    assert desk.post(f"/desk/contacts/{replied.pk}/status/", {"status": "closed"}).status_code == 302
    assert Contact.objects.get(pk=replied.pk).status == Status.CLOSED
    silent = _open("Nog een vraag", phone="0201234567")
    response = api.patch(f"/api/contacts/{silent.pk}", {"status": "closed"})
    assert response.status_code == 200
    assert Contact.objects.get(pk=silent.pk).status == Status.CLOSED


def test_the_agents_own_message_shows_acts_and_tone_never_customer_signals(
    desk: Client, agent, customer
) -> None:
    contact = _open()
    reply = message_add(
        contact=contact,
        author="agent",
        agent=agent,
        text="Goedemorgen, excuses! Ik zoek het voor u uit.",
        status_after="open",
    )
    # Signals as an analysis that read customer words in it would leave them.
    data = {
        "emotions": {"haste": 0.9},
        "repeat": 0.9,
        "acts": ["greeting", "apology"],
        "register": "formal",
        "evidence": [["haste", 0, 11, "Goedemorgen", "test"]],
    }
    columns = {"role": "agent", "lang": "nl", "register": "formal", "top_emotion": "haste", "top_score": 0.9}
    numbers = {"sentiment": 0.0, "abuse": 0.0, "churn": 0.0, "repeat": 0.9}
    MessageSignals.objects.update_or_create(
        message=reply,
        defaults={
            "data": data,
            **columns,
            **numbers,
            "layers": "rules",
            "version": "t",
            "analysed_at": timezone.now(),
        },
    )
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    shown = page.split(f'id="signals-{reply.pk}"')[1].split("</div>")[0]
    assert "haastig" not in shown and "herhaald contact" not in shown and "Klopt niet?" not in shown
    assert "begroeting" in shown and "excuses" in shown and "u-vorm" in shown
    message_html = page.split(f'id="message-{reply.pk}"')[1].split("</li>")[0]
    assert "<mark" not in message_html


def test_the_queue_pane_reads_the_same_few_queries_for_2_or_20_contacts(desk: Client, customer) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def pane_queries() -> int:
        desk.get("/werkruimte/wachtrij/")
        with CaptureQueriesContext(connection) as queries:
            assert desk.get("/werkruimte/wachtrij/").status_code == 200
        return len(queries)

    for i in range(2):
        _open(f"Vraag {i}", phone=f"06123456{i:02d}")
    few = pane_queries()
    for i in range(2, 20):
        _open(f"Vraag {i}", phone=f"06123456{i:02d}")
    assert pane_queries() == few


def test_one_message_renders_alone_as_the_thread_shows_it(agent, customer) -> None:
    """The live desk adds a message that arrives with the same partial the thread uses."""
    from django.template.loader import render_to_string

    from gezien.contacts.selectors import message_with_signals
    from gezien.web.pages.contact import message_part

    contact = _open("Mijn <b>pakket</b> is zoek")
    message = message_with_signals(contact.messages.get().pk)
    assert message is not None
    html = render_to_string("web/_message.html", message_part(agent, contact, message))
    assert html.lstrip().startswith(f'<li class="msg msg-customer kind-message" id="message-{message.pk}"')
    assert f'data-message-id="{message.pk}"' in html and "Annie Jansen" in html
    assert "&lt;b&gt;pakket&lt;/b&gt;" in html and "<b>" not in html
