"""The demo's people have skills that fit, and the demo's waiting contacts are routed as it loads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.models import Contact, Message
from gezien.demo.people import AGENTS
from gezien.demo.routing import DEMO_SKILLS, PRESENT_AT_LOAD, routing_demo_load
from gezien.routing.models import RoutingDecision, RoutingProfile, Skill
from tests.conftest import clock_from
from tests.routing.conftest import BEREAVEMENT

THURSDAY_AFTERNOON = datetime(2025, 11, 20, 14, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_every_demo_team_has_someone_for_sensitive_contacts_and_for_complaints() -> None:
    people = {username: team for username, _first, _last, _role, team in AGENTS}
    assert set(DEMO_SKILLS) <= set(people)
    for team in {t for t in people.values() if t}:
        skills = [DEMO_SKILLS[u] for u, t in people.items() if t == team and u in DEMO_SKILLS]
        assert any("gevoelige_gesprekken" in codes for codes, _level in skills), team
        assert any("klachten" in codes and level == "senior" for codes, level in skills), team


def test_loading_the_demo_routes_its_waiting_contacts(
    make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock_from(monkeypatch, THURSDAY_AFTERNOON)  # the desk open: someone is present to take it
    Skill.objects.all().delete()  # a flushed database: the demo brings the skills it gives
    users = {"admin": make_user("admin", "admin"), "fatima.elamrani": make_user("fatima.elamrani")}
    users["naomi.pinas"] = make_user("naomi.pinas")
    # As the demo loader writes them: bulk-inserted, not analysed yet.
    contact = Contact.objects.create(
        channel="email", recognition="unidentified", opened_at=timezone.now(), waiting_since=timezone.now()
    )
    Message.objects.create(contact=contact, author="customer", text=BEREAVEMENT, sent_at=timezone.now())
    assert routing_demo_load(users) == 1
    assert Contact.objects.get(pk=contact.pk).assigned_agent == users[PRESENT_AT_LOAD[0]]
    assert RoutingDecision.objects.get(contact=contact).flags == ["gevoelig"]
    naomi = RoutingProfile.objects.get(user=users["naomi.pinas"])
    assert [s.code for s in naomi.skills.all()] == ["gevoelige_gesprekken"] and naomi.last_seen_at is None
