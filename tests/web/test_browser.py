"""The flow a person uses, in a real Chromium: log in, open a waiting contact, read the card, reply."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from gezien.contacts.models import Contact, Status
from gezien.contacts.selectors import customer_card, queue
from gezien.demo.loader import LoadReport
from tests.browser import browser_context, sign_in, skip_without_chromium
from tests.demo_database import PASSWORD as DEMO_PASSWORD
from tests.demo_database import demo_into_database

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

# Playwright's sync API runs an event loop in this thread; the ORM calls below are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db: None, tmp_path_factory: pytest.TempPathFactory) -> LoadReport:
    """The demo organisation, loaded once per run and copied into the database (tests/demo_database.py)."""
    return demo_into_database(tmp_path_factory)


@pytest.fixture
def page(live_server: Any) -> Iterator[Any]:
    with browser_context(live_server.url) as context:
        yield context.new_page()


def _waiting_contact_with_history() -> tuple[Contact, str]:
    """A contact in the queue whose customer has been here before, and what was discussed then."""
    for entry in queue():
        if entry.contact.customer is None:
            continue
        card = customer_card(entry.contact.customer, current=entry.contact)
        if card.last_discussed and card.last_discussed.contact.status == Status.CLOSED:
            return entry.contact, card.last_discussed.contact.summary
    raise AssertionError("the demo organisation has no waiting contact from a returning customer")


def test_agent_opens_a_waiting_contact_sees_the_card_and_replies(demo: LoadReport, page: Any) -> None:
    contact, last_summary = _waiting_contact_with_history()
    assert last_summary

    page.goto("/desk/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "agent")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")

    page.click(f"[data-testid=queue] a[href='/desk/contacts/{contact.pk}/']")
    page.wait_for_url(f"**/desk/contacts/{contact.pk}/")
    card = page.locator("[data-testid=gezien-kaart]")
    assert contact.customer is not None
    assert card.locator("[data-testid=last-discussed]").inner_text().count(last_summary) == 1
    assert card.locator("[data-testid=timeline] li").count() >= 1

    reply = "Dank voor uw geduld. Ik heb het voor u nagekeken en bel u morgen vóór 12 uur terug."
    page.fill("[data-testid=reply-form] textarea[name=text]", reply)
    page.click("[data-testid=reply-form] button[type=submit]")
    page.wait_for_url(f"**/desk/contacts/{contact.pk}/")
    assert page.locator("[data-testid=thread] .msg-agent").last.inner_text().count(reply) == 1
    assert contact.messages.filter(author="agent", text=reply).exists()


def test_agent_sees_a_messages_signals_and_corrects_one(demo: LoadReport, page: Any) -> None:
    from gezien.contacts.models import MessageSignals, SignalCorrection

    signals = (
        MessageSignals.objects.filter(role="customer", top_emotion="anger", message__contact__status="open")
        .select_related("message")
        .first()
    )
    assert signals is not None, "the demo has an angry customer in the queue"
    message = signals.message
    sign_in(page, "agent", DEMO_PASSWORD)

    page.goto(f"/desk/contacts/{message.contact_id}/")
    block = page.locator(f"#signals-{message.pk}")
    assert "boos (" in block.inner_text()
    assert page.locator(f"#message-{message.pk} mark.ev").count() >= 1
    block.locator("summary").click()
    block.locator("button.chip", has_text="niet boos").click()
    page.locator(f"#signals-{message.pk} .corrections").wait_for()  # swapped in by htmx, no reload
    assert page.locator(f"#signals-{message.pk} .sig-off").count() == 1
    correction = SignalCorrection.objects.get(message=message)
    assert (correction.signal, correction.value, correction.corrected_by.username) == (
        "anger",
        False,
        "agent",
    )
