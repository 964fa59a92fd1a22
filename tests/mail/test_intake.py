"""Mail intake on a real database with raw mails: every outcome, threading, duplicates, quarantine."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.contacts.handling import contact_set_status
from gezien.contacts.models import (
    Attachment,
    Author,
    Channel,
    Contact,
    Delivery,
    DeliveryStatus,
    Matter,
    Message,
    Recognition,
    Status,
)
from gezien.contacts.services import message_add
from gezien.customers.models import Customer
from gezien.mail import intake
from gezien.mail.intake import ingest, mail_retry
from gezien.mail.models import BlockedSender, InboundMail, Mailbox, Outcome, OutgoingMail
from gezien.mail.services import contact_mark_spam
from gezien.notifications.models import Notification
from tests.mail.conftest import eml


def _reply_to(contact: Contact, agent: Any, mailbox: Mailbox, header_id: str) -> OutgoingMail:
    """An agent's reply that left as a mail: queued by the e-mail sender (gezien.mail.outgoing) in the
    reply's transaction, then marked sent, under a Message-ID the test chooses."""
    message = message_add(contact=contact, author=Author.AGENT, agent=agent, text="We kijken ernaar.")
    Delivery.objects.filter(message=message).update(status=DeliveryStatus.SENT)
    OutgoingMail.objects.filter(message=message).update(header_id=header_id)
    outgoing = OutgoingMail.objects.get(message=message)
    assert outgoing.mailbox == mailbox and outgoing.to_address == "a.jansen@ziggo.nl"
    return outgoing


def test_a_new_mail_from_a_known_customer_opens_a_recognised_contact(
    mailbox: Mailbox, customer: Customer
) -> None:
    result = ingest(mailbox, eml(headers={"Cc": "Piet Jansen <piet@ziggo.nl>"}))
    assert result.outcome == "contact" and result.contact_id and result.message_id
    contact = Contact.objects.get(pk=result.contact_id)
    assert contact.channel == Channel.EMAIL
    assert contact.recognition == Recognition.RECOGNISED and contact.customer == customer
    assert contact.subject == "Mijn bestelling is niet aangekomen"
    assert contact.team == mailbox.team
    inbound = InboundMail.objects.get(pk=result.inbound_id)
    assert inbound.header_id == "m1@ziggo.nl" and inbound.from_name == "Annie Jansen"
    assert inbound.cc == [["Piet Jansen", "piet@ziggo.nl"]]
    assert inbound.message_id == result.message_id and inbound.attempts == 1


def test_an_unknown_sender_is_a_contact_without_a_customer_and_keeps_the_display_name(
    mailbox: Mailbox,
) -> None:
    result = ingest(mailbox, eml(sender='"Kees de Boer" <kees@example.org>'))
    contact = Contact.objects.get(pk=result.contact_id)
    assert contact.recognition == Recognition.UNIDENTIFIED and contact.customer is None
    assert contact.identity_value == "kees@example.org"
    assert InboundMail.objects.get(contact=contact).from_name == "Kees de Boer"


def test_the_message_holds_the_new_words_and_the_full_mail_stays_raw(mailbox: Mailbox) -> None:
    body = (
        "Dank u, dat klopt nu.\n\n"
        "Op 6 dec. 2026 om 10:00 schreef Klantenservice <klantenservice@voorbeeld.nl>:\n"
        "> Wij hebben uw bestelling opnieuw verstuurd.\n> Met vriendelijke groet,\n> Sanne"
    )
    result = ingest(mailbox, eml(body=body))
    text = Message.objects.get(pk=result.message_id).text
    assert "Dank u, dat klopt nu." in text and "opnieuw verstuurd" not in text
    assert b"opnieuw verstuurd" in bytes(InboundMail.objects.get(pk=result.inbound_id).raw)


