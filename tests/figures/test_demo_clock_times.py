"""Issue 20: the demo loaded at three clock times, each by the desk's own clock (`clock_from`): a weekday
night (03:00), a Monday morning (09:15) and a holiday (Tweede Kerstdag, 11:00). The demo's history
leads up to that moment and its floor, queue and live calls are that hour's; every invariant of
tests/figures/invariants.py holds at each, and the floor keeps the opening hours: closed at night and on
the holiday, busy on Monday morning.

Each load runs as on PostgreSQL, where `gezien worker` drains the outbox later and nothing drains it
beside the load (GEZIEN_ANALYSIS_INLINE off): the figures must be complete without it. One full demo
load per clock time (slow: about a minute each on the CI machine)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gezien.demo.loader import load_demo
from tests.conftest import clock_from
from tests.demo_database import PASSWORD
from tests.figures.invariants import (
    check_agent_days,
    check_conversations,
    check_floor_in_opening_hours,
    check_headline_counts,
    check_live_board,
    check_recomputed_experience,
    check_recomputed_figures,
    check_service_levels,
    check_spikes_agree,
    desk_people_ids,
)

pytestmark = pytest.mark.slow  # a demo organisation per clock time

AMS = ZoneInfo("Europe/Amsterdam")
MOMENTS = {
    "night": datetime(2026, 11, 18, 3, 0, tzinfo=AMS),  # a Wednesday, 03:00
    "monday_morning": datetime(2026, 11, 16, 9, 15, tzinfo=AMS),
    "holiday": datetime(2025, 12, 26, 11, 0, tzinfo=AMS),  # Tweede Kerstdag (a Friday)
}


@pytest.mark.parametrize("when", list(MOMENTS))
def test_the_demo_loaded_at_this_hour_keeps_every_invariant(
    when: str, transactional_db: None, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = False  # as on PostgreSQL: the worker drains the outbox, later
    clock_from(monkeypatch, MOMENTS[when])
    load_demo(password=PASSWORD)
    now = timezone.now()
    today = timezone.localtime(now).date()
    check_headline_counts(today)
    check_agent_days(desk_people_ids(), today - timedelta(days=13), today, now)
    check_live_board(now)
    check_floor_in_opening_hours(now)
    check_conversations()
    check_recomputed_figures(today, now)
    check_recomputed_experience(today)
    check_service_levels(today, now)
    check_spikes_agree(today)
