"""In a real Chromium: an agent unfolds an e-mail's history and marks a mail as spam; an admin lets a mail
out of the quarantine."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.contacts.models import Contact, Status
from gezien.mail.intake import ingest
from gezien.mail.models import BlockedSender, InboundMail, Mailbox
from tests.browser import chromium, sign_in, skip_without_chromium
from tests.mail.conftest import eml
from tests.mail.test_desk import QUOTED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(live_server: Any) -> Iterator[Callable[[str], Any]]:
    from django.db import connections

    with chromium() as started:

        def login(username: str) -> Any:
            page = started.new_context(base_url=live_server.url, locale="nl-NL").new_page()
            return sign_in(page, username, "geheim-wachtwoord-1", landing=lambda url: "/login/" not in url)

        yield login
        connections.close_all()


def test_an_agent_unfolds_the_history_and_marks_spam(
    mailbox: Mailbox, agent: User, browser: Callable[[str], Any]
) -> None:
    result = ingest(mailbox, eml(body=QUOTED, sender="Annie <annie@example.org>"))
    page = browser("sanne")
    page.goto(f"/desk/contacts/{result.contact_id}/")
    history = page.get_by_text("Uw pakket is onderweg", exact=False)
    assert page.get_by_text("Het pakket is er nog steeds niet.").first.is_visible()
    assert not history.is_visible()
    page.get_by_text("Toon de hele e-mail").click()
    assert history.is_visible()
    page.get_by_test_id("contact-menu").locator("> summary").click()  # the contact's menu beside its status
    page.get_by_role("button", name="Markeer als spam").click()
    page.wait_for_load_state()
    assert "quarantaine" in page.content()
    assert Contact.objects.get(pk=result.contact_id).status == Status.CLOSED
    assert BlockedSender.objects.filter(address="annie@example.org").exists()


def test_an_admin_lets_a_spam_mail_through(
    mailbox: Mailbox, make_user: Callable[..., User], browser: Callable[[str], Any]
) -> None:
    make_user("beheer", "admin")
    held = ingest(mailbox, eml(headers={"X-Spam-Flag": "YES"}))
    page = browser("beheer")
    page.get_by_text("Meer").click()
    page.get_by_role("link", name="Quarantaine").click()
    row = page.get_by_test_id(f"inbound-{held.inbound_id}")
    assert "spam" in row.inner_text()
    row.get_by_test_id("release").click()
    page.wait_for_load_state()
    assert "De e-mail is verwerkt." in page.content()
    assert InboundMail.objects.get(pk=held.inbound_id).outcome == "contact"
