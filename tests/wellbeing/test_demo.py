"""The wellbeing part of the demo on a small stand-in of the demo organisation (the full demo takes a
minute to load): the team lead sees an agent who worked too long without a break, and an agent protected
after the rude caller rang again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.services import agent_create, team_ensure
from gezien.assist.models import Incident
from gezien.contacts.analysing import analyser, messages_analyse
from gezien.contacts.models import Contact, Message
from gezien.contacts.services import TranscriptTurn, contact_assign, contact_open, contact_set_status
from gezien.core.calendar import default_calendar
from gezien.customers.services import customer_create
from gezien.demo.wellbeing import RUDE_CALL_ID, load_wellbeing_demo
from gezien.notifications.models import Notification
from gezien.presence.models import StateSpan
from gezien.wellbeing.models import Protection, WellbeingAlert
from gezien.wellbeing.selectors import prompt_for, protected
from gezien.wellbeing.stretches import day_start

PEOPLE = [
    ("agent", "Sanne", "de Vries", "agent"),
    ("teamlead", "Karin", "Postma", "teamlead"),
    ("mark.vandijk", "Mark", "van Dijk", "agent"),
    ("fatima.elamrani", "Fatima", "El Amrani", "agent"),
    ("daan.visser", "Daan", "Visser", "agent"),
    ("naomi.pinas", "Naomi", "Pinas", "agent"),
]


@pytest.fixture
def demo_people(db: None) -> dict[str, User]:
    noord = team_ensure(name="Team Noord")
    people = {
        username: agent_create(
            username=username, password=None, role=role, first_name=first, last_name=last, team=noord
        )
        for username, first, last, role in PEOPLE
    }
    ronald = customer_create(first_name="Ronald", last_name="Kramer", identities=[("phone", "06-11223344")])
    earlier = contact_open(
        channel="phone",
        identities=[("phone", "06-11223344")],
        subject="Storing internet, beller scheldt",
        transcript=[
            TranscriptTurn("agent", "Goedemiddag, u spreekt met Sanne.", 0.0, 2.0),
            TranscriptTurn("customer", "Jullie zijn een stelletje oplichters. Kutbedrijf.", 2.5, 6.0),
            TranscriptTurn("agent", "Zo gaan we niet met elkaar om, meneer.", 6.5, 9.0),
            TranscriptTurn("customer", "Ben je achterlijk ofzo? Sukkel.", 9.5, 12.0),
        ],
        at=timezone.now() - timedelta(days=5),
        actor=people["agent"],
    ).contact
    assert earlier.customer == ronald
    contact_assign(contact=earlier, agent=people["agent"])
    contact_set_status(
        contact=earlier, status="closed", at=timezone.now() - timedelta(days=5) + timedelta(minutes=4)
    )
    messages_analyse(list(Message.objects.filter(contact=earlier)), using=analyser("off"))
    return people


@pytest.fixture
def _midweek() -> None:
    """The demo must load at whatever hour someone starts it: these tests keep the real clock."""


def small_hours() -> datetime:
    """Twenty-five past midnight, the latest that has passed: the desk is closed, its last day's stories
    are those of its last opening hours."""
    moment = day_start(timezone.localdate()) + timedelta(minutes=25)
    return moment if moment < timezone.now() else moment - timedelta(days=1)


@pytest.mark.parametrize("at", [timezone.now, small_hours], ids=["now", "small-hours"])
def test_the_lead_sees_the_long_stretch_and_the_protection_after_the_rude_caller(
    demo_people: dict[str, User], at: Callable[[], datetime]
) -> None:
    now = at()
    counts = load_wellbeing_demo(now)
    assert counts["welzijn_statussen"] > 100 and counts["welzijn_beschermingen"] == 1
    mark, sanne, karin = demo_people["mark.vandijk"], demo_people["agent"], demo_people["teamlead"]
    call = Contact.objects.get(external_id=RUDE_CALL_ID)
    assert call.customer.last_name == "Kramer" and call.assigned_agent == sanne and call.status == "closed"
    assert Incident.objects.filter(contact=call, agent=sanne).exists()  # logged as the desk does live
    closing = default_calendar().last_closing(now)
    if default_calendar().open_since(now) is not None:  # at work now: Mark prompted, Sanne protected
        assert prompt_for(mark, now).kind == "break"  # type: ignore[union-attr]
        assert protected([mark.pk, sanne.pk], now) == {sanne.pk}
        assert prompt_for(sanne, now).kind == "decompress"  # type: ignore[union-attr]
    else:  # the desk is closed (issue 20): the day was its last opening hours', everyone signed off
        assert closing is not None and call.closed_at is not None and call.closed_at <= closing
        for person in (mark, sanne):
            latest = StateSpan.objects.filter(user=person).latest("started_at")
            assert latest.state == "offline" and latest.started_at == closing and latest.ended_at is None
        assert prompt_for(mark, now) is None
    told = list(
        Notification.objects.filter(recipient=karin, kind="wellbeing").values_list("text", "contact_id")
    )
    assert any(t.startswith("Mark van Dijk werkt sinds") for t, _contact in told)
    # The lead is led to the call itself; the text names no database id ("#2003").
    assert any(t.startswith("Sanne de Vries: ") and c == call.pk and "#" not in t for t, c in told)
    assert WellbeingAlert.objects.filter(user=demo_people["fatima.elamrani"], kind="lunch_only").exists()
    assert not WellbeingAlert.objects.filter(
        user__in=[demo_people["daan.visser"], demo_people["naomi.pinas"]]
    ).exists()


def test_loading_twice_changes_nothing(demo_people: dict[str, User]) -> None:
    now = timezone.now()
    load_wellbeing_demo(now)
    before = (
        StateSpan.objects.count(),
        Protection.objects.count(),
        WellbeingAlert.objects.count(),
        Notification.objects.count(),
        Contact.objects.count(),
    )
    again = load_wellbeing_demo(now + timedelta(seconds=5))
    assert again["welzijn_statussen"] == 0
    assert (
        StateSpan.objects.count(),
        Protection.objects.count(),
        WellbeingAlert.objects.count(),
        Notification.objects.count(),
        Contact.objects.count(),
    ) == before


def test_without_the_demo_people_nothing_happens(db: None) -> None:
    assert load_wellbeing_demo() == {}


def test_it_leaves_states_someone_already_has_alone(demo_people: dict[str, User], settings: Any) -> None:
    now = timezone.now()
    mark = demo_people["mark.vandijk"]
    StateSpan.objects.create(
        user=mark, state="break", break_kind="lunch", started_at=now - timedelta(minutes=20)
    )
    load_wellbeing_demo(now)
    assert StateSpan.objects.filter(user=mark, ended_at__isnull=True).get().state == "break"
    assert (
        not StateSpan.objects.filter(user=mark, started_at__gte=now - timedelta(minutes=20))
        .exclude(state="break")
        .exists()
    )
