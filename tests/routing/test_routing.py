"""Routing decides when a contact's messages are analysed: to an available agent with the skill, or the
normal queue with a flag and the why. Contacts are opened as a channel opens them (analysed inline)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.assist.models import Incident
from gezien.contacts.handling import contact_set_reason, contact_set_status, contact_take
from gezien.contacts.models import Contact, ContactEvent, ContactReason, Status
from gezien.contacts.services import contact_open, message_add
from gezien.core.errors import Conflict, NotFound
from gezien.customers.models import Customer
from gezien.routing.models import RoutingDecision, RoutingProfile
from gezien.routing.reasons import needs_why, routed_note
from gezien.routing.selectors import routing_for_contact
from gezien.routing.services import ROUTED_EVENT, contact_route
from tests.routing.conftest import BEREAVEMENT, give_skills

Opener = Callable[..., Contact]
Maker = Callable[..., User]
ANGRY_ABUSE = "Jullie zijn een stelletje klootzakken, ik ben woedend!"


def events(contact: Contact, kind: str) -> list[ContactEvent]:
    return list(contact.events.filter(kind=kind))


def test_a_contact_about_a_death_goes_to_the_present_agent_with_the_skill(
    open_contact: Opener, skilled: Maker
) -> None:
    skilled("tech", ["techniek"])
    naomi = skilled("naomi", ["gevoelige_gesprekken"], first_name="Naomi", last_name="Pinas")
    contact = open_contact(BEREAVEMENT)
    assert contact.assigned_agent == naomi
    decision = RoutingDecision.objects.get(contact=contact)
    assert (decision.outcome, decision.agent, decision.flags) == ("assigned", naomi, ["gevoelig"])
    assert needs_why(decision.needs) == "overlijden: 'overleden'"
    (assigned,) = events(contact, ContactEvent.Kind.ASSIGNED)
    assert assigned.data["agent"] == "naomi"
    assert routed_note(assigned.data) == "Naar Naomi Pinas (Gevoelige gesprekken): overlijden: 'overleden'"
    (routed,) = events(contact, ROUTED_EVENT)
    assert routed.data["outcome"] == "assigned"
    assert RoutingProfile.objects.get(user=naomi).last_routed_at is not None


def test_nobody_with_the_skill_available_leaves_it_in_the_queue_with_a_flag(
    open_contact: Opener, skilled: Maker
) -> None:
    skilled("naomi", ["gevoelige_gesprekken"], away=True)  # not seen in the desk lately
    skilled("tech", ["techniek", "klachten"])  # here, but without the skill
    contact = open_contact(BEREAVEMENT)
    assert contact.assigned_agent is None
    decision = RoutingDecision.objects.get(contact=contact)
    assert (decision.outcome, decision.agent, decision.flags) == ("flagged", None, ["gevoelig"])
    (routed,) = events(contact, ROUTED_EVENT)
    assert routed_note(routed.data) == (
        "Niemand met Gevoelige gesprekken beschikbaar; in de wachtrij als gevoelig: overlijden: 'overleden'"
    )
    assert not events(contact, ContactEvent.Kind.ASSIGNED)


def test_seen_too_long_ago_is_away(open_contact: Opener, skilled: Maker, settings: Any) -> None:
    naomi = skilled("naomi")
    RoutingProfile.objects.filter(user=naomi).update(last_seen_at=timezone.now() - timedelta(minutes=16))
    assert open_contact(BEREAVEMENT).assigned_agent is None
    settings.GEZIEN_ROUTING_SEEN_MINUTES = 30
    assert open_contact(BEREAVEMENT).assigned_agent == naomi


def test_a_contact_needing_nothing_special_is_left_alone(open_contact: Opener, skilled: Maker) -> None:
    skilled("naomi", ["gevoelige_gesprekken", "klachten", "techniek"], "senior")
    contact = open_contact("Goedemiddag, wat kost een extra simkaart?")
    assert contact.assigned_agent is None
    assert not RoutingDecision.objects.exists()
    assert not contact.events.exists()
    assert routing_for_contact(contact) is None
    assert contact_route(contact=contact) is None


def test_abuse_needs_at_least_medior(open_contact: Opener, skilled: Maker) -> None:
    skilled("junior", ["klachten"], "junior")
    contact = open_contact(ANGRY_ABUSE)
    decision = RoutingDecision.objects.get(contact=contact)
    assert decision.outcome == "flagged"
    assert decision.flags == ["grof taalgebruik", "boze klant"]
    assert decision.skills == ["klachten"] and decision.experience == 2
    senior = skilled("senior", ["klachten"], "senior")
    assert contact_route(contact=contact).agent == senior  # type: ignore[union-attr]


def test_every_needed_skill_is_required(open_contact: Opener, skilled: Maker) -> None:
    skilled("soft", ["gevoelige_gesprekken"], "senior")
    skilled("hard", ["klachten"], "senior")
    both = skilled("both", ["gevoelige_gesprekken", "klachten"], "medior")
    contact = open_contact(
        "Mijn vrouw is overleden en jullie sturen nog steeds rekeningen, belachelijk! Ik ben woedend."
    )
    assert contact.assigned_agent == both
    assert RoutingDecision.objects.get(contact=contact).flags == ["gevoelig", "boze klant"]


def test_capacity_counts_the_contacts_in_the_queue_someone_holds(
    open_contact: Opener, skilled: Maker, settings: Any
) -> None:
    settings.GEZIEN_ROUTING_CAPACITY = 1
    naomi = skilled("naomi")
    first = open_contact(BEREAVEMENT)
    assert first.assigned_agent == naomi
    second = open_contact(BEREAVEMENT)
    assert second.assigned_agent is None  # full
    assert RoutingDecision.objects.get(contact=second).outcome == "flagged"
    contact_set_status(contact=first, status=Status.WAITING_CUSTOMER)  # the ball is with the customer
    assert contact_route(contact=second).agent == naomi  # type: ignore[union-attr]


def test_someone_on_a_break_after_an_abusive_contact_is_passed_by(
    open_contact: Opener, skilled: Maker
) -> None:
    naomi = skilled("naomi")
    earlier = open_contact("Hoi")
    incident = Incident.objects.create(
        contact=earlier,
        agent=naomi,
        source="reported",
        break_taken_at=timezone.now() - timedelta(minutes=5),
        break_minutes=10,
    )
    contact = open_contact(BEREAVEMENT)
    assert contact.assigned_agent is None
    Incident.objects.filter(pk=incident.pk).update(break_taken_at=timezone.now() - timedelta(minutes=11))
    assert contact_route(contact=contact).agent == naomi  # type: ignore[union-attr]


def test_inactive_people_and_people_without_a_role_get_nothing(
    open_contact: Opener, skilled: Maker, make_user: Maker
) -> None:
    gone = skilled("gone")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    roleless = make_user("roleless")
    roleless.groups.clear()
    give_skills(roleless, ["gevoelige_gesprekken"], "senior", seen=timezone.now())
    assert open_contact(BEREAVEMENT).assigned_agent is None
    lead = skilled("lead", role="teamlead")  # a higher role takes contacts too
    assert open_contact(BEREAVEMENT).assigned_agent == lead


def test_the_least_busy_then_the_one_routed_longest_ago_is_chosen(
    open_contact: Opener, skilled: Maker, customer: Customer
) -> None:
    busy, free = skilled("busy"), skilled("free")
    held = contact_open(channel="chat", text="Hoi").contact
    contact_take(contact=held, actor=busy)
    assert open_contact(BEREAVEMENT).assigned_agent == free  # 0 open against 1
    # Both hold one now; `busy` was never given one by routing, `free` just was.
    assert open_contact(BEREAVEMENT).assigned_agent == busy
    assert open_contact(BEREAVEMENT).assigned_agent == free


def test_a_later_message_routes_a_flagged_contact_again(
    open_contact: Opener, skilled: Maker, django_capture_on_commit_callbacks: Any
) -> None:
    naomi = skilled("naomi", away=True)
    contact = open_contact(BEREAVEMENT)
    assert RoutingDecision.objects.get(contact=contact).outcome == "flagged"
    give_skills(naomi, ["gevoelige_gesprekken"], seen=timezone.now())  # she came in
    with django_capture_on_commit_callbacks(execute=True):
        message_add(contact=contact, author="customer", text="Is er al iemand die mij kan helpen?")
    contact.refresh_from_db()
    assert contact.assigned_agent == naomi
    decision = RoutingDecision.objects.get(contact=contact)  # still one per contact, updated
    assert (decision.outcome, decision.agent) == ("assigned", naomi)
    assert [e.data["outcome"] for e in events(contact, ROUTED_EVENT)] == ["flagged", "assigned"]


def test_routing_again_with_nothing_changed_adds_no_event(open_contact: Opener, skilled: Maker) -> None:
    contact = open_contact(BEREAVEMENT)
    first = RoutingDecision.objects.get(contact=contact)
    again = contact_route(contact=contact)
    assert again is not None and again.pk == first.pk and again.decided_at >= first.decided_at
    assert len(events(contact, ROUTED_EVENT)) == 1


def test_only_open_contacts_nobody_holds_are_routed(
    open_contact: Opener, skilled: Maker, agent: User
) -> None:
    contact = open_contact(BEREAVEMENT)
    contact_take(contact=contact, actor=agent)
    with pytest.raises(Conflict):
        contact_route(contact=contact)
    closed = open_contact(BEREAVEMENT)
    contact_set_status(contact=closed, status=Status.CLOSED)
    with pytest.raises(Conflict):
        contact_route(contact=closed)
    with pytest.raises(NotFound):
        contact_route(contact=987654)


def test_abuse_in_an_earlier_contact_of_the_customer_counts(
    open_contact: Opener, skilled: Maker, customer: Customer
) -> None:
    phone = [("phone", "0612345678")]
    earlier = open_contact(ANGRY_ABUSE, identities=phone)
    contact_set_status(contact=earlier, status=Status.CLOSED)
    contact = open_contact("Ik wil graag mijn adres wijzigen.", identities=phone)
    decision = RoutingDecision.objects.get(contact=contact)
    assert decision.flags == ["eerder grof"]
    assert needs_why(decision.needs) == "eerder grof taalgebruik of een incident in 1 contact"


def test_the_third_contact_about_one_matter_is_routed_with_the_count_and_days(
    open_contact: Opener, skilled: Maker, customer: Customer, reason: ContactReason
) -> None:
    phone = [("phone", "0612345678")]
    for days_ago in (6, 3):
        earlier = open_contact(
            "Waar blijft mijn bestelling?", identities=phone, at=timezone.now() - timedelta(days=days_ago)
        )
        contact_set_reason(contact=earlier, reason=reason)
        contact_set_status(contact=earlier, status=Status.CLOSED)
    lead = skilled("lead", ["klachten"], "senior", role="teamlead", first_name="Karin", last_name="Postma")
    contact = open_contact("Dit is de derde keer dat ik bel over mijn bestelling.", identities=phone)
    assert contact.assigned_agent == lead
    decision = RoutingDecision.objects.get(contact=contact)
    assert decision.flags == ["herhaald contact"]
    assert needs_why(decision.needs).startswith("3e contact over Levering in 7 dagen (klant: ")
    assert "derde keer" in needs_why(decision.needs)
