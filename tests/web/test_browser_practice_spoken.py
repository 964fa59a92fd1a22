"""Spoken practice in a real Chromium (issue 19): with the `stt` extra, the practice screen offers
"Inspreken"; Chromium's fake microphone plays an espeak-ng WAV of a Dutch sentence that acknowledges the
customer's feelings; the browser records it (MediaRecorder, WebM/Opus), the server transcribes it, the
text appears in the reply box to read, and "Zeggen" takes it as a turn the customer answers.

Slow (Whisper runs); skipped without the extra unless GEZIEN_REQUIRE_STT=1. The screenshot goes to
GEZIEN_SCREENSHOTS (or the test's tmp folder)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.voice import stt
from tests.browser import browser_context, sign_in, skip_without_chromium
from tests.practice.spoken_audio import SENTENCE, recognisably_the_sentence, say, tools_missing

skip_without_chromium()
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread

MISSING = stt.missing()
REQUIRED = os.environ.get("GEZIEN_REQUIRE_STT") == "1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(bool(MISSING) and not REQUIRED, reason=str(MISSING)),
    pytest.mark.skipif(bool(tools_missing()), reason="needs espeak-ng and sox"),
]

TRANSCRIBED = 60_000  # Whisper base on a few seconds of audio, on a busy machine
SHOWS = 10_000


@pytest.fixture
def microphone(tmp_path: Path) -> Path:
    return say(tmp_path / "turn.wav", SENTENCE, pad_s=0.3)


@pytest.fixture
def page(live_server: Any, microphone: Path) -> Iterator[Any]:
    fake_microphone = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone}",
    ]
    with browser_context(live_server.url, args=fake_microphone) as context:
        context.grant_permissions(["microphone"])
        yield context.new_page()


def test_an_agent_speaks_a_turn_and_the_customer_answers(
    page: Any, make_user: Callable[..., User], tmp_path: Path
) -> None:
    shots = Path(os.environ.get("GEZIEN_SCREENSHOTS", str(tmp_path)))
    shots.mkdir(parents=True, exist_ok=True)
    sign_in(page, make_user("sanne", "agent").username, "geheim-wachtwoord-1")
    page.goto("/desk/practice/")
    page.locator("[data-testid=scenario-vijfde-keer] button").click()
    page.wait_for_url("**/desk/practice/sessions/*/")
    speak = page.locator("[data-testid=practice-speak]")
    speak.wait_for(state="visible", timeout=SHOWS)
    assert speak.inner_text() == "Inspreken"
    page.screenshot(path=str(shots / "practice-spoken.png"), full_page=True)

    speak.click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=practice-speak]').textContent === 'Stoppen'",
        timeout=SHOWS,
    )
    page.wait_for_timeout(9500)  # the file loops: twice its length holds the whole sentence once
    speak.click()
    box = page.locator("#practice-text")
    page.wait_for_function(
        "() => document.querySelector('#practice-text').value.trim() !== ''", timeout=TRANSCRIBED
    )
    heard = box.input_value()
    assert recognisably_the_sentence(heard), heard
    assert "Lees de tekst na" in page.locator("[data-testid=practice-speak-status]").inner_text()
    page.screenshot(path=str(shots / "practice-spoken-heard.png"), full_page=True)

    # The text is the agent's to correct; "Zeggen" takes it as a typed turn.
    page.click("[data-testid=practice-send]")
    page.locator("[data-testid=practice-feedback]").first.wait_for(timeout=SHOWS)
    agent_turns = page.locator("[data-testid=practice-turn-agent]")
    assert agent_turns.count() == 1 and recognisably_the_sentence(agent_turns.first.inner_text())
    assert page.locator("[data-testid=practice-turn-customer]").count() == 2
