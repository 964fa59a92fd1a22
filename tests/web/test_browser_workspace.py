"""The workspace in a real Chromium: the picker opened with "/" at the start of the composer (typing
filters, Enter inserts the reply written out for the customer), Ctrl+K and the shortcut overlay, the
confirmation before closing a contact nobody answered, and the panes as tabs on a tablet."""

from __future__ import annotations

from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.contacts.models import Contact, Status
from gezien.contacts.services import contact_open
from gezien.customers.services import customer_create
from gezien.knowledge.services import article_create
from gezien.replies.services import macro_create
from tests.browser import sign_in
from tests.web import test_browser

# The live server, Chromium and Playwright exactly as the desk's own browser test starts them.
page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"  # what the make_user fixture gives everyone
SHOWS = 10_000  # ms: htmx asks the server after a short pause (CI may be busy)


def _contact() -> Contact:
    customer_create(first_name="Gerda", last_name="Visser", identities=[("email", "gerda@example.nl")])
    return contact_open(
        channel="chat", identities=[("email", "gerda@example.nl")], text="Waar blijft mijn bestelling?"
    ).contact


def _log_in(page: Any, user: User, contact: Contact) -> None:
    sign_in(page, user.username, PASSWORD)
    page.goto(f"/desk/contacts/{contact.pk}/")


def test_slash_opens_the_picker_typing_filters_and_enter_inserts(page: Any, make_user: Any) -> None:
    agent = make_user("sanne", "agent")
    contact = _contact()
    macro_create(actor=agent, title="Bevestiging levering", body_je="Hoi {naam}, je pakket komt morgen.")
    macro_create(actor=agent, title="Afsluiting", body_je="Fijne dag nog, {naam}!")
    article_create(title="Retour aanmelden", body="Uitleg", customer_text_je="Meld je retour aan op de site.")
    _log_in(page, agent, contact)
    box = page.locator("#composer textarea[name=text]")
    box.click()
    box.press("/")
    picker = page.locator("[data-testid=picker]")
    picker.wait_for(state="visible", timeout=SHOWS)
    assert box.input_value() == ""  # the slash opened the picker, it was not typed
    options = page.locator("#picker-results [role=option]")
    options.first.wait_for(timeout=SHOWS)
    assert options.count() >= 2  # both replies (and the articles proposed for the contact) before a search
    page.locator("#picker-q").press_sequentially("afslui", delay=20)
    page.wait_for_function(
        "() => document.querySelectorAll('#picker-results [role=option]').length === 1", timeout=SHOWS
    )
    assert "Afsluiting" in options.first.inner_text()
    assert options.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    picker.wait_for(state="hidden", timeout=SHOWS)
    assert box.input_value() == "Fijne dag nog, Gerda Visser!"
    assert page.evaluate("() => document.activeElement.id") == "id_text"

    # Ctrl+K from the middle of a sentence; arrows move, Enter inserts the article's customer text.
    box.press("End")
    page.keyboard.press("Control+k")
    picker.wait_for(state="visible", timeout=SHOWS)
    page.locator("#picker-q").press_sequentially("retour", delay=20)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#picker-results [role=option]')]"
        ".some(o => o.textContent.includes('Retour aanmelden'))",
        timeout=SHOWS,
    )
    page.keyboard.press("Enter")
    assert box.input_value() == "Fijne dag nog, Gerda Visser!\n\nMeld je retour aan op de site."

    # "/" in the middle of a sentence is just a slash; Escape closes the picker without inserting.
    box.press_sequentially(" en/of")
    assert box.input_value().endswith("en/of") and picker.is_hidden()


def test_closing_without_a_reply_asks_and_the_shortcuts_are_listed(page: Any, make_user: Any) -> None:
    agent = make_user("sanne", "agent")
    contact = _contact()
    _log_in(page, agent, contact)
    page.locator("body").press("?")
    overlay = page.locator("[data-testid=shortcuts]")
    overlay.wait_for(state="visible", timeout=SHOWS)
    assert "Ctrl" in overlay.inner_text() and "Volgende contact" in overlay.inner_text()
    page.keyboard.press("Escape")
    overlay.wait_for(state="hidden", timeout=SHOWS)

    page.select_option("#id_status", "closed")
    page.click("[data-testid=status-save]")
    confirm = page.locator("[data-testid=close-confirm]")
    confirm.wait_for(state="visible", timeout=SHOWS)
    page.get_by_role("button", name="Eerst antwoorden").click()
    confirm.wait_for(state="hidden", timeout=SHOWS)
    assert page.evaluate("() => document.activeElement.id") == "id_text"
    assert Contact.objects.get(pk=contact.pk).status == Status.OPEN

    page.keyboard.press("Escape")  # out of the composer, where letters are text
    page.keyboard.press("Shift+C")  # the shortcut asks the same question
    confirm.wait_for(state="visible", timeout=SHOWS)
    page.click("[data-testid=close-anyway]")
    page.wait_for_load_state()
    page.wait_for_function("() => !document.querySelector('#close-confirm[open]')", timeout=SHOWS)
    assert Contact.objects.get(pk=contact.pk).status == Status.CLOSED


def test_a_tablet_shows_one_pane_at_a_time(page: Any, make_user: Any) -> None:
    agent = make_user("sanne", "agent")
    contact = _contact()
    page.set_viewport_size({"width": 820, "height": 1180})
    _log_in(page, agent, contact)
    conversation, queue_pane, side = (page.locator(s) for s in ("#conversation", "#queue-pane", "#side-pane"))
    assert conversation.is_visible() and not queue_pane.is_visible() and not side.is_visible()
    page.get_by_role("button", name="Wachtrij").click()
    queue_pane.locator(f"a.queue-item[data-contact-id='{contact.pk}']").wait_for(timeout=SHOWS)
    assert not conversation.is_visible()
    page.get_by_role("button", name="Klant en hulp").click()
    assert side.is_visible() and not queue_pane.is_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 820  # nothing pushed off screen
