"""Selectors own freshness: a report read right after a change shows it, without the view or endpoint
calling a catch-up first (GET requests used to decide to write, and a forgotten call showed stale
figures)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gezien.contacts.services import contact_open
from gezien.insights.models import StaleFact
from gezien.insights.rollups import period_totals
from gezien.planning.history import history_days
from gezien.planning.models import HistoryStaleDay

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
AT = datetime(2026, 11, 2, 10, 0, tzinfo=AMS)


def _open(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        contact_open(channel="chat", identities=[], text="Mijn pakket is nog steeds niet bezorgd.", at=AT)


def test_a_rollup_read_counts_a_contact_opened_a_moment_ago(django_capture_on_commit_callbacks):
    _open(django_capture_on_commit_callbacks)
    assert StaleFact.objects.exists()  # only marked: nobody caught up
    assert period_totals(AT.date(), AT.date())[""]["contacts"] == 1
    assert not StaleFact.objects.exists()


def test_the_planning_history_counts_a_contact_opened_a_moment_ago(django_capture_on_commit_callbacks):
    _open(django_capture_on_commit_callbacks)
    (day,) = history_days("chat", AT.date(), AT.date())
    assert day.offered == 1
    assert not HistoryStaleDay.objects.exists()
