"""The policy's lines at their edges: time on the queue, stretches and breaks read from agent states
(pure: no database), just under and just over each line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest

from gezien.presence.selectors import Span
from gezien.wellbeing.models import WellbeingPolicy
from gezien.wellbeing.selectors import crossings
from gezien.wellbeing.stretches import days_of, local_day, timeline
from tests.wellbeing.conftest import AMS, NOW

RULES = WellbeingPolicy()  # the defaults: 120 min at a stretch, 420 a day, breaks from 5, lunch-only from 240


def spans(blocks: Sequence[tuple[Any, ...]], end: Any = NOW) -> list[Span]:
    start = end - timedelta(minutes=sum(b[1] for b in blocks))
    found = []
    for block in blocks:
        until = start + timedelta(minutes=block[1])
        if block[0] == "work":
            found.append(Span(1, "in_contact", "", start, until))
        elif block[0] == "break":
            found.append(Span(1, "break", block[2] if len(block) > 2 else "short", start, until))
        elif block[0] == "offline":
            found.append(Span(1, "offline", "", start, until))
        start = until
    return found


def day(blocks: Sequence[tuple[Any, ...]]) -> Any:
    found = spans(blocks)
    return days_of(found, timeline(found, RULES.min_break_minutes), [local_day(NOW)])[local_day(NOW)]


def test_a_pause_shorter_than_the_minimum_does_not_end_the_stretch() -> None:
    line = timeline(spans([("work", 60), ("break", 4), ("work", 60)]), 5)
    assert [s.minutes for s in line.stretches] == [120] and line.breaks == []
    assert line.current is line.stretches[0]


def test_a_break_of_the_minimum_starts_a_new_stretch() -> None:
    line = timeline(spans([("work", 60), ("break", 5), ("work", 60)]), 5)
    assert [s.minutes for s in line.stretches] == [60, 60] and len(line.breaks) == 1


def test_time_not_signed_on_counts_as_off_the_queue() -> None:
    found = spans([("work", 90), ("work", 90)])
    found[1] = Span(
        1, "in_contact", "", found[1].start + timedelta(minutes=30), found[1].end
    )  # a 30-minute gap
    line = timeline(found, 5)
    assert [s.minutes for s in line.stretches] == [90, 60]


def test_on_a_break_now_there_is_no_current_stretch() -> None:
    line = timeline(spans([("work", 150), ("break", 6)]), 5)
    assert line.current is None and line.pause_now is not None


@pytest.mark.parametrize(("minutes", "crossed"), [(120, False), (121, True)])
def test_continuous_work_crosses_the_line_only_beyond_it(minutes: int, crossed: bool) -> None:
    assert ("continuous" in crossings(day([("work", minutes)]), RULES)) is crossed


@pytest.mark.parametrize(("minutes", "crossed"), [(420, False), (421, True)])
def test_a_day_on_the_queue_crosses_the_line_only_beyond_it(minutes: int, crossed: bool) -> None:
    # Broken up by short breaks, so only the day's total is at stake.
    blocks = [("work", 60), ("break", 10)] * 6 + [("work", minutes - 360)]
    assert ("daily_queue" in crossings(day(blocks), RULES)) is crossed
    assert "continuous" not in crossings(day(blocks), RULES)


@pytest.mark.parametrize(("minutes", "crossed"), [(239, False), (240, True)])
def test_a_day_with_no_break_but_lunch_from_four_hours(minutes: int, crossed: bool) -> None:
    blocks = [("work", 120), ("break", 30, "lunch"), ("work", minutes - 120)]
    assert ("lunch_only" in crossings(day(blocks), RULES)) is crossed


def test_one_real_break_besides_lunch_is_enough() -> None:
    blocks = [("work", 100), ("break", 5), ("work", 60), ("break", 30, "lunch"), ("work", 100)]
    assert "lunch_only" not in crossings(day(blocks), RULES)
    too_short = [("work", 100), ("break", 4), ("work", 60), ("break", 30, "lunch"), ("work", 100)]
    assert "lunch_only" in crossings(day(too_short), RULES)


def test_signing_off_at_the_end_of_the_day_is_no_break() -> None:
    blocks = [("work", 120), ("break", 30, "lunch"), ("work", 120), ("offline", 60)]
    found = day(blocks)
    assert found.queue_minutes == 240 and found.rest_breaks() == []
    assert "lunch_only" in crossings(found, RULES)


def test_the_night_and_the_weekend_are_no_break() -> None:
    """Issue 20: a Friday showed "Pauzes 3 (51 u 43 m)": the time signed off from Friday evening to
    Monday morning was read as a break of that Friday, because work followed it."""
    friday = datetime(2026, 11, 13, 9, 0, tzinfo=AMS)
    monday = datetime(2026, 11, 16, 9, 0, tzinfo=AMS)

    def at(start: datetime, minutes: int, state: str = "in_contact", kind: str = "") -> Span:
        return Span(1, state, kind, start, start + timedelta(minutes=minutes))

    found = [
        at(friday, 180),
        at(friday + timedelta(hours=3), 30, "break", "lunch"),
        at(friday + timedelta(hours=3, minutes=30), 240),
        at(friday + timedelta(hours=7, minutes=30), 20, "offline"),
        at(monday, 120),
        at(monday + timedelta(hours=2), 10, "break", "short"),
        at(monday + timedelta(hours=2, minutes=10), 60),
    ]
    days = [friday.date(), monday.date()]
    line = timeline(found, RULES.min_break_minutes)
    split = days_of(found, line, days)
    assert split[friday.date()].lunch_minutes == 30 and split[friday.date()].break_minutes == 0
    assert split[friday.date()].rest_breaks() == []
    assert split[monday.date()].break_minutes == 10 and len(split[monday.date()].rest_breaks()) == 1
    # Monday's first stretch starts on Monday: the weekend ended Friday's stretch without being rest.
    assert [s.minutes for s in line.stretches] == [180, 240, 120, 60]
    for one in split.values():
        assert one.queue_seconds + sum(b.minutes * 60 for b in one.breaks) <= 24 * 3600
