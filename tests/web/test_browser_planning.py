"""A team lead plans the Monday-morning peak in a real browser: the short intervals are red and say
"tekort", a forecast edit ("storing verwacht: +40 %") raises what is needed, and scheduling one more
person closes part of the gap."""

from __future__ import annotations

from typing import Any

import pytest

from gezien.planning.services import shift_create
from tests.planning.helpers import MONDAY, at, import_pattern
from tests.web import test_browser
from tests.web.test_browser_assist import _log_in

page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEAK = "[data-testid='interval-09:00']"


def _cell(page: Any, row: str, column: int) -> str:
    return str(page.locator(f"{row} td:nth-child({column})").inner_text()).strip()


def _needed(page: Any) -> int:
    """The peak's agents needed on the line (the plan's fourth column)."""
    return int(_cell(page, PEAK, 4))


def test_the_team_lead_sees_the_gap_edits_the_forecast_and_schedules_one_more(
    page: Any, make_user: Any
) -> None:
    import_pattern()
    lead = make_user("karin", "teamlead", first_name="Karin", last_name="Postma")
    for name in ("fatima", "mark"):
        agent = make_user(name, "agent")
        shift_create(actor=lead, user=agent, channels=["phone"], start=at(MONDAY, 8), end=at(MONDAY, 17))
    make_user("daan", "agent", first_name="Daan", last_name="Bakker")
    _log_in(page, lead)
    page.click("[data-testid=planning-link]")
    page.wait_for_url("**/planning/**")
    page.fill("input[name=day][type=date]", MONDAY.isoformat())
    page.click("text=Toon")
    page.wait_for_url(f"**day={MONDAY.isoformat()}**")

    peak = page.locator(PEAK)
    assert "short" in (peak.get_attribute("class") or "")
    assert "tekort" in page.locator(f"{PEAK} [data-testid=gap]").inner_text()
    # Red, not just a class: the cells of a short interval are painted.
    background = page.eval_on_selector(f"{PEAK} td", "td => getComputedStyle(td).backgroundColor")
    assert background == "rgb(253, 236, 236)"
    assert page.locator("[data-testid=scale-up]").is_visible()
    before = _needed(page)

    page.click("text=Prognose aanpassen")
    form = page.locator("[data-testid=adjustment-form]")
    form.locator("select[name=kind]").select_option("percent")
    form.locator("input[name=day]").fill(MONDAY.isoformat())
    form.locator("input[name=start_time]").fill("08:00")
    form.locator("input[name=end_time]").fill("11:00")
    form.locator("input[name=value]").fill("40")
    form.locator("input[name=note]").fill("Storing verwacht")
    form.locator("button").click()
    page.wait_for_selector(f"{PEAK} .adjusted")
    assert _needed(page) > before
    assert "Storing verwacht" in page.locator("[data-testid=adjustments]").inner_text()

    short_before = int(_cell(page, PEAK, 6))
    page.click("text=Dienst toevoegen")
    shift = page.locator("[data-testid=shift-form]")
    shift.locator("select[name=user]").select_option(label="Daan Bakker")
    shift.locator("input[name=channels][value=phone]").check()
    shift.locator("input[name=day]").fill(MONDAY.isoformat())
    shift.locator("input[name=start_time]").fill("08:00")
    shift.locator("input[name=end_time]").fill("12:00")
    shift.locator("button").click()
    page.wait_for_selector("[data-testid=shifts] >> text=Daan Bakker")
    assert int(_cell(page, PEAK, 6)) == short_before + 1  # scheduled at the peak: one more
