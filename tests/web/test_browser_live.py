"""A team lead watches the live board in a real browser: a call comes in and the board shows it without
a reload; an agent takes a break from the top bar and the board shows that too."""

from __future__ import annotations

from typing import Any

import pytest

from gezien.contacts.services import contact_open
from gezien.presence.services import signed_in
from tests.web import test_browser
from tests.web.test_browser_assist import _log_in, _no_reload, _still_same_page

page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_updates_itself_when_a_call_comes_in(page: Any, make_user: Any, settings: Any) -> None:
    lead = make_user("karin", "teamlead", first_name="Karin", last_name="Postma")
    sanne = make_user("sanne", first_name="Sanne")
    signed_in(user=sanne)
    _log_in(page, lead)
    page.click("[data-testid=live-link]")
    page.wait_for_url("**/desk/live/")
    waiting = page.locator("[data-testid=live-channel-phone] [data-testid=waiting]")
    assert waiting.inner_text() == "0"
    _no_reload(page)
    contact_open(channel="phone", identities=[("phone", "0612345678")], text="")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=live-channel-phone] [data-testid=waiting]')"
        ".textContent.trim() === '1'",
        timeout=15_000,
    )
    _still_same_page(page)
    row = page.locator(f"[data-testid=agent-{sanne.pk}]")
    assert row.get_attribute("data-state") == "available"
    # The lead takes a short break from the top bar; the board says so on its next refresh.
    page.select_option("[data-testid=my-state] select", "break:short")
    page.click("[data-testid=my-state] button")
    page.wait_for_url("**/desk/live/")
    assert page.locator(f"[data-testid=agent-{lead.pk}]").get_attribute("data-state") == "break"