def test_a_reply_threads_by_in_reply_to_to_our_outgoing_mail(mailbox: Mailbox, agent: Any) -> None:
    first = ingest(mailbox, eml())
    contact = Contact.objects.get(pk=first.contact_id)
    _reply_to(contact, agent, mailbox, "reply-1@gezien.mail")
    again = ingest(
        mailbox,
        eml(
            subject="Iets heel anders",
            message_id="<m2@ziggo.nl>",
            headers={
                "In-Reply-To": "<reply-1@gezien.mail>",
                "References": "<m1@ziggo.nl> <reply-1@gezien.mail>",
            },
        ),
    )
    assert again.outcome == "message" and again.contact_id == contact.pk
    assert contact.messages.filter(author=Author.CUSTOMER).count() == 2


def test_references_to_the_customers_own_earlier_mail_thread_too(mailbox: Mailbox) -> None:
    first = ingest(mailbox, eml())
    again = ingest(
        mailbox,
        eml(subject="Aanvulling", message_id="<m2@ziggo.nl>", headers={"References": "<m1@ziggo.nl>"}),
    )
    assert (again.outcome, again.contact_id) == ("message", first.contact_id)


def test_a_contact_token_in_the_subject_threads_a_mail_from_the_same_sender(mailbox: Mailbox) -> None:
    first = ingest(mailbox, eml())
    token = f"Andere vraag [#{first.contact_id}]"
    again = ingest(mailbox, eml(subject=token, message_id="<m2@ziggo.nl>"))
    assert (again.outcome, again.contact_id) == ("message", first.contact_id)
    # Someone else using the number gets a contact of their own: a token alone proves nothing.
    stranger = ingest(mailbox, eml(subject=token, message_id="<x@evil.example>", sender="x@evil.example"))
    assert stranger.outcome == "contact" and stranger.contact_id != first.contact_id


def test_same_sender_and_subject_thread_within_the_window_only(mailbox: Mailbox, settings: Any) -> None:
    first = ingest(mailbox, eml())
    again = ingest(mailbox, eml(subject="RE: Mijn bestelling is niet aangekomen", message_id="<m2@ziggo.nl>"))
    assert (again.outcome, again.contact_id) == ("message", first.contact_id)
    InboundMail.objects.filter(pk=first.inbound_id).update(received_at=timezone.now() - timedelta(days=15))
    InboundMail.objects.filter(pk=again.inbound_id).update(received_at=timezone.now() - timedelta(days=15))
    later = ingest(mailbox, eml(subject="Re: Mijn bestelling is niet aangekomen", message_id="<m3@ziggo.nl>"))
    assert later.outcome == "contact" and later.contact_id != first.contact_id


def test_a_different_subject_from_the_same_sender_is_a_new_contact(mailbox: Mailbox) -> None:
    first = ingest(mailbox, eml())
    other = ingest(mailbox, eml(subject="Vraag over mijn factuur", message_id="<m2@ziggo.nl>"))
    assert other.outcome == "contact" and other.contact_id != first.contact_id


def test_a_reply_to_a_recently_closed_contact_reopens_it(mailbox: Mailbox) -> None:
    first = ingest(mailbox, eml())
    contact = Contact.objects.get(pk=first.contact_id)
    contact_set_status(contact=contact, status=Status.CLOSED)
    again = ingest(mailbox, eml(message_id="<m2@ziggo.nl>", headers={"In-Reply-To": "<m1@ziggo.nl>"}))
    assert (again.outcome, again.contact_id) == ("message", contact.pk)
    assert "reopened" in again.reason
    contact.refresh_from_db()
    assert contact.status == Status.OPEN


def test_a_reply_to_a_long_closed_contact_opens_a_new_one_in_the_same_kwestie(
    mailbox: Mailbox, customer: Customer
) -> None:
    first = ingest(mailbox, eml())
    contact = Contact.objects.get(pk=first.contact_id)
    at = timezone.now() - timedelta(days=30)
    matter = Matter.objects.create(customer=customer, title="bestelling", opened_at=at, last_contact_at=at)
    contact_set_status(contact=contact, status=Status.CLOSED, at=at)
    Contact.objects.filter(pk=contact.pk).update(matter=matter)
    again = ingest(mailbox, eml(message_id="<m2@ziggo.nl>", headers={"In-Reply-To": "<m1@ziggo.nl>"}))
    assert again.outcome == "contact" and again.contact_id != contact.pk
    assert f"follows closed contact {contact.pk}" in again.reason
    new = Contact.objects.get(pk=again.contact_id)
    assert new.matter_id == matter.pk and new.status == Status.OPEN
    contact.refresh_from_db()
    assert contact.status == Status.CLOSED


