"""The demo's plan: the team lead sees a red gap over the coming Monday's morning peak, the other days are
covered, and loading is quick, deterministic and idempotent."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.services import agent_create, team_ensure
from gezien.demo.people import AGENTS, TEAMS
from gezien.demo.planning import load_planning_demo, showcase_monday
from gezien.planning.plan import plans_for_days
from tests.planning.helpers import AMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people(db: None) -> None:
    teams = {name: team_ensure(name=name) for name in TEAMS}
    for username, first, last, role, team in AGENTS:
        agent_create(
            username=username,
            password="demo-wachtwoord",
            role=role,
            first_name=first,
            last_name=last,
            team=teams.get(team) if team else None,
        )


@pytest.mark.parametrize(
    "now", [datetime(2026, 11, 24, 9, 0, tzinfo=AMS), datetime(2026, 11, 23, 7, 30, tzinfo=AMS)]
)
def test_the_coming_monday_is_short_at_the_morning_peak_and_the_rest_is_covered(
    demo_people: None, now: datetime, settings: Any
) -> None:
    counts = load_planning_demo(now)
    assert counts["diensten"] > 100 and counts["planningsintervallen"] > 1500
    today = now.date()
    monday = showcase_monday(today)
    plans = plans_for_days([today + timedelta(days=n) for n in range(7)], "phone", now=now)
    short = {p.day: p.scale_up for p in plans if p.scale_up}
    assert set(short) == {monday}
    peak = short[monday].ranges[0]
    assert peak.start.astimezone(AMS).hour <= 9 and peak.end.astimezone(AMS).hour >= 10
    assert peak.extra >= 3
    assert load_planning_demo(now)["diensten"] == 0  # a second load writes nothing


def test_the_team_lead_finds_the_red_monday_on_the_default_page(demo_people: None, client: Client) -> None:
    load_planning_demo(timezone.now())
    client.force_login(User.objects.get(username="teamlead"))
    html = client.get("/planning/").content.decode()
    monday = showcase_monday(timezone.localdate())
    link = re.search(
        rf'<a href="([^"]+)" title="[^"]*" class="([^"]*)"[^>]*data-testid="day-{monday.isoformat()}"', html
    )
    assert link and "short" in link.group(2)  # the coming Monday is marked in the day strip: one click
    monday_page = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert 'data-testid="scale-up"' in monday_page and "Training nieuwe tarieven tot 11:00" in monday_page
    assert re.search(r'<tr class="short[^"]*" data-testid="interval-09:30">', monday_page)
