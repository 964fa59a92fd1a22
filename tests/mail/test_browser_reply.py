"""An agent answers an e-mail contact in a real Chromium, with a CC and a file: the mail reaches the
SMTP server on 127.0.0.1 threaded to the customer's mail, with the file intact, and the thread shows it
as sent."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.services import contact_open
from gezien.customers.services import customer_create
from gezien.mail.models import InboundMail, Mailbox
from tests.browser import sign_in
from tests.mail.conftest import SmtpReceiver
from tests.web import test_browser

page = test_browser.page  # the live server, Chromium and Playwright as the desk's own browser test

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"
CUSTOMER_MAIL = (
    b"From: Annie Jansen <a.jansen@ziggo.nl>\r\nTo: klantenservice@voorbeeld.nl\r\n"
    b"Subject: Router kapot\r\nMessage-ID: <router-1@ziggo.nl>\r\n\r\nMijn router doet het niet meer.\r\n"
)


@pytest.fixture(autouse=True)
def _send_after_commit(settings: Any, tmp_path: Path) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True  # no worker: the server's own process sends after the commit
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }


def test_an_agent_replies_with_cc_and_a_file_and_the_mail_arrives(
    page: Any, make_user: Callable[..., User], smtp_receiver: SmtpReceiver, tmp_path: Path
) -> None:
    mailbox = Mailbox.objects.create(
        name="klantenservice", address="klantenservice@voorbeeld.nl", smtp_url=smtp_receiver.url
    )
    customer_create(first_name="Annie", last_name="Jansen", identities=[("email", "a.jansen@ziggo.nl")])
    contact = contact_open(
        channel="email", identities=[("email", "a.jansen@ziggo.nl")], text="Mijn router doet het niet meer.",
        subject="Router kapot",
    ).contact  # fmt: skip
    InboundMail.objects.create(
        mailbox=mailbox, raw=CUSTOMER_MAIL, size=len(CUSTOMER_MAIL),
        sha256=hashlib.sha256(CUSTOMER_MAIL).hexdigest(), header_id="router-1@ziggo.nl",
        from_address="a.jansen@ziggo.nl", subject="Router kapot", outcome="contact", contact=contact,
        received_at=timezone.now(),
    )  # fmt: skip
    manual = tmp_path / "handleiding.pdf"
    manual.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    agent = make_user("sanne", "agent", first_name="Sanne", last_name="de Vries")

    sign_in(page, agent.username, PASSWORD)
    page.goto(f"/desk/contacts/{contact.pk}/")
    page.fill(
        "[data-testid=reply-text]", "Beste mevrouw Jansen,\n\nIn de bijlage staat hoe u de router herstart."
    )
    page.get_by_text("CC en bijlagen").click()  # folded under the composer
    page.fill("[data-testid=reply-cc]", "monteur@voorbeeld.nl")
    page.set_input_files("[data-testid=reply-files]", str(manual))
    page.click("[data-testid=reply-form] button[type=submit]")
    page.locator("[data-testid=delivery]").wait_for(timeout=10_000)
    assert "Verzonden" in page.locator("[data-testid=delivery]").inner_text()

    [got] = smtp_receiver.wait_for(1)
    assert sorted(got.rcpt_tos) == ["a.jansen@ziggo.nl", "monteur@voorbeeld.nl"]
    assert got.mail["In-Reply-To"] == "<router-1@ziggo.nl>"
    assert got.mail["Subject"] == f"Re: Router kapot [#{contact.pk}]"
    assert got.mail["From"].addresses[0].display_name == "Sanne de Vries via klantenservice"
    [part] = list(got.mail.iter_attachments())
    assert (part.get_filename(), part.get_content()) == ("handleiding.pdf", manual.read_bytes())
