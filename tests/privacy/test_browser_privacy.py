"""The privacy screens as people see them: the erasure screen with its confirm step, and selecting a
card number in a message to make it unreadable (screenshots in docs/screenshots/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gezien.contacts.models import Message
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from tests.browser import sign_in
from tests.web import test_browser

page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _login(page: Any, username: str) -> None:
    sign_in(page, username, PASSWORD, landing=lambda url: "/login/" not in url)


def test_a_manager_erases_after_confirming(page: Any, make_user: Any, customer: Customer) -> None:
    contact_open(channel="phone", identities=[("phone", "06-12345678")], text="Met Annie Jansen")
    make_user("baas", "manager")
    page.set_viewport_size({"width": 1280, "height": 800})
    _login(page, "baas")
    page.goto(f"/customers/{customer.pk}/")
    page.click("text=Gegevens wissen…")
    page.wait_for_selector("[data-testid=erase-button]")
    page.screenshot(path=str(SHOTS / "privacy-erase.png"))
    page.click("[data-testid=erase-button]")  # the box is not ticked: the browser refuses
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen"
    page.check("[data-testid=confirm]")
    page.click("[data-testid=erase-button]")
    page.wait_for_selector("[data-testid=erased]")
    assert Customer.objects.get(pk=customer.pk).last_name == ""


def test_an_agent_selects_a_card_number_and_makes_it_unreadable(
    page: Any, make_user: Any, customer: Customer
) -> None:
    contact = contact_open(
        channel="chat",
        identities=[("phone", "06-12345678")],
        text="Ik betaalde met kaart 5500 0000 0000 0004 maar zie niets",
    ).contact
    contact_open(channel="chat", identities=[("phone", "06-12345678")], text="Nog een vraag")
    make_user("sanne", "agent")
    page.set_viewport_size({"width": 1440, "height": 900})
    _login(page, "sanne")
    page.goto(f"/desk/contacts/{contact.pk}/")
    text = page.locator(".msg-customer .text").first
    assert "5500" not in text.inner_text() and "████" in text.inner_text()  # shown masked
    text.evaluate(
        """el => { const r = document.createRange();
                   r.setStart(el.firstChild, 3); r.setEnd(el.firstChild, 11);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
                   el.dispatchEvent(new MouseEvent("mouseup", {bubbles: true})); }"""
    )
    field = page.locator("input[data-redact-for]").first
    assert field.input_value() == "betaalde"
    page.screenshot(path=str(SHOTS / "privacy-redact.png"))
    page.locator("details.redact button").first.click()
    page.wait_for_load_state()
    assert (
        Message.objects.get(contact=contact).text
        == "Ik [verwijderd] met kaart 5500 0000 0000 0004 maar zie niets"
    )
