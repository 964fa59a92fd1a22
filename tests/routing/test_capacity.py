"""Capacity routing (issue 6): each person holds a number of contacts per channel (1 call, or 3 chats),
routing only reaches people who are available or in contact, and passes by people wellbeing protects
when the contact is a heavy one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.handling import contact_set_reason, contact_set_status
from gezien.contacts.models import Contact, Status
from gezien.presence.selectors import current_state
from gezien.presence.services import signed_in, state_set
from gezien.routing import selectors
from gezien.routing.models import RoutingDecision, RoutingProfile
from tests.conftest import ApiClient
from tests.routing.conftest import BEREAVEMENT

Opener = Callable[..., Contact]
Maker = Callable[..., User]
REPEAT = "Dit is al de derde keer dat ik bel over mijn factuur."


def test_a_person_on_a_call_gets_no_second_call_but_does_get_a_chat(
    open_contact: Opener, skilled: Maker
) -> None:
    naomi = skilled("naomi")
    first = open_contact(BEREAVEMENT, channel="phone", identities=[("phone", "0612345678")])
    assert first.assigned_agent == naomi
    second = open_contact(BEREAVEMENT, channel="phone", identities=[("phone", "0687654321")])
    assert second.assigned_agent is None  # phone capacity 1: flagged in the queue
    chat = open_contact(BEREAVEMENT, channel="chat")
    assert chat.assigned_agent == naomi


def test_own_capacity_overrides_the_default_and_zero_keeps_a_channel_away(
    open_contact: Opener, skilled: Maker
) -> None:
    naomi = skilled("naomi")
    RoutingProfile.objects.filter(user=naomi).update(capacity={"chat": 0, "email": 2})
    assert open_contact(BEREAVEMENT, channel="chat").assigned_agent is None
    emails = [open_contact(BEREAVEMENT, channel="email", subject="Opzeggen") for _ in range(3)]
    assert [e.assigned_agent for e in emails] == [naomi, naomi, None]
    assert selectors.capacities(RoutingProfile.objects.get(user=naomi)) == {
        "phone": 1,
        "chat": 0,
        "email": 2,
        "webform": 3,
    }


def test_the_least_busy_on_the_channel_goes_first(open_contact: Opener, skilled: Maker) -> None:
    naomi, bram = skilled("naomi"), skilled("bram")
    got = [open_contact(BEREAVEMENT, channel="chat").assigned_agent for _ in range(4)]
    assert sorted(u.username for u in got if u) == ["bram", "bram", "naomi", "naomi"]
    assert {naomi, bram} == set(got)


@pytest.mark.parametrize(
    ("state", "kind", "routed"),
    [("available", "", True), ("break", "lunch", False), ("offline", "", False)],
)
def test_routing_follows_the_agents_state(
    open_contact: Opener, skilled: Maker, state: str, kind: str, routed: bool
) -> None:
    naomi = skilled("naomi")
    signed_in(user=naomi)
    state_set(user=naomi, state=state, break_kind=kind, actor=naomi)
    contact = open_contact(BEREAVEMENT)
    assert (contact.assigned_agent == naomi) is routed


def test_nobody_is_routed_during_after_contact_work(
    open_contact: Opener, skilled: Maker, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.GEZIEN_AFTER_CONTACT_SECONDS = 120
    naomi = skilled("naomi")
    signed_in(user=naomi)
    call = open_contact(BEREAVEMENT, channel="phone", identities=[("phone", "0612345678")])
    assert call.assigned_agent == naomi
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=call, status="closed", actor=naomi)
    assert current_state(naomi.pk).state == "after_contact"  # type: ignore[union-attr]
    again = open_contact(BEREAVEMENT, channel="phone", identities=[("phone", "0687654321")])
    assert again.assigned_agent is None


@pytest.fixture
def protect(settings: Any) -> Iterator[set[int]]:
    """A protection rule like wellbeing's: the people in the set are protected."""
    shielded: set[int] = set()

    def rule(user_ids: list[int], now: datetime) -> set[int]:
        return shielded & set(user_ids)

    selectors.protect_with(rule)
    yield shielded
    selectors._protections.remove(rule)


def test_a_protected_agent_is_passed_by_for_heavy_contacts_only(
    open_contact: Opener, skilled: Maker, protect: set[int], customer: Any, reason: Any
) -> None:
    naomi = skilled("naomi", ["gevoelige_gesprekken", "klachten"])
    protect.add(naomi.pk)
    heavy = open_contact(BEREAVEMENT)
    assert heavy.assigned_agent is None
    # A third contact about one matter is not heavy: she still gets it.
    phone = [("phone", "0612345678")]
    for days_ago in (6, 3):
        earlier = open_contact(
            "Waar blijft mijn bestelling?", identities=phone, at=timezone.now() - timedelta(days=days_ago)
        )
        contact_set_reason(contact=earlier, reason=reason)
        contact_set_status(contact=earlier, status=Status.CLOSED)
    repeat = open_contact("Dit is de derde keer dat ik bel over mijn bestelling.", identities=phone)
    assert RoutingDecision.objects.get(contact=repeat).flags == ["herhaald contact"]
    assert repeat.assigned_agent == naomi


def put(client: ApiClient, path: str, body: Any) -> Any:
    return client.call("put", path, body)


def test_team_leads_set_capacity_through_the_api_and_bad_values_change_nothing(
    make_user: Maker, api_as: Callable[[str], ApiClient]
) -> None:
    naomi = make_user("naomi")
    lead = api_as("teamlead")
    path = f"/api/agents/{naomi.pk}/skills"
    done = put(lead, path, {"skills": [], "experience": "junior", "capacity": {"phone": 1, "chat": 2}})
    assert done.status_code == 200
    assert done.json_body["capacity"] == {"phone": 1, "chat": 2, "email": 3, "webform": 3}
    for capacity in [
        {"fax": 1},
        {"chat": -1},
        {"chat": 21},
        {"chat": True},
        {"chat": "3"},
        {"chat": 1.5},
        [],
    ]:
        answer = put(lead, path, {"skills": [], "experience": "junior", "capacity": capacity})
        assert answer.status_code == 422, capacity
    assert RoutingProfile.objects.get(user=naomi).capacity == {"phone": 1, "chat": 2}
    # Leaving capacity out keeps it.
    assert put(lead, path, {"skills": [], "experience": "medior"}).status_code == 200
    assert RoutingProfile.objects.get(user=naomi).capacity == {"phone": 1, "chat": 2}
    assert lead.get(path).json_body["capacity"]["chat"] == 2


def test_the_skills_page_sets_capacity_per_channel(make_user: Maker, client: Client) -> None:
    naomi = make_user("naomi")
    client.force_login(make_user("lead", "teamlead"))
    page = client.get("/desk/routing/skills/")
    assert 'data-testid="capacity-chat"' in page.content.decode()
    path = f"/desk/routing/agents/{naomi.pk}/skills/"
    done = client.post(
        path,
        {"experience": "junior", "capacity_phone": "1", "capacity_chat": "2", "capacity_email": ""},
    )
    assert done.status_code == 302
    assert RoutingProfile.objects.get(user=naomi).capacity == {"phone": 1, "chat": 2}
    refused = client.post(path, {"experience": "junior", "capacity_chat": "99"})
    assert refused.status_code == 422
    assert RoutingProfile.objects.get(user=naomi).capacity == {"phone": 1, "chat": 2}
