"""Calibration and the library "Zo kan het ook" in a real Chromium at 1440 px, with a screenshot of each
new screen (GEZIEN_SCREENSHOTS: where to keep them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.coaching.models import CalibrationScore, GoodExample
from gezien.contacts.models import Contact
from gezien.customers.models import Customer
from tests.browser import browser_context, skip_without_chromium
from tests.coaching.conftest import ATTENTIVE, INTERRUPTING, Handled
from tests.coaching.test_examples import WITH_DETAILS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(live_server: Any) -> Iterator[Any]:
    with browser_context(live_server.url, viewport={"width": 1440, "height": 900}) as context:
        yield context.new_page()


def test_a_lead_calibrates_and_marks_an_example_that_an_agent_finds(
    agent: User, colleague: User, lead: User, handled: Handled, page: Any, tmp_path: Path
) -> None:
    interrupting = handled(agent, INTERRUPTING, ago=timedelta(hours=3))
    handled(colleague, ATTENTIVE, ago=timedelta(hours=2))
    widow = handled(colleague, WITH_DETAILS, ago=timedelta(hours=1))
    customer = Customer.objects.create(customer_number="K-1", first_name="Ria", last_name="Jansen")
    Contact.objects.filter(pk=widow.pk).update(customer=customer)
    shots = Path(os.environ.get("GEZIEN_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)

    page.goto("/desk/coaching/calibration/")
    page.fill("input[name=username]", "karin")
    page.fill("input[name=password]", "geheim-wachtwoord-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/coaching/calibration/")
    page.click(f"[data-testid=calibration-sample] a[href$='/calibration/contacts/{interrupting.pk}/']")
    page.wait_for_url(f"**/calibration/contacts/{interrupting.pk}/")
    page.select_option("select[name=uitpraten]", "20")
    page.select_option("select[name=vragen]", "80")
    page.select_option("select[name=rustig]", "nvt")
    page.screenshot(path=str(shots / "coaching-calibrate.png"), full_page=True)
    page.click("[data-testid=calibrate-form] button[type=submit]")
    page.wait_for_url("**/desk/coaching/calibration/")
    assert CalibrationScore.objects.filter(read_id=interrupting.pk).count() == 3
    assert page.locator("[data-testid=calibration-agreement] tr[data-habit=uitpraten]").count() == 1
    assert page.locator(
        f"[data-testid=calibration-disagreements] tr[data-contact='{interrupting.pk}']"
    ).count()
    page.screenshot(path=str(shots / "coaching-calibration.png"), full_page=True)

    # The lead marks the condolence from the read of the widow's contact.
    page.goto(f"/desk/coaching/contacts/{widow.pk}/")
    form = page.locator("[data-testid=example-form]")
    form.locator("select[name=turn]").select_option("1")
    form.locator("select[name=situation]").select_option("rouw")
    form.locator("textarea[name=why]").fill("Eerst condoleren, dan pas de administratie.")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/desk/coaching/contacts/{widow.pk}/")
    assert GoodExample.objects.count() == 1

    # An agent finds it by situation, without the customer's name.
    page.context.clear_cookies()
    page.goto("/desk/coaching/examples/")
    page.fill("input[name=username]", "sanne")
    page.fill("input[name=password]", "geheim-wachtwoord-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/coaching/examples/")
    page.select_option("[data-testid=examples-search] select[name=situation]", "rouw")
    page.click("[data-testid=examples-search] button[type=submit]")
    page.wait_for_url("**situation=rouw**")
    example = page.locator("[data-testid=example]")
    assert example.count() == 1
    assert "Jansen" not in example.inner_text() and "[naam]" in example.inner_text()
    page.screenshot(path=str(shots / "coaching-examples.png"), full_page=True)
