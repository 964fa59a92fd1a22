"""A manager opens the insights in a real browser: the nav link, the tabs and the charts beside NPS."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from gezien.contacts.models import ContactReason
from tests.browser import sign_in
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
    sign_in(page, manager.username, PASSWORD)
    page.click("[data-testid=insights-link]")
    page.wait_for_url("**/insights/")
    page.click("[data-testid=insight-tabs] >> text=Klantbeleving")
    page.wait_for_url("**/insights/cx/**")
    page.fill("input[name=from]", "2026-11-01")
    page.fill("input[name=to]", "2026-11-20")
    page.click("[data-testid=cx-form] button[type=submit]")
    page.wait_for_url("**from=2026-11-01**")
    charts = page.locator("[data-testid=cx-charts] svg[role=img]")
    assert charts.count() >= 3
    assert charts.first.is_visible()
    # No CSAT answers: that chart is not drawn, it says so.
    assert "Geen gegevens" in page.locator("[data-testid=cx-charts] [data-testid=chart-empty]").inner_text()
    assert page.locator("svg[aria-label='NPS per periode']").is_visible()
    assert "Sterk verband" in page.locator("[data-testid=relation]").inner_text()


# Every chart text's size on screen, and whether any two texts of one chart overlap (boxes shrunk by
# a pixel, so that texts that merely touch do not count).
_MEASURE = """() => [...document.querySelectorAll('svg.chart:not(.sparkline)')].map(svg => {
  const boxes = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect())
    .filter(r => r.width > 0);
  const sizes = [...svg.querySelectorAll('text')].map(t =>
    parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a);
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const across = a.left + 1 < b.right - 1 && b.left + 1 < a.right - 1;
    if (across && a.top + 1 < b.bottom - 1 && b.top + 1 < a.bottom - 1) overlaps++;
  }
  return {title: svg.getAttribute('aria-label'), smallest: Math.min(...sizes), overlaps};
})"""


def test_charts_are_readable_at_1440_pixels(page: Any, make_user: Any) -> None:
    manager = make_user("mia", "manager")
    reasons = [ContactReason.objects.create(code=f"r{k}", name=f"Contactreden nummer {k}") for k in range(6)]
    seed(
        [
            {"reason": reasons[k % 6], "emotion_start": 0.8, "emotion_end": (k % 10) / 10, "nps": k % 11,
             "day": date(2026, 9, 1) + timedelta(days=k)}
            for k in range(90)
        ]
    )  # fmt: skip
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, manager.username, PASSWORD)
    for query in (
        "from=2026-09-01&to=2026-11-29",
        "from=2026-09-01&to=2026-11-29&dim=reason&granularity=week",
    ):
        page.goto(f"/insights/cx/?{query}")
        charts = page.evaluate(_MEASURE)
        assert len(charts) >= 4
        for chart in charts:
            assert chart["smallest"] >= 11, chart
            assert chart["overlaps"] == 0, chart
        # A value shows on hover: every marker of a line carries its figure.
        assert page.locator("svg.chart-line g > title").count() > 50
