"""A manager opens the insights in a real browser: the nav link, the tabs and the charts beside NPS."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gezien.contacts.models import ContactReason
from tests.insights.cx_data import seed
from tests.web import test_browser

page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"  # what the make_user fixture gives everyone


def test_a_manager_reads_the_emotion_trend_beside_nps(page: Any, make_user: Any) -> None:
    manager = make_user("mia", "manager")
    reason = ContactReason.objects.create(code="levering", name="Levering")
    seed(
        [
            {"reason": reason, "emotion_start": 0.8, "emotion_end": e, "nps": n, "day": date(2026, 11, d)}
            for d, e, n in ((3, 0.1, 9), (4, 0.5, 6), (5, 0.9, 2), (6, 0.2, 10))
        ]
    )
    page.goto("/login/")
    page.fill("input[name=username]", manager.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")
    page.click("[data-testid=insights-link]")
    page.wait_for_url("**/insights/")
    page.click("[data-testid=insight-tabs] >> text=Klantbeleving")
    page.wait_for_url("**/insights/cx/**")
    page.fill("input[name=from]", "2026-11-01")
    page.fill("input[name=to]", "2026-11-20")
    page.click("[data-testid=cx-form] button[type=submit]")
    page.wait_for_url("**from=2026-11-01**")
    charts = page.locator("[data-testid=cx-charts] svg[role=img]")
    assert charts.count() >= 4
    assert charts.first.is_visible()
    assert page.locator("svg[aria-label='NPS per periode']").is_visible()
    assert "Sterk verband" in page.locator("[data-testid=relation]").inner_text()
