"""A recorded call in a real Chromium: an agent uploads the stereo recording on the phone contact's page,
sees the call as a timeline (two lanes, the interruption red, the silence grey, a legend), the checklist's
"Laat de klant uitpraten" crossed with the moment, and the player gets the audio."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from gezien.contacts.services import contact_open
from gezien.customers.services import customer_create
from gezien.phone.models import Recording
from gezien.voice.synth import synth_call, tools_missing
from tests.browser import sign_in
from tests.phone.test_recordings import LINES
from tests.web import test_browser

page = test_browser.page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(bool(tools_missing()), reason="needs espeak-ng and sox"),
]

PASSWORD = "geheim-wachtwoord-1"  # what the make_user fixture gives everyone
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_the_agent_uploads_a_call_and_sees_who_spoke_when(page: Any, make_user: Any, tmp_path: Path) -> None:
    make_user("sanne", "agent", first_name="Sanne")
    customer_create(first_name="Annie", last_name="Jansen", identities=[("phone", "06-12345678")])
    contact = contact_open(channel="phone", identities=[("phone", "0612345678")]).contact
    call = tmp_path / "gesprek-factuur.flac"
    synth_call(LINES, call)

    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, "sanne", PASSWORD, landing=lambda url: "/login/" not in url)
    page.goto(f"/desk/contacts/{contact.pk}/")
    page.set_input_files("[data-testid=recording-file]", str(call))
    page.click("[data-testid=recording-submit]")
    page.wait_for_selector("[data-testid=call-timeline]")

    assert Recording.objects.get().source == "desk"
    timeline = page.locator("[data-testid=call-timeline]")
    assert timeline.locator("[data-testid=timeline-overtalk]").count() == 1
    assert timeline.locator("[data-testid=timeline-silence]").count() == 1
    legend = page.inner_text("[data-testid=timeline-legend]")
    for label in ("Medewerker spreekt", "Klant spreekt", "Door elkaar heen", "Stilte langer dan 3 seconden"):
        assert label in legend
    box = timeline.locator("svg").bounding_box()
    assert box is not None and box["width"] >= 560 and box["height"] >= 60  # readable, not a sliver
    # Drawn where the analysis says: the interruption ends the customer's turn at 7.76 s of 15.8 s.
    red = timeline.locator("[data-testid=timeline-overtalk]").bounding_box()
    assert red is not None and red["width"] > 5
    share = (red["x"] + red["width"] - box["x"]) / box["width"]
    assert 0.45 < share < 0.58, share
    speech = timeline.locator("rect.speech")
    assert speech.count() == 5 and all(
        (speech.nth(i).bounding_box() or {}).get("width", 0) > 5 for i in range(5)
    )
    listen = page.locator("[data-step=listen]")
    assert "✗" in listen.inner_text() and "Over de klant heen begonnen op 0:08" in listen.inner_text()
    # The player's source answers with the audio (same session, audited view).
    src = page.get_attribute("[data-testid=recording-audio]", "src")
    status = page.evaluate("async (u) => (await fetch(u)).status", src)
    assert status == 200
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-testid=recordings]").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "recording-timeline.png"), full_page=True)
    shutil.copy(SHOTS / "recording-timeline.png", tmp_path / "recording-timeline.png")
