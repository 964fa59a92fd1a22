"""Issue 20: the demo tells one consistent story. The demo organisation (loaded once per run) read at
three clock times (the coming night, the next Monday morning, and Christmas Day as a holiday), and the
moment it was loaded: every invariant of tests/figures/invariants.py holds at each."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.demo.loader import LoadReport
from tests.demo_database import demo_into_database, empty_database
from tests.figures.invariants import (
    check_agent_days,
    check_conversations,
    check_headline_counts,
    check_live_board,
    check_recomputed_experience,
    check_recomputed_figures,
    check_service_levels,
    check_spikes_agree,
    desk_people_ids,
)

pytestmark = pytest.mark.slow  # the demo organisation


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LoadReport]:
    with django_db_blocker.unblock():
        report = demo_into_database(tmp_path_factory)
    yield report
    with django_db_blocker.unblock():
        empty_database()


@pytest.fixture(autouse=True)
def _in_transaction(db: None) -> None:
    """Each test sees the demo and rolls back what it writes."""


def _clock_times() -> dict[str, datetime]:
    now = timezone.localtime()
    night = timezone.make_aware(datetime.combine(now.date() + timedelta(days=1), time(3, 0)))
    monday = now.date() + timedelta(days=(7 - now.weekday()) % 7 or 7)
    christmas = now.date().replace(month=12, day=25)
    if christmas < now.date():
        christmas = christmas.replace(year=christmas.year + 1)
    return {
        "loaded": now,
        "night": night,
        "monday_morning": timezone.make_aware(datetime.combine(monday, time(9, 15))),
        "holiday": timezone.make_aware(datetime.combine(christmas, time(11, 0))),
    }


@pytest.mark.parametrize("when", ["loaded", "night", "monday_morning", "holiday"])
def test_the_demo_keeps_every_invariant(demo: LoadReport, when: str) -> None:
    now = _clock_times()[when]
    ids = desk_people_ids()
    today = timezone.localtime(now).date()
    check_agent_days(ids, today - timedelta(days=13), today, now)
    check_live_board(now)


def test_the_demo_has_no_empty_last_time_and_no_survey_after_nothing(demo: LoadReport) -> None:
    check_conversations()


def test_the_dashboard_counts_what_the_raw_contacts_hold(demo: LoadReport) -> None:
    check_headline_counts(timezone.localtime().date())


def test_every_figure_on_the_dashboards_equals_a_scan_of_the_raw_data(demo: LoadReport) -> None:
    now = timezone.now()
    check_recomputed_figures(timezone.localtime(now).date(), now)


def test_the_demo_answers_every_channel_in_believable_time(demo: LoadReport) -> None:
    now = timezone.now()
    check_service_levels(timezone.localtime(now).date(), now)


def test_the_demo_floor_answered_its_calls_and_chats_in_time(demo: LoadReport) -> None:
    """Issue 20: service level today 12 %, 8 %, 0 %: the demo's handled calls of the last hour were
    closed without anyone answering them. Each was picked up within the target."""
    from gezien.planning.live import LiveScope, live_board

    board = live_board(LiveScope(None))
    phone = next(c for c in board.channels if c.channel == "phone")
    if board.closed is not None:
        return  # loaded while the desk is closed: no floor since closing (tests/figures/invariants.py)
    assert phone.service_level is not None and phone.service_level >= 0.5, phone


def test_the_spikes_on_the_overview_and_the_board_agree(demo: LoadReport) -> None:
    check_spikes_agree(timezone.localdate())


def test_emotion_nps_and_csat_on_the_dashboards_equal_a_scan_of_the_raw_data(demo: LoadReport) -> None:
    check_recomputed_experience(timezone.localdate())
