"""The stale-mark queue: a change made while a rebuild runs is never lost, and a drain stops at its limit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from gezien.core.stale import stale_drain, stale_mark
from gezien.insights.models import StaleDay
from gezien.insights.retention.models import StaleRisk

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MONDAY, TUESDAY, WEDNESDAY = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)


def test_a_key_marked_again_while_it_is_redone_is_redone_once_more():
    stale_mark(StaleDay, [MONDAY, TUESDAY], T0)
    seen: list[list[date]] = []

    def redo(days):
        seen.append(list(days))
        if len(seen) == 1:  # Monday changes again during the first rebuild
            stale_mark(StaleDay, [MONDAY], T0 + timedelta(seconds=1))

    assert stale_drain(StaleDay, redo, order=("day",)) == 3
    assert seen == [[MONDAY, TUESDAY], [MONDAY]]
    assert not StaleDay.objects.exists()


def test_marking_again_moves_the_mark_forward_so_an_older_drain_does_not_remove_it():
    stale_mark(StaleRisk, [7, None, 7], T0)
    stale_mark(StaleRisk, [7], T0 + timedelta(minutes=1))
    assert list(StaleRisk.objects.values_list("customer_id", "since")) == [(7, T0 + timedelta(minutes=1))]


def test_a_drain_stops_at_its_limit_and_leaves_the_rest_marked():
    stale_mark(StaleDay, [MONDAY, TUESDAY, WEDNESDAY], T0)
    done: list[date] = []
    assert stale_drain(StaleDay, done.extend, limit=2, batch=1, order=("-day",)) == 2
    assert done == [WEDNESDAY, TUESDAY]
    assert list(StaleDay.objects.values_list("day", flat=True)) == [MONDAY]


def test_marking_again_moves_since_forward_and_many_keys_take_several_statements():
    stale_mark(StaleRisk, [1, 2, None], T0)
    assert stale_mark(StaleRisk, [2, *range(3, 1003)], T0 + timedelta(hours=1)) == 1001  # > one statement
    since = dict(StaleRisk.objects.values_list("customer_id", "since"))
    assert len(since) == 1002
    assert since[1] == T0
    assert since[2] == since[1002] == T0 + timedelta(hours=1)
