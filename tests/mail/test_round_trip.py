"""The e-mail round trip, end to end, with real servers on 127.0.0.1: a customer's mail appended to a
Dovecot INBOX becomes a recognised contact after an IMAP fetch; the agent opens it in the desk in a real
Chromium and replies with an attachment; the periodic job sends it to an aiosmtpd receiver with the
threading headers, the contact token and the attachment; the customer's answer to that mail, appended over
IMAP, threads back into the same contact."""

from __future__ import annotations

import os
from collections.abc import Iterator
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.contacts.models import Contact, Delivery, DeliveryStatus, Recognition
from gezien.customers.models import Customer
from gezien.customers.services import customer_create
from gezien.mail.delivery import deliveries_due
from gezien.mail.imap import fetch_once
from gezien.mail.models import InboundMail, Mailbox, Outcome
from gezien.mail.services import mailbox_add
from tests.browser import browser_context, sign_in, skip_without_chromium
from tests.mail.conftest import SmtpReceiver, eml
from tests.mail.dovecot import Account

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def page(live_server: Any) -> Iterator[Any]:
    with browser_context(live_server.url) as context:
        yield context.new_page()


@pytest.fixture
def shop(agent: User, imap_account: Account, smtp_receiver: SmtpReceiver, team: Any) -> Mailbox:
    """The desk's mailbox: IMAP on the Dovecot account, SMTP to the receiver."""
    return mailbox_add(
        name="klantenservice",
        address="klantenservice@voorbeeld.nl",
        imap_url=imap_account.url(),
        smtp_url=smtp_receiver.url,
        team=team,
        signature="Klantenservice Voorbeeld\nma-vr 08:00-18:00",
    )


def test_a_customers_mail_round_trips_through_imap_the_desk_and_smtp(
    shop: Mailbox,
    imap_account: Account,
    smtp_receiver: SmtpReceiver,
    page: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    annie: Customer = customer_create(
        first_name="Annie", last_name="Jansen", identities=[("email", "a.jansen@ziggo.nl")]
    )
    # 1. The customer's mail reaches the mailbox's INBOX; one fetch makes it a recognised contact.
    first_id = "<vraag-1@ziggo.nl>"
    uid = imap_account.append(eml(message_id=first_id, subject="Mijn bestelling is niet aangekomen"))
    report = fetch_once(shop)
    assert report.error == ""
    assert [r.outcome for r in report.results] == [Outcome.CONTACT]
    contact = Contact.objects.get(pk=report.results[0].contact_id)
    assert contact.customer_id == annie.pk
    assert contact.recognition == Recognition.RECOGNISED
    assert "\\Seen" in imap_account.flags(uid)  # flagged only after the commit

    # 2. The agent opens it in the desk and replies with a file; no worker runs: the mail is queued.
    settings.GEZIEN_ANALYSIS_INLINE = False
    sign_in(page, "sanne", "geheim-wachtwoord-1")
    page.goto(f"/desk/contacts/{contact.pk}/")
    assert "Mijn bestelling 12345 is nog niet aangekomen" in page.locator("[data-testid=thread]").inner_text()
    pdf = tmp_path / "verzendbewijs.pdf"
    pdf.write_bytes(PDF)
    reply = "Beste Annie,\n\nUw pakket is onderweg; het verzendbewijs zit in de bijlage."
    page.fill("[data-testid=reply-form] textarea[name=text]", reply)
    page.set_input_files("[data-testid=reply-files]", str(pdf))
    page.click("[data-testid=reply-form] button[type=submit]")
    page.wait_for_url(f"**/desk/contacts/{contact.pk}/")
    assert "Uw pakket is onderweg" in page.locator("[data-testid=thread] .msg-agent").last.inner_text()
    delivery = Delivery.objects.get(message__contact=contact)
    assert delivery.status == DeliveryStatus.QUEUED
    assert smtp_receiver.received == []

    # 3. The periodic job sends it: threading headers, token, the agent's name, the file intact.
    assert deliveries_due() == 1
    [received] = smtp_receiver.wait_for(1)
    mail = received.mail
    assert received.rcpt_tos == ("a.jansen@ziggo.nl",)
    assert mail["In-Reply-To"] == first_id
    assert first_id in mail["References"].split()
    assert f"[#{contact.pk}]" in mail["Subject"]
    sender = mail["From"].addresses[0]
    assert sender.addr_spec == "klantenservice@voorbeeld.nl"
    assert "Sanne de Vries" in sender.display_name
    [attached] = list(mail.iter_attachments())
    assert attached.get_filename() == "verzendbewijs.pdf"
    assert attached.get_content() == PDF
    assert "Uw pakket is onderweg" in mail.get_body(("plain",)).get_content()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT

    # 4. The customer answers that mail (In-Reply-To its Message-ID); it threads into the same contact.
    answer = eml(
        message_id=make_msgid(domain="ziggo.nl"),
        subject=f"Re: {mail['Subject']}",
        body=(
            "Dank u, het pakket is vandaag bezorgd.\n\n"
            "Op maandag schreef Klantenservice:\n> Uw pakket is onderweg"
        ),
        headers={"In-Reply-To": mail["Message-ID"], "References": f"{first_id} {mail['Message-ID']}"},
    )
    imap_account.append(answer)
    report = fetch_once(shop)
    assert report.error == ""
    assert [(r.outcome, r.contact_id) for r in report.results] == [(Outcome.MESSAGE, contact.pk)]
    inbound = InboundMail.objects.get(pk=report.results[0].inbound_id)
    assert inbound.reason.startswith("thread: headers")
    assert contact.messages.filter(author="customer").count() == 2
    assert Contact.objects.count() == 1
