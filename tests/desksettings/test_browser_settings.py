"""The settings area in a browser: an admin opens it from "Meer", is told in Dutch what is wrong with a
closing time before the opening time, saves shorter Friday hours and an own holiday, and sees the change
listed (docs/screenshots/settings.png, 1440 px)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gezien.desksettings.models import DeskSetting
from gezien.desksettings.store import desk_setting
from tests.browser import sign_in
from tests.web import test_browser

page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_an_admin_changes_the_opening_hours_in_the_settings_area(page: Any, make_user: Any) -> None:
    make_user("beheer", "admin", first_name="Ada", last_name="Beheer")
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, "beheer", "geheim-wachtwoord-1", landing=lambda url: "/login/" not in url)
    page.click("[data-testid=menu-more] summary")
    page.click("[data-testid=settings-link]")
    page.wait_for_url("**/desk/settings/")

    hours = page.locator("[data-testid=settings-hours]")
    hours.locator("input[name=hours_ma]").fill("18:00-08:00")
    with page.expect_navigation():
        page.click("[data-testid=settings-save-hours]")
    assert "Maandag: de sluitingstijd (08:00) moet na de openingstijd (18:00) liggen." in page.content()
    assert not DeskSetting.objects.exists()  # nothing saved

    hours = page.locator("[data-testid=settings-hours]")
    hours.locator("input[name=hours_ma]").fill("08:00-18:00")
    hours.locator("input[name=hours_vr]").fill("08:00-17:00")
    hours.locator("textarea[name=holidays]").fill(
        "2026-12-24 Kerstavond 08:00-14:00\n2026-12-31 Oudejaarsdag"
    )
    with page.expect_navigation():
        page.click("[data-testid=settings-save-hours]")
    assert page.locator("[data-testid=setting-opening_hours]").inner_text().count("aangepast in de desk") == 1
    assert page.locator("[data-testid=settings-change]").count() == 2  # opening hours, own holidays
    assert "vr 08:00-17:00" in desk_setting("opening_hours")
    page.screenshot(path=str(SHOTS / "settings.png"), full_page=True)