def test_the_same_message_id_twice_is_one_message(mailbox: Mailbox) -> None:
    first = ingest(mailbox, eml())
    second = ingest(mailbox, eml())
    assert second.outcome == "duplicate"
    assert (second.contact_id, second.message_id) == (first.contact_id, first.message_id)
    assert InboundMail.objects.get(pk=second.inbound_id).duplicate_of_id == first.inbound_id
    assert Message.objects.filter(author=Author.CUSTOMER).count() == 1


def test_the_same_imap_uid_twice_is_stored_once(mailbox: Mailbox) -> None:
    ingest(mailbox, eml(), imap_uidvalidity=7, imap_uid=1)
    again = ingest(mailbox, eml(message_id="<other@ziggo.nl>"), imap_uidvalidity=7, imap_uid=1)
    assert again.outcome == "duplicate"
    assert InboundMail.objects.count() == 1


DSN = b"""From: Mail Delivery System <MAILER-DAEMON@mx.ziggo.nl>\r
To: klantenservice@voorbeeld.nl\r
Subject: Undelivered Mail Returned to Sender\r
Message-ID: <dsn-1@mx.ziggo.nl>\r
Auto-Submitted: auto-replied\r
MIME-Version: 1.0\r
Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r
\r
--B\r
Content-Type: text/plain\r
\r
This is the mail system. Your message could not be delivered: user unknown.\r
--B\r
Content-Type: message/delivery-status\r
\r
Reporting-MTA: dns; mx.ziggo.nl\r
\r
Final-Recipient: rfc822; a.jansen@ziggo.nl\r
Action: failed\r
Status: 5.1.1\r
Diagnostic-Code: smtp; 550 5.1.1 <a.jansen@ziggo.nl>: Recipient address rejected: User unknown\r
--B\r
Content-Type: text/rfc822-headers\r
\r
From: klantenservice@voorbeeld.nl\r
To: a.jansen@ziggo.nl\r
Subject: Re: Mijn bestelling\r
Message-ID: <reply-1@gezien.mail>\r
--B--\r
"""


def test_a_bounce_marks_the_outgoing_mail_bounced_and_tells_its_agent(mailbox: Mailbox, agent: Any) -> None:
    first = ingest(mailbox, eml())
    contact = Contact.objects.get(pk=first.contact_id)
    outgoing = _reply_to(contact, agent, mailbox, "reply-1@gezien.mail")
    result = ingest(mailbox, DSN)
    assert result.outcome == "bounce" and result.contact_id == contact.pk
    assert result.reason
    delivery = Delivery.objects.get(message=outgoing.message)
    assert delivery.status == DeliveryStatus.BOUNCED and delivery.finished_at is not None
    assert delivery.last_error
    note = Notification.objects.get(recipient=agent)
    assert note.kind == intake.BOUNCE_KIND and note.contact_id == contact.pk
    assert contact.messages.count() == 2  # the bounce is no message from the customer


def test_a_bounce_about_nothing_of_ours_is_still_recorded(mailbox: Mailbox) -> None:
    result = ingest(mailbox, DSN)
    assert result.outcome == "bounce" and result.contact_id is None
    assert InboundMail.objects.get(pk=result.inbound_id).outcome == Outcome.BOUNCE


@pytest.mark.parametrize(
    ("headers", "subject"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Afwezig: Mijn bestelling"),
        ({"Precedence": "bulk"}, "Nieuwsbrief december"),
        ({"X-Autoreply": "yes"}, "Mijn bestelling"),
        ({}, "Automatisch antwoord: Mijn bestelling"),
    ],
)
def test_auto_replies_are_recorded_with_their_reason_not_contacts(
    mailbox: Mailbox, headers: dict[str, str], subject: str
) -> None:
    result = ingest(mailbox, eml(subject=subject, headers=headers, body="Ik ben afwezig tot maandag."))
    assert result.outcome == "auto_reply" and result.reason
    assert result.message_id is None
    assert not Contact.objects.exists()


