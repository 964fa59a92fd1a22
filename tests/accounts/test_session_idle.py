"""Sessions end after GEZIEN_SESSION_IDLE_MINUTES (default 30) without a request of the person's own: the
next request goes to the login page with a message. The desk's timed refreshes (`?refresh=1`) and live
event streams do not count, and a stream ends when its session would time out unused."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from django.test import Client

from gezien.accounts.models import User
from gezien.core.live import live_stream

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = 0.0
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + self.offset)

    def minutes_later(self, minutes: float) -> None:
        self.offset += minutes * 60


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def test_a_session_ends_after_thirty_idle_minutes(desk: Client, clock: Clock) -> None:
    assert desk.get("/customers/").status_code == 200
    clock.minutes_later(31)
    response = desk.get("/customers/?q=jansen")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fcustomers%2F%3Fq%3Djansen"
    page = desk.get(response["Location"]).content.decode()
    assert "U bent uitgelogd na 30 minuten zonder activiteit" in page
    assert "_auth_user_id" not in desk.session


def test_activity_keeps_it(desk: Client, clock: Clock) -> None:
    for _ in range(4):
        clock.minutes_later(20)
        assert desk.get("/customers/").status_code == 200


def test_timed_refreshes_do_not_keep_it(desk: Client, clock: Clock) -> None:
    assert desk.get("/desk/").status_code == 200
    clock.minutes_later(20)
    assert desk.get("/desk/queue-table/?refresh=1", HTTP_HX_REQUEST="true").status_code == 200
    clock.minutes_later(11)
    response = desk.get("/desk/queue-table/?refresh=1", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/login/")  # htmx is told to go there itself


def test_an_event_stream_does_not_keep_it(desk: Client, clock: Clock) -> None:
    assert desk.get("/desk/").status_code == 200
    clock.minutes_later(29)
    assert desk.get("/desk/").status_code == 200
    clock.minutes_later(31)
    assert desk.get("/live/desk/", HTTP_ACCEPT="text/event-stream").status_code == 401


def test_the_setting(desk: Client, clock: Clock, settings: Any) -> None:
    settings.GEZIEN_SESSION_IDLE_MINUTES = 5
    desk.get("/desk/")
    clock.minutes_later(6)
    assert desk.get("/desk/").status_code == 302
    settings.GEZIEN_SESSION_IDLE_MINUTES = 0  # never
    desk.force_login(User.objects.get(username="sanne"))
    clock.minutes_later(600)
    assert desk.get("/desk/").status_code == 200


def test_a_stream_ends_when_its_session_would_time_out() -> None:
    async def frames() -> list[bytes]:
        return [frame async for frame in live_stream(["desk"], ends_after_s=0.3)]

    started = time.monotonic()
    got = asyncio.run(frames())
    assert time.monotonic() - started < 5
    assert got[0].startswith(b"retry:")
