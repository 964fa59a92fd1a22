"""The practice room in a real Chromium: an agent practises `weduwe`, opens with the postcode question and
sees the customer's reaction and the feedback (the conversation swaps in without a reload); a second attempt
with condolence first scores higher. Screenshots go to GEZIEN_SCREENSHOTS (or the test's tmp folder)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gezien.accounts.models import User
from tests.browser import sign_in
from tests.web import test_browser

page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"
SHOWS = 10_000


def _log_in(page: Any, user: User) -> None:
    sign_in(page, user.username, PASSWORD)


def _say(page: Any, text: str) -> None:
    before = page.locator("[data-testid=practice-feedback]").count()
    page.fill("#practice-text", text)
    page.click("[data-testid=practice-send]")
    page.locator("[data-testid=practice-feedback]").nth(before).wait_for(timeout=SHOWS)


def _practise_weduwe(page: Any) -> None:
    page.goto("/desk/practice/")
    page.locator("[data-testid=scenario-weduwe] button").click()
    page.wait_for_url("**/desk/practice/sessions/*/")


def test_weduwe_postcode_first_then_condolence_first_scores_higher(
    page: Any, make_user: Callable[..., User], tmp_path: Path
) -> None:
    shots = Path(os.environ.get("GEZIEN_SCREENSHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    _log_in(page, make_user("sanne", "agent"))
    page.click("[data-testid=menu-more] summary")  # the practice room is under "Meer"
    page.click("[data-testid=practice-link]")
    page.wait_for_url("**/desk/practice/")
    page.screenshot(path=str(shots / "practice-home.png"), full_page=True)

    _practise_weduwe(page)
    assert "overleden" in page.locator("[data-testid=practice-turn-customer]").first.inner_text()
    page.evaluate("() => { window.__sameDocument = true; }")
    _say(page, "Wat is uw postcode en huisnummer?")
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
    reply = page.locator("[data-testid=practice-turn-customer]").last
    assert "Ik vertel u net dat mijn man is overleden" in reply.inner_text()
    feedback = page.locator("[data-testid=practice-feedback]").last.inner_text()
    assert "gegevens" in feedback and "condoleer" in feedback
    assert "boos" in page.locator("[data-testid=practice-mood]").inner_text()
    page.screenshot(path=str(shots / "practice-postcode-first.png"), full_page=True)
    page.click("[data-testid=practice-finish]")
    page.locator("[data-testid=practice-score]").wait_for(timeout=SHOWS)
    first = int(page.locator("[data-testid=practice-score]").inner_text())

    page.click("[data-testid=practice-again]")
    page.wait_for_url("**/desk/practice/sessions/*/")
    _say(page, "Gecondoleerd met het verlies van uw man. Wat verdrietig.")
    assert "rustig" in page.locator("[data-testid=practice-mood]").inner_text()
    _say(page, "Ik wil u graag helpen en pak daarvoor uw gegevens erbij. Mag ik uw postcode en huisnummer?")
    _say(page, "Ik zeg het abonnement voor u op per de datum van overlijden, zonder kosten.")
    page.locator("[data-testid=practice-ended]").wait_for(timeout=SHOWS)
    page.screenshot(path=str(shots / "practice-condolence-first.png"), full_page=True)
    page.click("[data-testid=practice-finish]")
    page.locator("[data-testid=practice-score]").wait_for(timeout=SHOWS)
    second = int(page.locator("[data-testid=practice-score]").inner_text())
    assert second > first
    assert f"+{second - first}" in page.locator("[data-testid=practice-change]").inner_text()
    assert page.locator("[data-testid=practice-earlier] li").count() == 1
    page.screenshot(path=str(shots / "practice-read.png"), full_page=True)


def test_team_lead_assigns_a_scenario_and_sees_progress(
    page: Any, make_user: Callable[..., User], tmp_path: Path
) -> None:
    shots = Path(os.environ.get("GEZIEN_SCREENSHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    make_user("sanne", "agent", first_name="Sanne", last_name="de Vries")
    lead = make_user("lotte", "teamlead", first_name="Lotte", last_name="Bakker")
    _log_in(page, lead)
    page.goto("/desk/practice/")
    page.click("[data-testid=practice-team-link]")
    page.wait_for_url("**/desk/practice/team/")
    form = page.locator("[data-testid=assign-form]")
    form.locator("select[name=agent]").select_option(label="Sanne de Vries")
    form.locator("select[name=scenario]").select_option("grof")
    form.locator("button").click()
    page.wait_for_url("**/desk/practice/team/")
    assert "De grove beller" in page.locator("[data-testid=progress-sanne]").inner_text()
    page.screenshot(path=str(shots / "practice-team.png"), full_page=True)
    page.goto("/desk/practice/scenarios/new/")
    page.screenshot(path=str(shots / "practice-scenario-form.png"), full_page=True)
