"""Replies that leave by e-mail: an agent's reply reaches a real SMTP server on 127.0.0.1 with the
headers that thread the answer back, both parts, the signature and its attachments; failures retry
with back-off and then tell the agent; `file://` writes the mail to a folder."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.attachments import attachment_store
from gezien.contacts.models import Contact, Delivery, Message
from gezien.contacts.sending import ReplyExtras
from gezien.contacts.services import contact_open, message_add
from gezien.core.errors import Invalid
from gezien.mail.delivery import deliveries_due
from gezien.mail.models import InboundMail, Mailbox, OutgoingMail
from gezien.mail.outgoing import delivery_retry, reply_extras
from gezien.notifications.models import Notification
from tests.mail.conftest import SmtpReceiver

CUSTOMER_MAIL = (
    b"From: Annie Jansen <a.jansen@ziggo.nl>\r\n"
    b"To: klantenservice@gezien.example\r\n"
    b"Subject: Mijn factuur klopt niet\r\n"
    b"Message-ID: <klant-2@ziggo.nl>\r\n"
    b"In-Reply-To: <klant-1@ziggo.nl>\r\n"
    b"References: <klant-0@ziggo.nl> <klant-1@ziggo.nl>\r\n"
    b"\r\n"
    b"Waarom is mijn factuur zo hoog?\r\n"
)


@pytest.fixture
def mailbox(db: None, smtp_receiver: SmtpReceiver, team: Any) -> Mailbox:
    return Mailbox.objects.create(
        name="klantenservice",
        address="klantenservice@gezien.example",
        team=team,
        smtp_url=smtp_receiver.url,
        signature="Klantenservice Gezien\nBereikbaar op werkdagen",
    )


@pytest.fixture
def mail_contact(mailbox: Mailbox, customer: Any) -> Contact:
    """An e-mail contact opened by the customer's mail (stored as the intake stores it)."""
    contact = contact_open(
        channel="email",
        identities=[("email", "a.jansen@ziggo.nl")],
        text="Waarom is mijn factuur zo hoog?",
        subject="Mijn factuur klopt niet",
    ).contact
    InboundMail.objects.create(
        mailbox=mailbox,
        raw=CUSTOMER_MAIL,
        size=len(CUSTOMER_MAIL),
        sha256=hashlib.sha256(CUSTOMER_MAIL).hexdigest(),
        header_id="klant-2@ziggo.nl",
        from_address="a.jansen@ziggo.nl",
        subject="Mijn factuur klopt niet",
        outcome="contact",
        contact=contact,
        message=contact.messages.first(),
        received_at=timezone.now(),
    )
    return contact


Capture = Callable[..., Any]


def reply(capture: Capture, contact: Contact, agent: User, text: str, **extras: Any) -> Message:
    with capture(execute=True):
        return message_add(
            contact=contact,
            author="agent",
            text=text,
            agent=agent,
            extras=ReplyExtras(**extras) if extras else None,
        )


