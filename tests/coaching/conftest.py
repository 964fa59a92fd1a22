"""People in two teams and calls handled end to end: opened with a transcript, assigned, closed (the
listeners run after each commit, as in the desk)."""

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
from gezien.contacts.services import TranscriptTurn, contact_open
from tests.conftest import clock_from

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=AMS)  # a Wednesday afternoon

# An agent who talks over the customer three times and goes straight for the solution.
INTERRUPTING = [
    ("customer", "Mijn internet doet het al drie dagen niet en ik moet thuis werken", 0.0, 5.0),
    ("agent", "Heeft u de router al opnieuw opgestart?", 3.8, 6.0),
    ("customer", "Ja, twee keer, en daarna heb ik ook nog de kabels", 6.5, 10.0),
    ("agent", "Dan stuur ik u een nieuwe router.", 9.0, 11.0),
    ("customer", "Maar ik heb morgen een belangrijke presentatie en", 11.5, 15.0),
    ("agent", "Die komt morgen.", 14.0, 15.5),
]
# An agent who lets the customer finish, acknowledges, asks and checks back.
ATTENTIVE = [
    ("customer", "Ik heb al vijf keer gebeld en er gebeurt gewoon niets, ik ben het echt zat!", 0.0, 5.0),
    (
        "agent",
        "Wat vervelend dat u al zo vaak heeft moeten bellen, ik begrijp dat u boos bent. "
        "Kunt u vertellen wat er precies misgaat?",
        5.6,
        10.0,
    ),
    ("customer", "Het internet valt elke avond uit, rond acht uur.", 10.5, 13.0),
    ("agent", "Als ik het goed begrijp valt het elke avond rond acht uur weg. Klopt dat?", 13.6, 16.0),
    ("customer", "Ja, precies.", 16.5, 17.0),
    ("agent", "Dan stuur ik u morgen een monteur.", 17.6, 19.0),
]


@pytest.fixture(autouse=True)
def _midweek(monkeypatch: pytest.MonkeyPatch) -> datetime:
    return clock_from(monkeypatch, NOW)


@pytest.fixture(autouse=True)
def _inline_analysis(settings: Any) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = True


@pytest.fixture
def lead(make_user: Callable[..., User]) -> User:
    return make_user("karin", "teamlead", first_name="Karin", last_name="Postma")


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user("hans", "manager", first_name="Hans", last_name="Verhoeven", team=None)


@pytest.fixture
def colleague(make_user: Callable[..., User]) -> User:
    return make_user("pieter", "agent", first_name="Pieter", last_name="Bakker")


@pytest.fixture
def stranger(make_user: Callable[..., User]) -> User:
    """An agent of another team, with their own team lead."""
    zuid = team_ensure(name="Team Zuid")
    make_user("bas", "teamlead", first_name="Bas", last_name="Vermeulen", team=zuid)
    return make_user("emre", "agent", first_name="Emre", last_name="Yilmaz", team=zuid)


Handled = Callable[..., Contact]


@pytest.fixture
def handled(django_capture_on_commit_callbacks: Any) -> Handled:
    """A call `agent` handled with these turns, closed `ago` before now."""

    def make(
        agent: User, turns: Sequence[tuple[str, str, float, float]], ago: timedelta = timedelta(minutes=1)
    ) -> Contact:
        closed_at = timezone.now() - ago
        with django_capture_on_commit_callbacks(execute=True):
            contact = contact_open(
                channel="phone",
                at=closed_at - timedelta(minutes=5),
                transcript=[TranscriptTurn(*t) for t in turns],
            ).contact
        with django_capture_on_commit_callbacks(execute=True):
            contact_assign(contact=contact, agent=agent)
        with django_capture_on_commit_callbacks(execute=True):
            contact_set_status(contact=contact, status="closed", actor=agent, at=closed_at)
        return Contact.objects.get(pk=contact.pk)

    return make
