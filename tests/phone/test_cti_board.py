"""Calls on the live board (issue 18): a ringing call waits in the phone queue; one nobody answered is
an abandoned call in the figures, and their patience feeds Erlang A."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gezien.phone.services import EventIn, cti_event
from gezien.planning.live import LiveScope, live_board


def event(kind: str, call_id: str, seconds_ago: float, **more: str) -> None:
    at = timezone.now() - timedelta(seconds=seconds_ago)
    cti_event(EventIn(event=kind, call_id=call_id, at=at, **more))


def phone() -> object:
    return next(c for c in live_board(LiveScope(None)).channels if c.channel == "phone")


@pytest.mark.django_db
def test_ringing_calls_wait_in_the_phone_queue() -> None:
    event("newCall", "a", 50, from_="0612345678")
    event("newCall", "b", 10, from_="0687654321")
    board = phone()
    assert board.waiting == 2
    assert 49 <= board.longest_wait_seconds <= 52
    event("hangup", "a", 5, cause="callerHangup")
    assert phone().waiting == 1


@pytest.mark.django_db
def test_a_call_nobody_answered_is_abandoned_and_shows_the_callers_patience(make_user: object) -> None:
    event("newCall", "late", 100, from_="0612345678")
    event("hangup", "late", 40)  # waited 60 s, past the 20 s target
    event("newCall", "quick", 30, from_="0612345679")
    event("hangup", "quick", 25)  # 5 s: within the target, no miss
    agent = make_user("sanne")  # type: ignore[operator]
    event("newCall", "taken", 5, from_="0612345670")
    event("answer", "taken", 0, user=agent.username)  # waited 5 s
    board = phone()
    assert board.abandoned_today == 2
    assert board.missed_today == 1
    assert board.within_target_today == 1  # the answered call, via its contact
    assert board.patience_seconds == pytest.approx((60 + 5 + 5) / 2, abs=1)
    assert board.arrivals_last_hour == 3  # two abandoned calls and the contact of the answered one