MDN = b"""From: a.jansen@ziggo.nl\r
To: klantenservice@voorbeeld.nl\r
Subject: Gelezen: Re: Mijn bestelling\r
Message-ID: <mdn-1@ziggo.nl>\r
MIME-Version: 1.0\r
Content-Type: multipart/report; report-type=disposition-notification; boundary="R"\r
\r
--R\r
Content-Type: text/plain\r
\r
Uw bericht is gelezen.\r
--R\r
Content-Type: message/disposition-notification\r
\r
Final-Recipient: rfc822; a.jansen@ziggo.nl\r
Original-Message-ID: <reply-1@gezien.mail>\r
Disposition: manual-action/MDN-sent-manually; displayed\r
--R--\r
"""

ARF = b"""From: feedback@hotmail.example\r
To: klantenservice@voorbeeld.nl\r
Subject: complaint about message\r
Message-ID: <arf-1@hotmail.example>\r
MIME-Version: 1.0\r
Content-Type: multipart/report; report-type=feedback-report; boundary="F"\r
\r
--F\r
Content-Type: text/plain\r
\r
This is an email abuse report.\r
--F\r
Content-Type: message/feedback-report\r
\r
Feedback-Type: abuse\r
User-Agent: SomeGenerator/1.0\r
Version: 1\r
--F\r
Content-Type: text/rfc822-headers\r
\r
From: klantenservice@voorbeeld.nl\r
Message-ID: <reply-1@gezien.mail>\r
--F--\r
"""


@pytest.mark.parametrize(("raw", "outcome"), [(MDN, "receipt"), (ARF, "complaint")])
def test_receipts_and_complaints_are_recorded_not_contacts(
    mailbox: Mailbox, raw: bytes, outcome: str
) -> None:
    result = ingest(mailbox, raw)
    assert result.outcome == outcome and result.reason
    assert not Contact.objects.exists()


def test_our_own_mail_looping_back_is_recorded_as_automatic(mailbox: Mailbox) -> None:
    raw = eml(sender="klantenservice@voorbeeld.nl", headers={"X-Gezien-Mailbox": "klantenservice"})
    result = ingest(mailbox, raw)
    assert result.outcome == "auto_reply" and result.reason.startswith("loop")
    assert not Contact.objects.exists()


def test_a_mail_carrying_the_message_id_of_our_own_reply_is_a_loop(mailbox: Mailbox, agent: Any) -> None:
    first = ingest(mailbox, eml())
    _reply_to(Contact.objects.get(pk=first.contact_id), agent, mailbox, "abc.1@voorbeeld.nl")
    again = ingest(mailbox, eml(message_id="<abc.1@voorbeeld.nl>", sender="klantenservice@voorbeeld.nl"))
    assert (again.outcome, again.reason) == ("auto_reply", "loop: our own Message-ID")


def test_a_mail_flagged_as_spam_upstream_waits_in_quarantine_and_can_be_let_through(mailbox: Mailbox) -> None:
    result = ingest(mailbox, eml(headers={"X-Spam-Flag": "YES", "X-Spam-Status": "Yes, score=9.1"}))
    assert (result.outcome, result.reason) == ("quarantined", "spam")
    assert not Contact.objects.exists()
    inbound = InboundMail.objects.get(pk=result.inbound_id)
    assert mail_retry(inbound).outcome == "quarantined"  # still spam
    released = mail_retry(inbound, release=True)
    assert released.outcome == "contact" and released.contact_id


def test_a_blocked_sender_goes_to_quarantine(mailbox: Mailbox, agent: Any) -> None:
    first = ingest(mailbox, eml(sender="spammer@junk.example", subject="Goedkope pillen"))
    contact = Contact.objects.get(pk=first.contact_id)
    contact_mark_spam(contact=contact, actor=agent)
    contact.refresh_from_db()
    assert contact.status == Status.CLOSED
    assert BlockedSender.objects.get().address == "spammer@junk.example"
    again = ingest(
        mailbox,
        eml(
            sender="Spammer <SPAMMER@junk.example>", subject="Nog meer pillen", message_id="<s2@junk.example>"
        ),
    )
    assert (again.outcome, again.reason) == ("quarantined", "blocked")
    assert Contact.objects.count() == 1


