"""The automatic acknowledgement: a mail that opens a new contact is answered once per sender per day, in
the customer's register, with the expected answer time of the service level, as an auto-reply."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.contacts.models import Contact, Delivery
from gezien.customers.models import Customer, DetailKind, RememberedDetail
from gezien.insights.sla.timers import first_response_due
from gezien.mail.intake import ingest
from gezien.mail.models import Mailbox, OutgoingMail
from tests.mail.conftest import SmtpReceiver

Capture = Callable[..., Any]


@pytest.fixture
def mailbox(db: None, smtp_receiver: SmtpReceiver) -> Mailbox:
    return Mailbox.objects.create(
        name="klantenservice",
        address="klantenservice@voorbeeld.nl",
        smtp_url=smtp_receiver.url,
        auto_acknowledge=True,
        signature="Klantenservice Voorbeeld Telecom",
    )


def _mail_in(mailbox: Mailbox, make_eml: Callable[..., bytes], capture: Capture, **kwargs: Any) -> Any:
    with capture(execute=True):
        return ingest(mailbox, make_eml(**kwargs))


def test_a_new_contact_is_acknowledged_in_u_with_the_expected_answer_time(
    mailbox: Mailbox,
    customer: Customer,
    smtp_receiver: SmtpReceiver,
    make_eml: Callable[..., bytes],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    result = _mail_in(mailbox, make_eml, django_capture_on_commit_callbacks)
    assert result.outcome == "contact"
    contact = Contact.objects.get(pk=result.contact_id)
    [got] = smtp_receiver.wait_for(1)
    mail = got.mail
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["To"].addresses[0].addr_spec == "a.jansen@ziggo.nl"
    assert mail["In-Reply-To"] == "<m1@ziggo.nl>"
    assert mail["Subject"] == f"Re: Mijn bestelling is niet aangekomen [#{contact.pk}]"
    assert mail["From"].addresses[0].display_name == "klantenservice"
    text = mail.get_body(("plain",)).get_content()
    assert "Beste Annie Jansen," in text
    assert "uw bericht" in text and " je " not in text
    due = first_response_due(contact, timezone.now())
    assert due is not None
    assert f"om {timezone.localtime(due):%H:%M}" in text
    assert "U krijgt uiterlijk" in text
    assert "Klantenservice Voorbeeld Telecom" in text
    # Kept on the contact as a system message with its delivery, the acknowledgement kind.
    ack = contact.messages.get(author="system")
    assert ack.text in text.replace("\r\n", "\n")
    assert Delivery.objects.get(message=ack).status == "sent"
    assert OutgoingMail.objects.get(message=ack).kind == "ack"


def test_the_acknowledgement_uses_je_when_the_customer_is_remembered_so(
    mailbox: Mailbox,
    customer: Customer,
    smtp_receiver: SmtpReceiver,
    make_eml: Callable[..., bytes],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    RememberedDetail.objects.create(
        customer=customer, kind=DetailKind.ADDRESSING, text="Annie", register="je"
    )
    _mail_in(mailbox, make_eml, django_capture_on_commit_callbacks)
    text = smtp_receiver.wait_for(1)[0].mail.get_body(("plain",)).get_content()
    assert text.startswith("Hoi Annie,")
    assert "je bericht" in text and "Je hoort uiterlijk" in text
    assert " u " not in text and "uw " not in text


def test_at_most_once_per_sender_per_day(
    mailbox: Mailbox,
    smtp_receiver: SmtpReceiver,
    make_eml: Callable[..., bytes],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    capture = django_capture_on_commit_callbacks
    first = _mail_in(mailbox, make_eml, capture, subject="Vraag een", message_id="<a1@ziggo.nl>")
    second = _mail_in(mailbox, make_eml, capture, subject="Iets heel anders", message_id="<a2@ziggo.nl>")
    other = _mail_in(
        mailbox, make_eml, capture, subject="Vraag", sender="Piet <piet@kpn.nl>", message_id="<p1@kpn.nl>"
    )
    assert (first.outcome, second.outcome, other.outcome) == ("contact", "contact", "contact")
    assert first.contact_id != second.contact_id
    got = smtp_receiver.wait_for(2)
    assert sorted(r.rcpt_tos[0] for r in got) == ["a.jansen@ziggo.nl", "piet@kpn.nl"]
    assert not Contact.objects.get(pk=second.contact_id).messages.filter(author="system").exists()

    # A day later the same sender is acknowledged again.
    OutgoingMail.objects.update(created_at=timezone.now() - timedelta(days=1, hours=1))
    _mail_in(mailbox, make_eml, capture, subject="Nog een vraag", message_id="<a3@ziggo.nl>")
    assert len(smtp_receiver.wait_for(3)) == 3


def test_no_acknowledgement_when_the_mailbox_does_not_ask_or_for_a_message_on_an_open_contact(
    mailbox: Mailbox,
    smtp_receiver: SmtpReceiver,
    make_eml: Callable[..., bytes],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    capture = django_capture_on_commit_callbacks
    Mailbox.objects.filter(pk=mailbox.pk).update(auto_acknowledge=False)
    mailbox.refresh_from_db()
    _mail_in(mailbox, make_eml, capture, message_id="<b1@ziggo.nl>")
    Mailbox.objects.filter(pk=mailbox.pk).update(auto_acknowledge=True)
    mailbox.refresh_from_db()
    follow_up = _mail_in(
        mailbox, make_eml, capture, message_id="<b2@ziggo.nl>", headers={"In-Reply-To": "<b1@ziggo.nl>"}
    )
    assert follow_up.outcome == "message"
    assert smtp_receiver.wait_for(1, timeout=0.5) == []
    assert not OutgoingMail.objects.exists()


def test_an_unknown_sender_is_greeted_by_the_name_their_mail_came_with(
    mailbox: Mailbox,
    smtp_receiver: SmtpReceiver,
    make_eml: Callable[..., bytes],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    _mail_in(
        mailbox, make_eml, django_capture_on_commit_callbacks, sender="Piet Bakker <piet@kpn.nl>",
        message_id="<p9@kpn.nl>",
    )  # fmt: skip
    text = smtp_receiver.wait_for(1)[0].mail.get_body(("plain",)).get_content()
    assert text.startswith("Beste Piet Bakker,")
