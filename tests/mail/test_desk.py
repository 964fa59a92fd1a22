"""E-mail in the desk: admin screens for mailboxes and the quarantine, folded quotes and spam in a contact."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gezien.accounts.models import User
from gezien.contacts.models import Contact, Status
from gezien.mail import selectors
from gezien.mail.intake import ingest
from gezien.mail.models import BlockedSender, InboundMail, Mailbox
from gezien.mail.reasons import reason_text
from gezien.web.navigation import menu
from tests.mail.conftest import eml
from tests.web.test_english import dutch_in

QUOTED = (
    "Het pakket is er nog steeds niet.\n\n"
    "Op 6 dec. 2026 om 10:00 schreef Klantenservice <klantenservice@voorbeeld.nl>:\n"
    "> Uw pakket is onderweg en komt morgen.\n"
    "> Met vriendelijke groet,\n> Sanne"
)


def _admin(client: Client, make_user: Callable[..., User]) -> Client:
    client.force_login(make_user("beheer", "admin"))
    return client


def test_only_admins_see_and_open_the_mail_screens(
    mailbox: Mailbox, make_user: Callable[..., User], desk: Client, agent: User
) -> None:
    admin = make_user("beheer", "admin")
    admin_keys = {link.key for link in menu(admin).more}
    assert {"mailboxes", "mail_quarantine"} <= admin_keys
    agent_keys = {link.key for link in [*menu(agent).main, *menu(agent).more]}
    assert not {"mailboxes", "mail_quarantine"} & agent_keys
    inbound = ingest(mailbox, b"\x00")
    for url in [
        "/desk/mail/mailboxes/",
        "/desk/mail/mailboxes/new/",
        f"/desk/mail/mailboxes/{mailbox.pk}/",
        "/desk/mail/quarantine/",
        f"/desk/mail/inbound/{inbound.inbound_id}/raw/",
    ]:
        assert desk.get(url).status_code == 403, url
    assert desk.post(f"/desk/mail/inbound/{inbound.inbound_id}/retry/").status_code == 403


def test_an_admin_adds_and_edits_a_mailbox_without_ever_seeing_its_password(
    db: None, client: Client, make_user: Callable[..., User], team: Any
) -> None:
    admin = _admin(client, make_user)
    bad = admin.post(
        "/desk/mail/mailboxes/new/", {"name": "support", "address": "s@v.nl", "imap_url": "http://x"}
    )
    assert bad.status_code == 422 and "imaps://" in bad.content.decode()
    assert not Mailbox.objects.exists()
    made = admin.post(
        "/desk/mail/mailboxes/new/",
        {
            "name": "support",
            "address": "support@voorbeeld.nl",
            "team": team.pk,
            "imap_url": "imaps://support:geheim123@imap.voorbeeld.nl/INBOX",
            "smtp_url": "smtp+starttls://support:geheim123@smtp.voorbeeld.nl",
            "active": "on",
        },
    )
    assert made.status_code == 302
    box = Mailbox.objects.get()
    page = admin.get("/desk/mail/mailboxes/").content.decode()
    assert "support@voorbeeld.nl" in page and "imaps://support@imap.voorbeeld.nl:993/INBOX" in page
    assert "geheim123" not in page
    form = admin.get(f"/desk/mail/mailboxes/{box.pk}/").content.decode()
    assert "geheim123" not in form and "imaps://support@imap.voorbeeld.nl:993/INBOX" in form
    saved = admin.post(
        f"/desk/mail/mailboxes/{box.pk}/",
        {
            "name": "other-name",
            "address": "support@voorbeeld.nl",
            "imap_url": "imaps://support@imap.voorbeeld.nl:993/INBOX",
            "smtp_url": "smtp+starttls://support@smtp.voorbeeld.nl:587",
            "signature": "Team Klantenservice",
        },
    )
    assert saved.status_code == 302
    box.refresh_from_db()
    assert box.name == "support" and "geheim123" in box.imap_url and "geheim123" in box.smtp_url
    assert box.signature == "Team Klantenservice" and box.team is None and not box.active


def test_the_quarantine_shows_the_error_downloads_and_retries(
    mailbox: Mailbox, client: Client, make_user: Callable[..., User]
) -> None:
    admin = _admin(client, make_user)
    broken = ingest(mailbox, b"\x00\x00")
    BlockedSender.objects.create(address="a.jansen@ziggo.nl")
    held = ingest(mailbox, eml())
    page = admin.get("/desk/mail/quarantine/").content.decode()
    assert "Kon niet worden gelezen" in page and "MailParseError" not in page and "geblokkeerd" in page
    raw = admin.get(f"/desk/mail/inbound/{held.inbound_id}/raw/")
    assert raw["Content-Type"] == "message/rfc822" and raw["Content-Disposition"].startswith("attachment")
    assert raw.content == eml()
    again = admin.post(f"/desk/mail/inbound/{broken.inbound_id}/retry/", follow=True)
    assert "nog in quarantaine" in again.content.decode()
    assert InboundMail.objects.get(pk=broken.inbound_id).attempts == 2
    admin.post(f"/desk/mail/inbound/{held.inbound_id}/retry/", {"release": "1"})
    assert InboundMail.objects.get(pk=held.inbound_id).outcome == "contact"


def test_the_quarantine_retries_the_ticked_mails_or_every_error_at_once(
    mailbox: Mailbox, client: Client, make_user: Callable[..., User]
) -> None:
    admin = _admin(client, make_user)
    broken = [ingest(mailbox, b"\x00\x00" + bytes([n + 1])) for n in range(2)]
    BlockedSender.objects.create(address="a.jansen@ziggo.nl")
    held = ingest(mailbox, eml())
    page = admin.get("/desk/mail/quarantine/").content.decode()
    assert 'data-testid="bulk-retry"' in page and page.count('data-testid="pick"') == 3
    # The ticked blocked mail let through; the others stay.
    done = admin.post("/desk/mail/inbound/retry/", {"ids": [held.inbound_id], "release": "1"}, follow=True)
    assert "1 van 1 e-mails verwerkt; 2 staan nog in quarantaine." in done.content.decode()
    assert InboundMail.objects.get(pk=held.inbound_id).outcome == "contact"
    # Every mail held by an error, again (still unreadable).
    again = admin.post("/desk/mail/inbound/retry/", {"scope": "errors"}, follow=True)
    assert "0 van 2 e-mails verwerkt" in again.content.decode()
    assert [m.attempts for m in InboundMail.objects.filter(pk__in=[b.inbound_id for b in broken])] == [2, 2]
    nothing = admin.post("/desk/mail/inbound/retry/", {"scope": "selected"}, follow=True)
    assert "Kies eerst de e-mails" in nothing.content.decode()


def test_an_email_shows_its_new_words_with_the_rest_folded_away_and_its_cc(
    mailbox: Mailbox, desk: Client
) -> None:
    result = ingest(mailbox, eml(body=QUOTED, headers={"Cc": "Piet Jansen <piet@ziggo.nl>"}))
    page = desk.get(f"/desk/contacts/{result.contact_id}/").content.decode()
    text_start = page.index('<div class="text">')
    new_words = page[text_start : page.index("</div>", text_start)]
    assert "Het pakket is er nog steeds niet." in new_words and "onderweg" not in new_words
    assert "Toon de hele e-mail" in page and "Uw pakket is onderweg" in page  # inside the <details>
    assert "piet@ziggo.nl" in page


def test_the_thread_shows_the_mail_as_kept_at_intake_without_parsing_it_again(
    mailbox: Mailbox, desk: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = ingest(mailbox, eml(body=QUOTED))
    inbound = InboundMail.objects.get(pk=result.inbound_id)
    assert inbound.folded and inbound.text is not None and "Uw pakket is onderweg" in inbound.text

    def no_parsing(raw: bytes) -> None:
        raise AssertionError("the contact page parsed the raw mail")

    monkeypatch.setattr(selectors, "parse", no_parsing)
    page = desk.get(f"/desk/contacts/{result.contact_id}/").content.decode()
    assert "Toon de hele e-mail" in page and "Uw pakket is onderweg" in page
    # A mail kept before the intake stored its text is parsed on the view, as before.
    InboundMail.objects.filter(pk=inbound.pk).update(text=None, folded=False)
    monkeypatch.undo()
    page = desk.get(f"/desk/contacts/{result.contact_id}/").content.decode()
    assert "Toon de hele e-mail" in page and "Uw pakket is onderweg" in page


def test_an_html_mail_with_scripts_stays_escaped_in_the_desk(mailbox: Mailbox, desk: Client) -> None:
    html = (
        "<html><body><p>Hallo &lt;b&gt;, mijn order</p><script>alert('xss')</script>"
        "<img src=x onerror=alert(1)><p>&lt;script&gt;alert(2)&lt;/script&gt;</p></body></html>"
    )
    result = ingest(mailbox, eml(body=html, content_type="text/html; charset=utf-8"))
    assert result.outcome == "contact"
    page = desk.get(f"/desk/contacts/{result.contact_id}/").content.decode()
    assert "alert('xss')" not in page and "onerror" not in page
    assert "<script>alert(2)" not in page and "&lt;script&gt;alert(2)" in page


def test_an_unknown_sender_fills_the_new_customer_form(mailbox: Mailbox, desk: Client) -> None:
    result = ingest(mailbox, eml(sender='"Kees de Boer" <kees@example.org>'))
    page = desk.get(f"/desk/contacts/{result.contact_id}/").content.decode()
    assert 'value="Kees"' in page and 'value="de Boer"' in page and 'value="kees@example.org"' in page


def test_an_agent_marks_an_email_as_spam_in_the_desk(mailbox: Mailbox, desk: Client) -> None:
    result = ingest(mailbox, eml(sender="spam@junk.example"))
    page = desk.get(f"/desk/contacts/{result.contact_id}/").content.decode()
    assert "Markeer als spam" in page
    done = desk.post(f"/desk/contacts/{result.contact_id}/spam/", follow=True)
    assert "quarantaine" in done.content.decode()
    assert Contact.objects.get(pk=result.contact_id).status == Status.CLOSED
    assert BlockedSender.objects.filter(address="spam@junk.example").exists()


def test_the_mail_screens_read_in_english(
    mailbox: Mailbox, client: Client, make_user: Callable[..., User], settings: Any
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    admin = _admin(client, make_user)
    BlockedSender.objects.create(address="a.jansen@ziggo.nl")
    ingest(mailbox, eml(subject="Parcel", body="Where is my parcel?"))
    ingest(
        mailbox,
        eml(subject="Hello", message_id="<s@x>", headers={"X-Spam-Flag": "YES"}, sender="s@x.example"),
    )
    for path in ["/desk/mail/mailboxes/", "/desk/mail/mailboxes/new/", f"/desk/mail/mailboxes/{mailbox.pk}/",
                 "/desk/mail/quarantine/"]:  # fmt: skip
        response = admin.get(path)
        assert response.status_code == 200, path
        assert dutch_in(response.content.decode()) == set(), path


def test_an_admin_unblocks_a_sender_in_the_quarantine(
    mailbox: Mailbox, client: Client, make_user: Callable[..., User]
) -> None:
    admin = _admin(client, make_user)
    blocked = BlockedSender.objects.create(address="spam@junk.example")
    page = admin.get("/desk/mail/quarantine/").content.decode()
    assert "spam@junk.example" in page and "Deblokkeren" in page
    admin.post(f"/desk/mail/blocked/{blocked.pk}/unblock/")
    assert not BlockedSender.objects.exists()


def test_an_unknown_senders_name_shows_with_the_message(mailbox: Mailbox, desk: Client) -> None:
    result = ingest(mailbox, eml(sender='"Kees de Boer" <kees@example.org>'))
    page = desk.get(f"/desk/contacts/{result.contact_id}/").content.decode()
    assert "Kees de Boer &lt;kees@example.org&gt;" in page


BOUNCE = eml(
    sender="Mail Delivery System <MAILER-DAEMON@mx.ziggo.nl>",
    subject="Undelivered Mail Returned to Sender",
    message_id="<b1@mx.ziggo.nl>",
    headers={"Return-Path": "<>"},
    body="Your message could not be delivered.\n\n550 5.1.1 <weg@ziggo.nl>: Recipient address rejected\n",
)


def test_the_quarantine_and_the_recent_mails_say_why_in_words(
    mailbox: Mailbox, client: Client, make_user: Callable[..., User]
) -> None:
    admin = _admin(client, make_user)
    ingest(mailbox, eml(sender="Niemand <>", message_id="<x1@ziggo.nl>"))
    ingest(mailbox, eml(message_id="<s1@x>", headers={"X-Spam-Flag": "YES"}, sender="s@x.example"))
    first = ingest(mailbox, eml())
    ingest(mailbox, eml(message_id="<m2@ziggo.nl>", headers={"In-Reply-To": "<m1@ziggo.nl>"}))
    ingest(mailbox, eml(message_id="<a1@ziggo.nl>", headers={"Auto-Submitted": "auto-replied"}))
    ingest(mailbox, BOUNCE)
    page = admin.get("/desk/mail/quarantine/").content.decode()
    assert "Kon niet worden gelezen: De e-mail heeft geen bruikbaar afzenderadres." in page
    assert "Door de spamfilter gemarkeerd (X-Spam-Flag)" in page
    assert "Bij het contact gezet via de e-mailkoppen" in page
    assert "Automatisch antwoord (afwezigheidsmelding)" in page
    assert "Onbestelbaar: adres bestaat niet (5.1.1)" in page
    for machine in ["ValueError", "x_spam_flag", "auto_submitted", "thread: headers", "dsn: 5.1.1"]:
        assert machine not in page, machine
    assert first.outcome == "contact"


def test_the_reasons_read_in_english(
    mailbox: Mailbox, client: Client, make_user: Callable[..., User], settings: Any
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    admin = _admin(client, make_user)
    ingest(mailbox, eml(sender="Niemand <>", message_id="<x1@ziggo.nl>"))
    ingest(mailbox, eml(message_id="<a1@ziggo.nl>", headers={"Auto-Submitted": "auto-replied"}))
    ingest(mailbox, BOUNCE)
    page = admin.get("/desk/mail/quarantine/").content.decode()
    assert "Could not be read:" in page and "ValueError" not in page
    assert "Automatic reply (out of office)" in page
    assert "Undeliverable: address does not exist (5.1.1)" in page


@pytest.mark.parametrize(
    ("outcome", "reason", "error", "shown"),
    [
        (
            "quarantined",
            "error",
            "MailParseError: De e-mail is leeg.",
            "Kon niet worden gelezen: De e-mail is leeg.",
        ),
        ("quarantined", "blocked", "", "De afzender is geblokkeerd"),
        ("quarantined", "spam", "x_spam_status: yes", "Door de spamfilter gemarkeerd (X-Spam-Status)"),
        (
            "message",
            "thread: token reopened",
            "",
            "Bij het contact gezet via het contactnummer in het onderwerp; contact heropend",
        ),
        (
            "message",
            "thread: subject spam released",
            "",
            "Bij het contact gezet via het onderwerp; door een beheerder uit de spam gehaald",
        ),
        ("contact", "follows closed contact 12", "", "Nieuw contact, vervolg op gesloten contact 12"),
        (
            "contact",
            "attachments refused: a.exe: Dit bestandstype mag niet.",
            "",
            "Bijlagen geweigerd: a.exe: Dit bestandstype mag niet.",
        ),
        ("duplicate", "same Message-ID as inbound mail 7", "", "Deze e-mail kwam al eerder binnen (nr. 7)"),
        (
            "auto_reply",
            "loop: own_domain: voorbeeld.nl (auto_submitted: auto-replied)",
            "",
            "Onze eigen e-mail kwam terug (van ons domein voorbeeld.nl)",
        ),
        (
            "auto_reply",
            "loop: our own Message-ID",
            "",
            "Onze eigen e-mail kwam terug (herkend aan de Message-ID)",
        ),
        ("auto_reply", "dsn delayed: 4.4.7", "", "Bezorging vertraagd (4.4.7)"),
        ("auto_reply", "precedence: bulk", "", "Bulk- of lijstmail (bulk)"),
        ("auto_reply", "subject: out of office", "", "Automatisch antwoord (afwezigheidsmelding)"),
        ("bounce", "smtp: 550", "", "Onbestelbaar (SMTP 550)"),
        ("bounce", "dsn: 5.9.9", "", "Onbestelbaar (5.9.9)"),
        ("complaint", "arf: abuse", "", "Klachtmelding van de mailprovider (abuse)"),
        ("receipt", "mdn: displayed", "", "Leesbevestiging (displayed)"),
        ("contact", "", "", ""),
        ("contact", "something new", "", "something new"),
    ],
)
def test_every_reason_code_reads_as_a_phrase(outcome: str, reason: str, error: str, shown: str) -> None:
    assert reason_text(outcome, reason, error) == shown


def test_a_mail_that_cannot_be_taken_is_logged_in_one_line_without_a_traceback(
    mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="gezien.mail.intake"):
        result = ingest(mailbox, eml(sender="Niemand <>", message_id="<x1@ziggo.nl>"))
    assert result.outcome == "quarantined"
    [record] = [r for r in caplog.records if r.name == "gezien.mail.intake"]
    assert not record.exc_info and "Traceback" not in caplog.text
    assert "geen bruikbaar afzenderadres" in record.getMessage()
    assert InboundMail.objects.get(pk=result.inbound_id).error.startswith("ValueError: ")