def test_a_mail_that_fails_goes_to_quarantine_with_its_error_and_a_retry_handles_it(mailbox: Mailbox) -> None:
    raw = eml(sender="", message_id="<no-sender@x>")  # no sender: nobody to answer
    result = ingest(mailbox, raw)
    assert (result.outcome, result.reason) == ("quarantined", "error")
    inbound = InboundMail.objects.get(pk=result.inbound_id)
    assert inbound.error and inbound.attempts == 1 and bytes(inbound.raw) == raw
    assert (inbound.header_id, inbound.subject) == ("no-sender@x", "Mijn bestelling is niet aangekomen")
    assert not Contact.objects.exists() and not Message.objects.exists()
    again = mail_retry(inbound)
    inbound.refresh_from_db()
    assert again.outcome == "quarantined" and inbound.attempts == 2


def test_garbage_bytes_are_kept_in_quarantine(mailbox: Mailbox) -> None:
    result = ingest(mailbox, b"\x00\x00\x00")
    assert result.outcome == "quarantined"
    inbound = InboundMail.objects.get(pk=result.inbound_id)
    assert bytes(inbound.raw) == b"\x00\x00\x00" and "MailParseError" in inbound.error


def test_a_retry_after_the_cause_is_fixed_makes_the_contact(mailbox: Mailbox) -> None:
    BlockedSender.objects.create(address="a.jansen@ziggo.nl")
    result = ingest(mailbox, eml())
    assert result.reason == "blocked"
    BlockedSender.objects.all().delete()
    again = mail_retry(InboundMail.objects.get(pk=result.inbound_id))
    assert again.outcome == "contact"
    # A handled mail is left alone by a second retry.
    assert mail_retry(InboundMail.objects.get(pk=result.inbound_id)).contact_id == again.contact_id
    assert Contact.objects.count() == 1


def test_a_one_megabyte_mail_becomes_a_contact_with_its_text_cut_and_kept_whole(
    mailbox: Mailbox, settings: Any
) -> None:
    body = ("Dit is een heel lange klacht over de levering. " * 22_000)[:1_000_000]
    raw = eml(body=body)
    assert len(raw) > 1_000_000
    result = ingest(mailbox, raw)
    assert result.outcome == "contact"
    text = Message.objects.get(pk=result.message_id).text
    assert len(text) <= settings.GEZIEN_MAX_MESSAGE_CHARS and text.endswith(intake.TEXT_MARK)
    assert InboundMail.objects.get(pk=result.inbound_id).size == len(raw)


