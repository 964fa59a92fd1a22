"""The contact form's confirmation mail arrives at a real SMTP server on 127.0.0.1, from the mailbox a
reply would use, in the customer's language; without a mailbox there is no mail and no error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from gezien.accounts.models import Team
from gezien.contacts.models import Contact, Delivery
from gezien.contacts.services import contact_open
from gezien.mail.models import Mailbox, OutgoingMail
from tests.mail.conftest import SmtpReceiver

FORM = {
    "name": "Piet de Boer",
    "email": "piet.deboer@example.nl",
    "subject": "Vraag over mijn abonnement",
    "message": "Kan ik mijn abonnement per maand opzeggen?",
}


def _post(data: dict[str, str], capture: Callable[..., Any], path: str = "/contact/") -> Any:
    with capture(execute=True):
        return Client().post(path, data)


def test_the_confirmation_arrives_from_the_default_mailbox(
    db: None, smtp_receiver: SmtpReceiver, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    Mailbox.objects.create(
        name="oud", address="oud@voorbeeld.nl", smtp_url="smtp://127.0.0.1:9", active=False
    )
    Mailbox.objects.create(
        name="klantenservice", address="klantenservice@voorbeeld.nl", smtp_url=smtp_receiver.url
    )
    response = _post(FORM, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    contact = Contact.objects.get(channel="webform")
    [got] = smtp_receiver.wait_for(1)
    mail = got.mail
    assert got.rcpt_tos == ("piet.deboer@example.nl",)
    assert mail["From"].addresses[0].addr_spec == "klantenservice@voorbeeld.nl"
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["Subject"] == f"Vraag over mijn abonnement [#{contact.pk}]"
    text = mail.get_body(("plain",)).get_content()
    assert "Beste Piet de Boer," in text
    assert f"(nummer {contact.pk})" in text
    assert (
        "Kan ik mijn abonnement" not in text
    )  # the customer's words are not mailed back to the address given
    confirmation = contact.messages.get(author="system")
    assert Delivery.objects.get(message=confirmation).status == "sent"
    assert OutgoingMail.objects.get(message=confirmation).kind == "ack"


def test_the_confirmation_is_english_when_the_form_was(
    db: None, smtp_receiver: SmtpReceiver, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.GEZIEN_WEBFORM_MAILBOX = "webformulier"
    Mailbox.objects.create(
        name="klantenservice", address="klantenservice@voorbeeld.nl", smtp_url="smtp://127.0.0.1:9"
    )
    Mailbox.objects.create(name="webformulier", address="formulier@voorbeeld.nl", smtp_url=smtp_receiver.url)
    response = _post({**FORM, "lang": "en"}, django_capture_on_commit_callbacks, "/contact/?lang=en")
    assert response.status_code == 302 and response["Location"] == "/contact/thanks/?lang=en"
    [got] = smtp_receiver.wait_for(1)
    assert got.mail["From"].addresses[0].addr_spec == "formulier@voorbeeld.nl"
    text = got.mail.get_body(("plain",)).get_content()
    assert "Dear Piet de Boer," in text
    assert "Thank you for your message" in text


def test_the_team_mailbox_is_used_for_a_team_contact(
    db: None, smtp_receiver: SmtpReceiver, team: Team, django_capture_on_commit_callbacks: Any
) -> None:
    from gezien.mail.outgoing import confirm_form

    Mailbox.objects.create(name="algemeen", address="info@voorbeeld.nl", smtp_url="smtp://127.0.0.1:9")
    Mailbox.objects.create(name="team", address="team@voorbeeld.nl", smtp_url=smtp_receiver.url, team=team)
    contact = contact_open(channel="webform", text="Vraag", subject="Vraag", team=team).contact
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm_form(contact, to="piet@example.nl", name="Piet") is not None
    [got] = smtp_receiver.wait_for(1)
    assert got.mail["From"].addresses[0].addr_spec == "team@voorbeeld.nl"


def test_without_a_mailbox_the_contact_is_opened_and_no_mail_is_sent(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    response = _post(FORM, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    contact = Contact.objects.get(channel="webform")
    assert not contact.messages.filter(author="system").exists()
    assert not OutgoingMail.objects.exists()


def test_one_confirmation_a_day_per_address(
    db: None, smtp_receiver: SmtpReceiver, django_capture_on_commit_callbacks: Any
) -> None:
    Mailbox.objects.create(
        name="klantenservice", address="klantenservice@voorbeeld.nl", smtp_url=smtp_receiver.url
    )
    for n in range(3):
        _post({**FORM, "subject": f"Vraag {n}"}, django_capture_on_commit_callbacks)
    assert Contact.objects.filter(channel="webform").count() == 3
    assert len(smtp_receiver.wait_for(1)) == 1
    smtp_receiver.wait_for(2, timeout=0.3)
    assert len(smtp_receiver.received) == 1
