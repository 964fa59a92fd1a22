"""Helpers for wellbeing tests: people in two teams, agent states written as blocks of time, and contacts
handled with real (rules-only, inline) analysis."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.services import team_ensure
from gezien.contacts.handling import contact_assign, contact_set_status
from gezien.contacts.models import Contact
from gezien.contacts.services import contact_open
from gezien.presence.models import StateSpan
from tests.conftest import clock_from

AMS = ZoneInfo("Europe/Amsterdam")
# A Wednesday afternoon: every block below stays within the day.
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=AMS)
ABUSIVE = "Jullie zijn een kutbedrijf. Sukkel."
ANGRY = "Ik ben echt woedend, dit is schandalig!"
CALM = "Hoi, wanneer komt mijn pakket?"

Block = tuple[
    Any, ...
]  # ("work", minutes) | ("break", minutes, kind) | ("offline", minutes) | ("gap", minutes)


@pytest.fixture(autouse=True)
def _midweek(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The desk's clock starts at NOW (a Wednesday afternoon) and runs on from there: a test that writes
    work "ending now" keeps it within one day and one week whatever hour the suite runs at (just after
    midnight on a Monday, most of a two-hour stretch ending at the real now lies in last week)."""
    return clock_from(monkeypatch, NOW)


@pytest.fixture(autouse=True)
def _inline_analysis(settings: Any) -> None:
    """Analyse right after the commit on every database (with DATABASE_URL a worker would do it)."""
    settings.GEZIEN_ANALYSIS_INLINE = True


def write_spans(user: User, blocks: Sequence[Block], *, end: datetime, open_last: bool = True) -> None:
    """Agent states for `user`, oldest first, the last one ending at `end` (open when `open_last`).
    "work" alternates available and in contact; a "gap" writes nothing (not signed on)."""
    start = end - timedelta(minutes=sum(b[1] for b in blocks))
    rows = []
    for block in blocks:
        kind, minutes = block[0], block[1]
        until = start + timedelta(minutes=minutes)
        if kind == "work":
            moment = start
            state = "available"
            while moment < until:
                step = min(until, moment + timedelta(minutes=7))
                rows.append(StateSpan(user=user, state=state, started_at=moment, ended_at=step))
                state = "in_contact" if state == "available" else "available"
                moment = step
        elif kind == "break":
            rows.append(
                StateSpan(user=user, state="break", break_kind=block[2], started_at=start, ended_at=until)
            )
        elif kind == "offline":
            rows.append(StateSpan(user=user, state="offline", started_at=start, ended_at=until))
        start = until
    if open_last and rows:
        rows[-1].ended_at = None
    StateSpan.objects.bulk_create(rows)


@pytest.fixture
def lead(make_user: Callable[..., User]) -> User:
    return make_user("karin", "teamlead", first_name="Karin", last_name="Postma")


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user("hans", "manager", first_name="Hans", last_name="Verhoeven", team=None)


@pytest.fixture
def stranger(make_user: Callable[..., User]) -> User:
    """An agent of another team, with their own team lead."""
    zuid = team_ensure(name="Team Zuid")
    make_user("bas", "teamlead", first_name="Bas", last_name="Vermeulen", team=zuid)
    return make_user("emre", "agent", first_name="Emre", last_name="Yilmaz", team=zuid)


@pytest.fixture
def handled(django_capture_on_commit_callbacks: Any) -> Callable[..., Contact]:
    """A chat the agent handled: opened with the customer's words, closed `ago` before now (listeners
    run after each commit, as in the desk)."""

    def make(agent: User, *texts: str, ago: timedelta = timedelta(minutes=1), minutes: int = 6) -> Contact:
        closed_at = timezone.now() - ago
        with django_capture_on_commit_callbacks(execute=True):
            contact = contact_open(
                channel="chat", text=texts[0], at=closed_at - timedelta(minutes=minutes)
            ).contact
        with django_capture_on_commit_callbacks(execute=True):
            for text in texts[1:]:
                from gezien.contacts.services import message_add

                message_add(
                    contact=contact, author="customer", text=text, at=closed_at - timedelta(minutes=1)
                )
            contact_assign(contact=contact, agent=agent)
        with django_capture_on_commit_callbacks(execute=True):
            contact_set_status(contact=contact, status="closed", actor=agent, at=closed_at)
        return Contact.objects.get(pk=contact.pk)

    return make