def test_attachments_are_stored_with_the_message(mailbox: Mailbox, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    raw = b"""From: Annie Jansen <a.jansen@ziggo.nl>\r
To: klantenservice@voorbeeld.nl\r
Subject: Foto van de schade\r
Message-ID: <att-1@ziggo.nl>\r
MIME-Version: 1.0\r
Content-Type: multipart/mixed; boundary="A"\r
\r
--A\r
Content-Type: text/plain; charset=utf-8\r
\r
Zie de bijlage.\r
--A\r
Content-Type: text/plain; name="bon.txt"\r
Content-Disposition: attachment; filename="bon.txt"\r
\r
Kassabon 12345\r
--A--\r
"""
    result = ingest(mailbox, raw)
    attachment = Attachment.objects.get()
    assert attachment.message_id == result.message_id and attachment.filename == "bon.txt"
    assert attachment.file.read().strip() == b"Kassabon 12345"


def test_an_attachment_refused_by_the_store_leaves_the_mail_a_contact_and_says_so(
    mailbox: Mailbox, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.GEZIEN_ATTACHMENT_MAX_BYTES = 10
    raw = eml(
        content_type='multipart/mixed; boundary="A"',
        body=(
            "--A\nContent-Type: text/plain; charset=utf-8\n\nZie de bijlage.\n"
            '--A\nContent-Type: text/plain; name="bon.txt"\n'
            'Content-Disposition: attachment; filename="bon.txt"\n\n'
            "Kassabon 12345 met een lange regel tekst\n--A--\n"
        ),
    )
    result = ingest(mailbox, raw)
    assert result.outcome == "contact" and "attachments refused: bon.txt" in result.reason
    assert not Attachment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_copies_of_one_mail_arriving_at_once_make_one_contact(mailbox: Mailbox) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor == "sqlite":  # its in-memory test database refuses a second writer at once
        pytest.skip("concurrent writers need PostgreSQL (SQLite's writers take turns)")

    def take_in(_: int) -> str:
        try:
            return ingest(Mailbox.objects.get(pk=mailbox.pk), eml()).outcome
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(take_in, range(4)))
    assert outcomes == ["contact", "duplicate", "duplicate", "duplicate"]
    assert Contact.objects.count() == 1 and InboundMail.objects.count() == 4


def test_many_mails_in_batches_get_the_outcomes_of_one_by_one_in_order(mailbox: Mailbox) -> None:
    mails = [
        eml(),  # a new contact
        eml(message_id="<m2@ziggo.nl>", subject="Re: Mijn bestelling is niet aangekomen"),  # joins it
        eml(),  # the first again: a duplicate
        eml(sender="", message_id="<no-sender@x>"),  # fails: quarantined, alone
        intake.RawMail(eml(message_id="<m3@ziggo.nl>", subject="Andere vraag"), 9, 1),
        intake.RawMail(eml(message_id="<m4@ziggo.nl>", subject="Nog een vraag"), 9, 1),  # that UID again
        eml(message_id="<m5@ziggo.nl>", subject="Derde vraag", sender="kees@example.org"),
    ]
    results = intake.ingest_many(mailbox, mails, batch=3)
    assert [r.outcome for r in results] == [
        "contact", "message", "duplicate", "quarantined", "contact", "duplicate", "contact"
    ]  # fmt: skip
    assert results[1].contact_id == results[0].contact_id == results[2].contact_id
    assert results[5].reason == "imap uid seen before"
    assert InboundMail.objects.count() == 6  # every mail kept raw, the repeated UID once
    failed = InboundMail.objects.get(pk=results[3].inbound_id)
    assert failed.error and failed.attempts == 1 and failed.contact is None
    # The failing mail rolled back alone: the mails beside it in its batch are whole.
    assert Contact.objects.count() == 3
    assert Message.objects.filter(author=Author.CUSTOMER).count() == 4


def test_a_batch_whose_transaction_fails_is_handled_one_by_one(
    mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_process, calls = intake.process, []

    def failing_after_the_mails(inbound: InboundMail, **options: Any) -> intake.IngestResult:
        calls.append(inbound.pk)
        result = real_process(inbound, **options)
        if len(calls) == 2:  # the batch's transaction breaks after its second mail was handled
            raise RuntimeError("the database went away")
        return result

    monkeypatch.setattr(intake, "process", failing_after_the_mails)
    results = intake.ingest_many(
        mailbox, [eml(), eml(message_id="<m2@ziggo.nl>", subject="Iets anders")], batch=10
    )
    assert [r.outcome for r in results] == ["contact", "contact"]
    assert Contact.objects.count() == 2 and InboundMail.objects.count() == 2
    assert set(InboundMail.objects.values_list("attempts", flat=True)) == {1}  # the failed round left nothing


def test_a_mail_stored_but_never_handled_is_handled_by_the_periodic_job(mailbox: Mailbox) -> None:
    stored = intake._store(mailbox, eml(), imap_uidvalidity=3, imap_uid=8)  # the process stopped here
    assert stored is not None and stored.outcome == Outcome.PENDING
    # Fetched again over IMAP: the same UID, so it is not stored twice (and not handled either).
    assert ingest(mailbox, eml(), imap_uidvalidity=3, imap_uid=8).reason == "imap uid seen before"
    now = timezone.now()
    assert intake.mails_pending(now) == 0  # a mail just stored may still be in hand
    assert intake.mails_pending(now + intake.PENDING_AFTER + timedelta(seconds=1)) == 1
    stored.refresh_from_db()
    assert stored.outcome == "contact" and stored.contact_id is not None
    assert intake.mails_pending(now + timedelta(days=1)) == 0