def test_a_reply_arrives_threaded_with_both_parts_signature_cc_and_attachment(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    attachment_files: Path,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    attachment = attachment_store(contact=mail_contact, data=pdf, filename="factuur.pdf", uploaded_by=agent)
    extras = reply_extras(contact=mail_contact, cc=["Boekhouding@Ziggo.nl"], attachment_ids=[attachment.pk])
    message = reply(
        django_capture_on_commit_callbacks,
        mail_contact,
        agent,
        "Beste mevrouw Jansen,\n\nDe factuur klopt <echt> niet.\nWe passen hem aan.",
        cc=extras.cc,
        attachments=extras.attachments,
    )

    [got] = smtp_receiver.wait_for(1)
    mail = got.mail
    outgoing = OutgoingMail.objects.get(message=message)
    assert got.mail_from == "klantenservice@gezien.example"
    assert set(got.rcpt_tos) == {"a.jansen@ziggo.nl", "boekhouding@ziggo.nl"}
    assert mail["Message-ID"] == f"<{outgoing.header_id}>"
    assert outgoing.header_id.endswith("@gezien.example")
    assert mail["In-Reply-To"] == "<klant-2@ziggo.nl>"
    assert mail["References"].split() == ["<klant-0@ziggo.nl>", "<klant-1@ziggo.nl>", "<klant-2@ziggo.nl>"]
    assert mail["Subject"] == f"Re: Mijn factuur klopt niet [#{mail_contact.pk}]"
    assert mail["From"].addresses[0].display_name == "Sanne de Vries via klantenservice"
    assert mail["From"].addresses[0].addr_spec == "klantenservice@gezien.example"
    assert mail["To"].addresses[0].addr_spec == "a.jansen@ziggo.nl"
    assert [a.addr_spec for a in mail["Cc"].addresses] == ["boekhouding@ziggo.nl"]
    assert mail["X-Gezien-Mailbox"] == "klantenservice"
    assert mail["Auto-Submitted"] is None
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content()
    assert "De factuur klopt <echt> niet." in text
    assert "-- \nKlantenservice Gezien" in text
    assert "De factuur klopt &lt;echt&gt; niet." in html and "<echt>" not in html
    assert "<p>Beste mevrouw Jansen,</p>" in html and "Bereikbaar op werkdagen" in html
    [part] = list(mail.iter_attachments())
    assert part.get_filename() == "factuur.pdf"
    assert part.get_content_type() == "application/pdf"
    assert part.get_content() == pdf
    delivery = Delivery.objects.get(message=message)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")
    assert delivery.sent_at is not None
    assert bytes(OutgoingMail.objects.get(pk=outgoing.pk).raw) == got.raw  # the very bytes sent, kept
    attachment.refresh_from_db()
    assert attachment.message_id == message.pk


def test_a_temporary_refusal_is_retried_with_back_off_and_then_sent(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    smtp_receiver.answers.append("451 4.3.0 Probeer het later nog eens")
    message = reply(django_capture_on_commit_callbacks, mail_contact, agent, "Het komt goed.")
    delivery = Delivery.objects.get(message=message)
    assert delivery.status == "queued" and delivery.attempts == 1
    assert "451" in delivery.last_error and "Probeer het later" in delivery.last_error
    assert delivery.next_attempt_at is not None
    wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
    assert deliveries_due(timezone.now()) == 0  # not due yet: nothing is sent before its time
    assert smtp_receiver.received == []

    assert deliveries_due(delivery.next_attempt_at + timedelta(seconds=1)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(smtp_receiver.wait_for(1)) == 1
    assert not Notification.objects.filter(recipient=agent).exists()


def test_a_permanent_refusal_fails_with_the_answer_and_tells_the_agent(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    smtp_receiver.answers.append("550 5.1.1 Deze mailbox bestaat niet")
    message = reply(django_capture_on_commit_callbacks, mail_contact, agent, "Het komt goed.")
    delivery = Delivery.objects.get(message=message)
    assert delivery.status == "failed"
    assert delivery.last_error == "550 5.1.1 Deze mailbox bestaat niet"
    assert delivery.finished_at is not None and delivery.next_attempt_at is None
    [note] = Notification.objects.filter(recipient=agent)
    assert note.kind == "mail_failed" and note.contact_id == mail_contact.pk
    assert "Deze mailbox bestaat niet" in note.text
    assert deliveries_due(timezone.now() + timedelta(days=1)) == 0  # failed stays failed

    # "Opnieuw versturen": queued again and sent (the server takes it now).
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry(message=message, actor=agent)
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert len(smtp_receiver.wait_for(1)) == 1


def test_temporary_failures_end_as_failed_after_the_last_attempt(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    settings: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    settings.GEZIEN_MAIL_MAX_ATTEMPTS = 3
    smtp_receiver.answers.extend(["421 4.7.0 Te druk"] * 3)
    message = reply(django_capture_on_commit_callbacks, mail_contact, agent, "Het komt goed.")
    now = timezone.now()
    delays = []
    for _attempt in range(2):
        delivery = Delivery.objects.get(message=message)
        assert delivery.status == "queued" and delivery.next_attempt_at is not None
        delays.append(round((delivery.next_attempt_at - now).total_seconds() / 60))
        now = delivery.next_attempt_at + timedelta(seconds=1)
        deliveries_due(now)
    delivery = Delivery.objects.get(message=message)
    assert delays == [1, 5]
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert "421" in delivery.last_error
    assert Notification.objects.filter(recipient=agent, kind="mail_failed").count() == 1


def test_a_refused_connection_is_temporary(
    mail_contact: Contact, agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    Mailbox.objects.filter(name="klantenservice").update(smtp_url="smtp://127.0.0.1:9")
    message = reply(django_capture_on_commit_callbacks, mail_contact, agent, "Het komt goed.")
    delivery = Delivery.objects.get(message=message)
    assert delivery.status == "queued" and delivery.attempts == 1 and "127.0.0.1:9" in delivery.last_error


def test_a_queued_mail_whose_task_was_lost_is_sent_by_the_periodic_job(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # the process stops before the task runs
        message = message_add(contact=mail_contact, author="agent", text="Het komt goed.", agent=agent)
    assert Delivery.objects.get(message=message).status == "queued"
    assert deliveries_due(timezone.now() + timedelta(seconds=1)) == 1
    assert Delivery.objects.get(message=message).status == "sent"
    assert len(smtp_receiver.wait_for(1)) == 1


def test_the_file_transport_writes_the_mail_into_the_folder(
    mail_contact: Contact, agent: User, tmp_path: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    folder = tmp_path / "uit"
    Mailbox.objects.filter(name="klantenservice").update(smtp_url=f"file://{folder}")
    message = reply(django_capture_on_commit_callbacks, mail_contact, agent, "Het komt goed.")
    outgoing = OutgoingMail.objects.get(message=message)
    [written] = list(folder.iterdir())
    assert written.name == f"{outgoing.header_id}.eml"
    assert written.read_bytes() == bytes(outgoing.raw)
    assert Delivery.objects.get(message=message).status == "sent"


def test_smtp_login_with_a_password(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    url = f"smtp://desk%40gezien.example:geheim@127.0.0.1:{smtp_receiver.port}"
    Mailbox.objects.filter(name="klantenservice").update(smtp_url=url)
    reply(django_capture_on_commit_callbacks, mail_contact, agent, "Het komt goed.")
    assert smtp_receiver.logins == [("desk@gezien.example", "geheim")]
    assert len(smtp_receiver.wait_for(1)) == 1


def test_a_second_reply_threads_on_the_same_customer_mail(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    reply(django_capture_on_commit_callbacks, mail_contact, agent, "Eerste antwoord.")
    reply(django_capture_on_commit_callbacks, mail_contact, agent, "Tweede antwoord.")
    first, second = smtp_receiver.wait_for(2)
    assert first.mail["Message-ID"] != second.mail["Message-ID"]
    assert second.mail["In-Reply-To"] == "<klant-2@ziggo.nl>"
    assert second.mail["Subject"] == first.mail["Subject"]


# --- bad input: refused, nothing written ------------------------------------------------------------


def test_a_reply_without_a_mailbox_is_refused_and_nothing_is_stored(
    db: None, agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    contact = contact_open(channel="email", identities=[("email", "a@b.nl")], text="Hallo").contact
    with pytest.raises(Invalid, match="geen actieve mailbox"):
        reply(django_capture_on_commit_callbacks, contact, agent, "Antwoord")
    assert contact.messages.count() == 1
    assert not Delivery.objects.exists() and not OutgoingMail.objects.exists()


def test_a_reply_without_an_address_is_refused(
    mailbox: Mailbox, agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    contact = contact_open(channel="email", identities=[("phone", "0612345678")], text="Hallo").contact
    with pytest.raises(Invalid, match="geen e-mailadres"):
        reply(django_capture_on_commit_callbacks, contact, agent, "Antwoord")
    assert contact.messages.count() == 1 and not Delivery.objects.exists()


def test_bad_extras_are_refused(mail_contact: Contact, agent: User, attachment_files: Path) -> None:
    other = contact_open(channel="email", identities=[("email", "x@y.nl")], text="Hallo").contact
    foreign = attachment_store(contact=other, data=b"hallo", filename="x.txt")
    with pytest.raises(Invalid) as unknown:
        reply_extras(contact=mail_contact, attachment_ids=[987654])
    assert unknown.value.field == "attachment_ids"
    with pytest.raises(Invalid, match="ander contact") as elsewhere:
        reply_extras(contact=mail_contact, attachment_ids=[foreign.pk])
    assert elsewhere.value.field == "attachment_ids"
    with pytest.raises(Invalid, match="geen e-mailadres") as bad_cc:
        reply_extras(contact=mail_contact, cc=["geen adres"])
    assert bad_cc.value.field == "cc"
    with pytest.raises(Invalid):  # CC on a channel that does not send
        message_add(
            contact=other,
            author="agent",
            kind="note",
            text="x",
            agent=agent,
            extras=ReplyExtras(cc=("a@b.nl",)),
        )
    assert not Delivery.objects.exists()


def test_the_periodic_job_sends_a_backlog_over_one_connection_and_a_refusal_stops_only_its_mail(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # queued while no sender ran
        messages = [
            message_add(contact=mail_contact, author="agent", text=f"Antwoord {i}", agent=agent)
            for i in range(3)
        ]
    smtp_receiver.answers.extend(["", "550 5.7.1 Niet deze"])
    assert deliveries_due(timezone.now() + timedelta(seconds=1)) == 2
    statuses = [Delivery.objects.get(message=m).status for m in messages]
    assert statuses == ["sent", "failed", "sent"]
    got = smtp_receiver.wait_for(2)
    assert sorted(r.mail.get_body(("plain",)).get_content().split("\r\n")[0] for r in got) == [
        "Antwoord 0",
        "Antwoord 2",
    ]
    assert deliveries_due(timezone.now() + timedelta(hours=2)) == 0  # nothing sent twice


def test_names_subjects_and_file_names_outside_ascii_arrive_intact(
    mail_contact: Contact,
    make_user: Callable[..., User],
    smtp_receiver: SmtpReceiver,
    attachment_files: Path,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    agent = make_user("emile", "agent", first_name="Émile", last_name="Çelik")
    Contact.objects.filter(pk=mail_contact.pk).update(subject="Factuur é")
    InboundMail.objects.filter(contact=mail_contact).update(subject="Rekening van € 80 — ëën vraag")
    attachment = attachment_store(contact=mail_contact, data=b"%PDF-1.4\n%%EOF\n", filename="rékening.pdf")
    extras = reply_extras(contact=mail_contact, attachment_ids=[attachment.pk])
    reply(django_capture_on_commit_callbacks, mail_contact, agent, "Geachte heer Ünal, één ding: €.",
          attachments=extras.attachments)  # fmt: skip
    [got] = smtp_receiver.wait_for(1)
    assert got.raw.isascii()  # encoded words, quoted-printable and base64: fit for any server
    assert got.mail["From"].addresses[0].display_name == "Émile Çelik via klantenservice"
    assert got.mail["Subject"] == f"Re: Rekening van € 80 — ëën vraag [#{mail_contact.pk}]"
    assert "één ding: €." in got.mail.get_body(("plain",)).get_content()
    [part] = list(got.mail.iter_attachments())
    assert part.get_filename() == "rékening.pdf"


def test_smtp_login_with_an_xoauth2_token(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    url = f"smtp://desk%40gezien.example:good-token@127.0.0.1:{smtp_receiver.port}?auth=xoauth2"
    Mailbox.objects.filter(name="klantenservice").update(smtp_url=url)
    reply(django_capture_on_commit_callbacks, mail_contact, agent, "Het komt goed.")
    assert smtp_receiver.logins == [("xoauth2", "user=desk@gezien.example\x01auth=Bearer good-token\x01\x01")]
    assert len(smtp_receiver.wait_for(1)) == 1


def test_a_refused_login_is_a_permanent_failure(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    url = f"smtp://desk%40gezien.example:expired-token@127.0.0.1:{smtp_receiver.port}?auth=xoauth2"
    Mailbox.objects.filter(name="klantenservice").update(smtp_url=url)
    message = reply(django_capture_on_commit_callbacks, mail_contact, agent, "Het komt goed.")
    delivery = Delivery.objects.get(message=message)
    assert delivery.status == "failed"
    assert delivery.last_error == "535 5.7.8 Authentication credentials invalid"
    assert smtp_receiver.received == []


def test_with_a_worker_the_mail_goes_by_the_task_queue(
    mail_contact: Contact,
    agent: User,
    smtp_receiver: SmtpReceiver,
    settings: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    """Where a worker runs (GEZIEN_ANALYSIS_INLINE off) the reply's commit enqueues `mail_send_task`; the
    dummy backend keeps what was enqueued, and running it sends the mail."""
    settings.GEZIEN_ANALYSIS_INLINE = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    from gezien.mail.tasks import mail_send_task

    message = reply(django_capture_on_commit_callbacks, mail_contact, agent, "Via de wachtrij.")
    delivery = Delivery.objects.get(message=message)
    assert delivery.status == "queued" and smtp_receiver.received == []  # the request sent nothing
    [queued] = [r for r in default_task_backend.results if r.task.name == mail_send_task.name]
    assert queued.args == [delivery.pk]
    assert mail_send_task.call(*queued.args) == "sent"
    assert len(smtp_receiver.wait_for(1)) == 1
