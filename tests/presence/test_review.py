"""Review of the presence work (issue 6): breaks that ran their planned time, breaks left open overnight."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import User
from gezien.assist.models import Incident
from gezien.contacts.handling import contact_take
from gezien.contacts.services import contact_open
from gezien.presence.models import StateSpan
from gezien.presence.selectors import current_state
from gezien.presence.services import incident_break_take, presence_tick, signed_in, state_set
from gezien.routing.models import RoutingProfile
from gezien.routing.selectors import available

Maker = Callable[..., User]


def state_of(user: User) -> str | None:
    current = current_state(user.pk)
    return current.state if current else None


def back_at_the_desk(client: Client, user: User) -> None:
    cache.clear()  # "seen" is written once a minute at most
    client.force_login(user)
    assert client.get("/desk/").status_code == 200


def test_after_the_incident_break_an_agent_back_at_the_desk_gets_contacts_again(
    agent: User, client: Client
) -> None:
    signed_in(user=agent)
    contact = contact_open(channel="phone", identities=[("phone", "0612345678")]).contact
    incident = Incident.objects.create(contact=contact, agent=agent, reported_by=agent, source="reported")
    incident_break_take(incident=incident, user=agent, minutes=5)
    back_at_the_desk(client, agent)
    assert state_of(agent) == "break"  # the five minutes are still running
    # Ten minutes later the desk sees them again (the page said "pauze tot .."): routing reaches them.
    later = timezone.now() + timedelta(minutes=10)
    signed_in(user=agent, now=later)
    assert state_of(agent) == "available"
    assert [c.user_id for c in available(skills=[], experience=1, channel="phone", now=later)] == [agent.pk]


def test_a_planned_break_still_running_or_without_an_end_is_kept(make_user: Maker, client: Client) -> None:
    running, open_ended = make_user("sanne"), make_user("bram")
    state_set(user=running, state="break", break_kind="lunch", minutes=30, actor=running)
    state_set(
        user=open_ended,
        state="break",
        break_kind="lunch",
        actor=open_ended,
        now=timezone.now() - timedelta(minutes=40),
    )
    back_at_the_desk(client, running)
    back_at_the_desk(client, open_ended)
    assert state_of(running) == "break" and state_of(open_ended) == "break"


def test_back_from_a_planned_break_with_a_chat_still_open_is_in_contact(
    agent: User, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    signed_in(user=agent, now=timezone.now() - timedelta(minutes=30))
    with django_capture_on_commit_callbacks(execute=True):
        chat = contact_open(
            channel="chat", identities=[("phone", "0612345678")], text="Hallo, mijn factuur klopt niet."
        ).contact
        contact_take(contact=chat, actor=agent)
    state_set(user=agent, state="break", minutes=5, actor=agent, now=timezone.now() - timedelta(minutes=20))
    back_at_the_desk(client, agent)
    assert state_of(agent) == "in_contact"


def test_a_break_left_open_when_someone_went_home_is_signed_off_and_the_next_day_they_are_available(
    agent: User, client: Client
) -> None:
    left = timezone.now() - timedelta(hours=14)
    signed_in(user=agent, now=left - timedelta(hours=4))
    state_set(user=agent, state="break", break_kind="lunch", actor=agent, now=left)
    RoutingProfile.objects.update_or_create(user=agent, defaults={"last_seen_at": left})
    presence_tick(timezone.now())
    span = StateSpan.objects.get(user=agent, ended_at__isnull=True)
    assert (span.state, span.set_by) == ("offline", "auto")
    assert span.started_at == left + timedelta(minutes=15)  # at their last sign of life, as for the queue
    back_at_the_desk(client, agent)
    assert state_of(agent) == "available"


def test_a_long_break_is_not_signed_off_while_it_may_still_be_going_on(agent: User) -> None:
    started = timezone.now() - timedelta(hours=2)
    signed_in(user=agent, now=started - timedelta(hours=1))
    state_set(user=agent, state="break", break_kind="other", minutes=180, actor=agent, now=started)
    RoutingProfile.objects.update_or_create(user=agent, defaults={"last_seen_at": started})
    presence_tick(timezone.now())
    assert state_of(agent) == "break"


def test_a_call_parked_waiting_for_the_customer_is_not_a_call_at_hand(
    agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    """After the call the agent sets "Wacht op klant" (the customer sends a meter reading later): the call
    is over. They must not stay "in contact" all day, nor keep their one phone place."""
    from gezien.contacts.handling import contact_set_status

    signed_in(user=agent)
    RoutingProfile.objects.update_or_create(user=agent, defaults={"last_seen_at": timezone.now()})
    with django_capture_on_commit_callbacks(execute=True):
        call = contact_open(channel="phone", identities=[("phone", "0612345678")]).contact
        contact_take(contact=call, actor=agent)
    assert state_of(agent) == "in_contact"
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=call, status="waiting_customer")
    assert state_of(agent) == "after_contact"
    later = timezone.now() + timedelta(minutes=2)
    presence_tick(later)
    assert state_of(agent) == "available"
    assert [c.user_id for c in available(skills=[], experience=1, channel="phone", now=later)] == [agent.pk]


def test_a_chat_waiting_for_the_customer_s_next_line_is_still_at_hand(
    agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    from gezien.contacts.handling import contact_set_status

    signed_in(user=agent)
    with django_capture_on_commit_callbacks(execute=True):
        chat = contact_open(
            channel="chat", identities=[("phone", "0612345678")], text="Hallo, mijn factuur klopt niet."
        ).contact
        contact_take(contact=chat, actor=agent)
        contact_set_status(contact=chat, status="waiting_customer")
    assert state_of(agent) == "in_contact"
