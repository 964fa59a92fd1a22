"""The delivery of a reply in the desk and the API, CC and attachments on the reply form and the API's
agent reply, "Opnieuw versturen", roles and bad input."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import encode_multipart
from django.utils import translation

from gezien.accounts.models import User
from gezien.contacts.analysing import analysis_warm_up
from gezien.contacts.attachments import attachment_store
from gezien.contacts.models import Attachment, Contact, ContactEvent, Delivery, Message
from gezien.contacts.outbox import outbox_thread_start, outbox_thread_stop
from gezien.contacts.services import contact_open
from gezien.mail.models import Mailbox, OutgoingMail
from gezien.mail.sender import mail_sender_start, mail_sender_stop
from tests.attachment_data import PNG
from tests.conftest import ApiClient
from tests.mail.conftest import SmtpReceiver

Capture = Callable[..., Any]


@pytest.fixture
def mailbox(db: None, smtp_receiver: SmtpReceiver) -> Mailbox:
    return Mailbox.objects.create(
        name="klantenservice", address="klantenservice@gezien.example", smtp_url=smtp_receiver.url
    )


@pytest.fixture
def contact(mailbox: Mailbox, attachment_files: Path) -> Contact:
    return contact_open(
        channel="email", identities=[("email", "a.jansen@ziggo.nl")], text="Mijn factuur", subject="Factuur"
    ).contact


def test_the_api_reply_takes_cc_and_attachments_and_shows_the_delivery(
    api: ApiClient,
    contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    boundary = "grens-mailout"
    uploaded = api.client.post(  # the attach API: uploaded first, then named in the reply
        f"/api/contacts/{contact.pk}/attachments",
        data=encode_multipart(boundary, {"file": SimpleUploadedFile("foto.png", PNG, "image/png")}),
        content_type=f"multipart/form-data; boundary={boundary}",
        **api.headers,
    )
    assert uploaded.status_code == 201, uploaded.content
    attachment_id = uploaded.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            f"/api/contacts/{contact.pk}/messages",
            {
                "author": "agent",
                "text": "Zie de foto.",
                "cc": ["collega@ziggo.nl"],
                "attachment_ids": [attachment_id],
            },
        )
    assert answer.status_code == 201, answer.json_body
    [got] = smtp_receiver.wait_for(1)
    assert [a.addr_spec for a in got.mail["Cc"].addresses] == ["collega@ziggo.nl"]
    [part] = list(got.mail.iter_attachments())
    assert (part.get_filename(), part.get_content()) == ("foto.png", PNG)

    thread = api.get(f"/api/contacts/{contact.pk}").json_body["messages"]
    customer, reply = thread
    assert customer["delivery"] is None
    assert reply["delivery"]["status"] == "sent"
    assert reply["delivery"]["channel"] == "email" and reply["delivery"]["attempts"] == 1
    assert reply["delivery"]["sent_at"] is not None and reply["delivery"]["last_error"] == ""
    assert api.get(f"/api/messages/{reply['id']}").json_body["delivery"]["status"] == "sent"
    assert [a["id"] for a in reply["attachments"]] == [attachment_id]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"attachment_ids": [987654]}, "attachment_ids"),
        ({"cc": ["geen adres"]}, "cc"),
        ({"cc": ["a@b.nl"], "author": "customer"}, "cc"),
    ],
)
def test_bad_extras_in_the_api_are_refused_and_nothing_is_stored(
    api: ApiClient, contact: Contact, extra: dict[str, Any], field: str
) -> None:
    answer = api.post(f"/api/contacts/{contact.pk}/messages", {"author": "agent", "text": "Hier.", **extra})
    assert answer.status_code == 422
    assert answer.json_body["detail"][0]["loc"][-1] == field
    assert contact.messages.count() == 1 and not Delivery.objects.exists()


def test_an_attachment_of_another_contact_is_refused(api: ApiClient, contact: Contact) -> None:
    other = contact_open(channel="email", identities=[("email", "x@y.nl")], text="Andere vraag").contact
    foreign = attachment_store(contact=other, data=PNG, filename="foto.png")
    answer = api.post(
        f"/api/contacts/{contact.pk}/messages",
        {"author": "agent", "text": "Hier.", "attachment_ids": [foreign.pk]},
    )
    assert answer.status_code == 422
    assert "ander contact" in answer.json_body["detail"][0]["msg"]
    assert contact.messages.count() == 1
    assert Attachment.objects.get(pk=foreign.pk).message_id is None


def test_a_reply_without_an_address_tells_the_agent_in_dutch(api: ApiClient, mailbox: Mailbox) -> None:
    contact = contact_open(channel="email", identities=[("phone", "0612345678")], text="Bel mij").contact
    answer = api.post(f"/api/contacts/{contact.pk}/messages", {"author": "agent", "text": "Hier."})
    assert answer.status_code == 422
    assert "geen e-mailadres" in answer.json_body["detail"][0]["msg"]
    assert contact.messages.count() == 1


def _failed_reply(
    api: ApiClient, contact: Contact, smtp_receiver: SmtpReceiver, capture: Capture
) -> dict[str, Any]:
    smtp_receiver.answers.append("554 5.7.1 Geweigerd wegens beleid")
    with capture(execute=True):
        body = api.post(
            f"/api/contacts/{contact.pk}/messages", {"author": "agent", "text": "Hier."}
        ).json_body
    return dict(body)


def test_resend_in_the_api(
    api: ApiClient,
    agent: User,
    contact: Contact,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    reply = _failed_reply(api, contact, smtp_receiver, django_capture_on_commit_callbacks)
    shown = api.get(f"/api/messages/{reply['id']}").json_body["delivery"]
    assert (shown["status"], shown["last_error"]) == ("failed", "554 5.7.1 Geweigerd wegens beleid")
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(f"/api/contacts/{contact.pk}/messages/{reply['id']}/resend")
    assert again.status_code == 200
    assert api.get(f"/api/messages/{reply['id']}").json_body["delivery"]["status"] == "sent"
    assert len(smtp_receiver.wait_for(1)) == 1
    # The resend is in the contact's history: who, which message, the error it had.
    [event] = ContactEvent.objects.filter(contact=contact, kind="mail_resend")
    assert event.actor == agent
    assert event.data == {"message": reply["id"], "error": "554 5.7.1 Geweigerd wegens beleid"}
    twice = api.post(f"/api/contacts/{contact.pk}/messages/{reply['id']}/resend")
    assert twice.status_code == 409  # only a failed delivery is sent again
    assert api.post(f"/api/contacts/{contact.pk}/messages/987654/resend").status_code == 404


def test_the_desk_shows_the_failure_and_sends_again(
    desk: Client,
    api: ApiClient,
    contact: Contact,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    reply = _failed_reply(api, contact, smtp_receiver, django_capture_on_commit_callbacks)
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert "Bezorging: Mislukt" in page
    assert "554 5.7.1 Geweigerd wegens beleid" in page
    assert "Opnieuw versturen" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = desk.post(f"/desk/contacts/{contact.pk}/messages/{reply['id']}/resend/")
    assert answer.status_code == 302
    page = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert "Bezorging: Verzonden" in page
    assert "E-mail opnieuw verstuurd" in page  # in the contact's history
    assert len(smtp_receiver.wait_for(1)) == 1


def test_the_desk_in_english(
    client: Client,
    make_user: Callable[..., User],
    api: ApiClient,
    contact: Contact,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    _failed_reply(api, contact, smtp_receiver, django_capture_on_commit_callbacks)
    client.force_login(make_user("emma", "agent"))
    with translation.override("nl"):  # the request's English stays with the request
        page = client.get(f"/desk/contacts/{contact.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Delivery: Failed" in page and "Send again" in page


def test_the_desk_reply_form_sends_cc_and_files(
    desk: Client, contact: Contact, smtp_receiver: SmtpReceiver, django_capture_on_commit_callbacks: Capture
) -> None:
    form = desk.get(f"/desk/contacts/{contact.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="cc"' in form and 'name="attachments"' in form
    with django_capture_on_commit_callbacks(execute=True):
        answer = desk.post(
            f"/desk/contacts/{contact.pk}/reply/",
            {
                "text": "Zie bijlage.",
                "status_after": "waiting_customer",
                "cc": "collega@ziggo.nl; baas@ziggo.nl",
                "attachments": [SimpleUploadedFile("foto.png", PNG, "image/png")],
            },
        )
    assert answer.status_code == 302
    [got] = smtp_receiver.wait_for(1)
    assert sorted(got.rcpt_tos) == ["a.jansen@ziggo.nl", "baas@ziggo.nl", "collega@ziggo.nl"]
    [part] = list(got.mail.iter_attachments())
    assert part.get_content() == PNG
    message = contact.messages.get(author="agent")
    assert [a.filename for a in message.attachments.all()] == ["foto.png"]


def test_the_desk_refuses_a_bad_cc_and_keeps_nothing(
    desk: Client, contact: Contact, attachment_files: Path
) -> None:
    answer = desk.post(
        f"/desk/contacts/{contact.pk}/reply/",
        {
            "text": "Zie bijlage.",
            "status_after": "waiting_customer",
            "cc": "niet-een-adres",
            "attachments": [SimpleUploadedFile("foto.png", PNG, "image/png")],
        },
    )
    assert answer.status_code == 422
    assert "Dit is geen e-mailadres" in answer.content.decode()
    assert contact.messages.count() == 1
    assert not Attachment.objects.exists() and not OutgoingMail.objects.exists()


def test_a_reply_with_no_mailbox_is_refused_in_the_desk(desk: Client, db: None) -> None:
    contact = contact_open(channel="email", identities=[("email", "a@b.nl")], text="Hallo").contact
    answer = desk.post(f"/desk/contacts/{contact.pk}/reply/", {"text": "Antwoord", "status_after": "open"})
    assert answer.status_code == 422
    assert "geen actieve mailbox" in answer.content.decode()
    assert contact.messages.count() == 1


def test_roles(api_as: Callable[[str], ApiClient], contact: Contact, client: Client, make_user: Any) -> None:
    department = api_as("department")
    assert (
        department.post(f"/api/contacts/{contact.pk}/messages", {"author": "agent", "text": "x"}).status_code
        == 403
    )
    message = Message.objects.get(contact=contact)
    assert department.post(f"/api/contacts/{contact.pk}/messages/{message.pk}/resend").status_code == 403
    client.force_login(make_user("dirk", "department"))
    assert client.post(f"/desk/contacts/{contact.pk}/messages/{message.pk}/resend/").status_code == 403
    anonymous = Client()
    answer = anonymous.post(f"/desk/contacts/{contact.pk}/messages/{message.pk}/resend/")
    assert answer.status_code == 302 and "/login" in answer["Location"]


@pytest.mark.django_db(transaction=True)
def test_a_slow_smtp_server_does_not_hold_the_reply_and_the_mail_still_arrives(
    api: ApiClient, contact: Contact, smtp_receiver: SmtpReceiver, settings: Any
) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True  # no worker: the serving process sends, as `gezien serve` does
    analysis_warm_up()  # what gezien.config.serving does in the served process, threads included
    outbox_thread_start()
    mail_sender_start()
    smtp_receiver.delay_s = 5.0  # the server takes 5 seconds to accept a mail
    assert api.get(f"/api/contacts/{contact.pk}").status_code == 200  # the API's first call: warmed up
    try:
        started = time.monotonic()
        answer = api.post(f"/api/contacts/{contact.pk}/messages", {"author": "agent", "text": "Hier."})
        took = time.monotonic() - started
        assert answer.status_code == 201, answer.json_body
        assert answer.json_body["delivery"]["status"] == "queued"  # committed with its delivery
        # Returned while the server still holds the mail (it answers after 5 s): the request did not wait.
        assert not smtp_receiver.received, f"the reply waited {took:.1f} s for the SMTP server"
        assert took < 5.0
        [got] = smtp_receiver.wait_for(1, timeout=20)
        assert got.rcpt_tos == ("a.jansen@ziggo.nl",) and got.mail["Subject"] == f"Factuur [#{contact.pk}]"
        deadline = time.monotonic() + 10
        while Delivery.objects.get(message_id=answer.json_body["id"]).status != "sent":
            assert time.monotonic() < deadline, "the delivery was not marked sent"
            time.sleep(0.05)
        mail_sender_stop()
        # Without the sender thread (a script, no `gezien serve`) the same reply waits for the server.
        started = time.monotonic()
        again = api.post(f"/api/contacts/{contact.pk}/messages", {"author": "agent", "text": "Nog een."})
        assert again.status_code == 201 and time.monotonic() - started >= 5.0
        assert len(smtp_receiver.wait_for(2)) == 2
    finally:
        mail_sender_stop()
        outbox_thread_stop()
