"""Agent states: agents set their own, the desk follows their calls and chats, the tick ends after-contact
work and signs off people who left; one open state per person, whatever happens at once."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError, close_old_connections
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.assist.models import Incident
from gezien.contacts.handling import contact_set_status, contact_take, contact_transfer
from gezien.contacts.models import Contact, Status
from gezien.contacts.services import contact_open
from gezien.core.errors import Forbidden, Invalid
from gezien.presence.models import State, StateSpan
from gezien.presence.selectors import current_state, occupancy, spans_between
from gezien.presence.services import incident_break_take, presence_tick, signed_in, state_set
from gezien.routing.models import RoutingProfile
from tests.conftest import ApiClient

Maker = Callable[..., User]


def state_of(user: User) -> str | None:
    current = current_state(user.pk)
    return current.state if current else None


def open_call(agent: User | None = None, channel: str = "phone", **kwargs: Any) -> Contact:
    text = "" if channel == "phone" else "Hallo, ik heb een vraag over mijn factuur."
    contact = contact_open(channel=channel, identities=[("phone", "0612345678")], text=text, **kwargs).contact
    if agent is not None:
        contact = contact_take(contact=contact, actor=agent)
    return contact


def test_an_agent_sets_a_break_and_comes_back(agent: User) -> None:
    signed_in(user=agent)
    assert state_of(agent) == "available"
    span = state_set(user=agent, state="break", break_kind="lunch", minutes=30, actor=agent)
    assert (span.state, span.break_kind, span.set_by) == ("break", "lunch", "agent")
    assert span.planned_end is not None and span.planned_end - span.started_at == timedelta(minutes=30)
    state_set(user=agent, state="available", actor=agent)
    assert state_of(agent) == "available"
    spans = list(StateSpan.objects.filter(user=agent).order_by("started_at", "id"))
    assert [s.state for s in spans] == ["available", "break", "available"]
    assert all(s.ended_at for s in spans[:-1]) and spans[-1].ended_at is None
    assert spans[0].ended_at == spans[1].started_at  # no gaps, no overlaps


@pytest.mark.parametrize(
    ("state", "kind", "minutes", "field"),
    [
        ("in_contact", "", None, "state"),  # follows contacts; nobody picks it
        ("sleeping", "", None, "state"),
        ("break", "nap", None, "break_kind"),
        ("available", "lunch", None, "break_kind"),
        ("break", "short", 0, "minutes"),
        ("break", "short", 241, "minutes"),
        ("offline", "", 10, "minutes"),
    ],
)
def test_bad_states_are_refused_and_change_nothing(
    agent: User, state: str, kind: str, minutes: int | None, field: str
) -> None:
    signed_in(user=agent)
    with pytest.raises(Invalid) as caught:
        state_set(user=agent, state=state, break_kind=kind, minutes=minutes, actor=agent)
    assert caught.value.field == field
    assert StateSpan.objects.filter(user=agent).count() == 1 and state_of(agent) == "available"


def test_a_lead_signs_off_their_own_team_only(make_user: Maker, agent: User) -> None:
    from gezien.accounts.services import team_ensure

    lead = make_user("lead", "teamlead")
    other_lead = make_user("lead2", "teamlead", team=team_ensure(name="Team Zuid"))
    colleague = make_user("bram", "agent")
    signed_in(user=agent)
    with pytest.raises(Forbidden):
        state_set(user=agent, state="offline", actor=other_lead)
    with pytest.raises(Forbidden):
        state_set(user=agent, state="offline", actor=colleague)
    span = state_set(user=agent, state="offline", actor=lead)
    assert (span.state, span.set_by) == ("offline", "lead")


def test_a_manager_signs_off_only_people_who_work_in_the_desk(make_user: Maker, agent: User) -> None:
    manager, logistics, gone = make_user("hans", "manager"), make_user("piet", "department"), make_user("weg")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    gone.refresh_from_db()
    for outsider in (logistics, gone):
        answer = ApiClient(token_create(user=manager, name="t")[1]).call(
            "put", f"/api/agents/{outsider.pk}/state", {"state": "offline"}
        )
        assert answer.status_code == 422 and "werkt niet in de desk" in answer.content.decode()
        assert not StateSpan.objects.filter(user=outsider).exists()
    assert state_set(user=agent, state="offline", actor=manager).set_by == "lead"


def test_taking_a_call_puts_the_agent_in_contact_and_closing_it_starts_after_contact_work(
    agent: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.GEZIEN_AFTER_CONTACT_SECONDS = 90
    signed_in(user=agent)
    with django_capture_on_commit_callbacks(execute=True):
        call = open_call(agent)
    current = current_state(agent.pk)
    assert current is not None and (current.state, current.contact_id, current.set_by) == (
        "in_contact",
        call.pk,
        "auto",
    )
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=call, status=Status.CLOSED, actor=agent)
    current = current_state(agent.pk)
    assert current is not None and current.state == "after_contact"
    assert current.planned_end is not None and current.planned_end - current.since == timedelta(seconds=90)
    # The tick ends after-contact work when its time is up, at the planned moment.
    presence_tick(timezone.now())
    assert state_of(agent) == "after_contact"
    RoutingProfile.objects.filter(user=agent).update(last_seen_at=timezone.now() + timedelta(minutes=2))
    presence_tick(current.planned_end + timedelta(seconds=1))
    span = StateSpan.objects.get(user=agent, ended_at__isnull=True)
    assert (span.state, span.started_at) == ("available", current.planned_end)


def test_a_chat_waiting_for_the_customer_is_still_in_contact_and_two_chats_end_with_the_last(
    agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    signed_in(user=agent)
    with django_capture_on_commit_callbacks(execute=True):
        first, second = open_call(agent, "chat"), open_call(agent, "chat")
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=first, status=Status.WAITING_CUSTOMER, actor=agent)
    assert state_of(agent) == "in_contact"
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=first, status=Status.CLOSED, actor=agent)
    assert state_of(agent) == "in_contact"
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=second, status=Status.CLOSED, actor=agent)
    assert state_of(agent) == "after_contact"


def test_an_email_is_queue_work_not_a_live_contact(
    agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    signed_in(user=agent)
    with django_capture_on_commit_callbacks(execute=True):
        contact_take(
            contact=contact_open(channel="email", identities=[("email", "a@b.nl")], text="Vraag").contact,
            actor=agent,
        )
    assert state_of(agent) == "available"


def test_transferring_the_call_frees_the_first_agent(
    agent: User, make_user: Maker, django_capture_on_commit_callbacks: Any
) -> None:
    bram = make_user("bram")
    signed_in(user=agent)
    signed_in(user=bram)
    with django_capture_on_commit_callbacks(execute=True):
        call = open_call(agent)
    with django_capture_on_commit_callbacks(execute=True):
        contact_transfer(contact=call, actor=agent, to_agent=bram, note="Wil een monteur")
    assert (state_of(agent), state_of(bram)) == ("after_contact", "in_contact")


def test_a_break_keeps_the_chat_left_open_but_a_new_call_ends_the_break(
    agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    signed_in(user=agent)
    with django_capture_on_commit_callbacks(execute=True):
        chat = open_call(agent, "chat")
    state_set(user=agent, state="break", break_kind="short", actor=agent)
    with django_capture_on_commit_callbacks(execute=True):
        contact_set_status(contact=chat, status=Status.WAITING_CUSTOMER, actor=agent)
    assert state_of(agent) == "break"
    with django_capture_on_commit_callbacks(execute=True):
        open_call(agent)
    assert state_of(agent) == "in_contact"
    # Back from a break with a chat still open: in contact, not available.
    state_set(user=agent, state="break", break_kind="short", actor=agent)
    assert state_set(user=agent, state="available", actor=agent).state == "in_contact"


def test_the_incident_break_shows_as_a_break_to_recover(agent: User, customer: Any) -> None:
    signed_in(user=agent)
    contact = contact_open(channel="phone", identities=[("phone", "06-12345678")]).contact
    incident = Incident.objects.create(contact=contact, agent=agent, reported_by=agent, source="reported")
    incident_break_take(incident=incident, user=agent, minutes=10)
    current = current_state(agent.pk)
    assert current is not None and (current.state, current.break_kind) == ("break", "decompression")
    assert current.planned_end == incident.break_taken_at + timedelta(minutes=10)


def test_opening_the_desk_signs_in_but_never_overrides_a_chosen_state(client: Client, agent: User) -> None:
    client.force_login(agent)
    assert client.get("/desk/").status_code == 200
    assert state_of(agent) == "available"
    state_set(user=agent, state="offline", actor=agent)
    from django.core.cache import cache

    cache.clear()  # "seen" is written once a minute at most
    client.get("/desk/")
    assert state_of(agent) == "offline"  # signed off by choice: stays so


def test_people_who_left_are_signed_off_when_last_seen_and_come_back_available(
    agent: User, client: Client
) -> None:
    seen = timezone.now() - timedelta(hours=1)
    signed_in(user=agent, now=seen - timedelta(hours=2))
    RoutingProfile.objects.update_or_create(user=agent, defaults={"last_seen_at": seen})
    presence_tick(timezone.now())
    span = StateSpan.objects.get(user=agent, ended_at__isnull=True)
    assert (span.state, span.set_by) == ("offline", "auto")
    assert span.started_at == seen + timedelta(minutes=15)
    client.force_login(agent)
    client.get("/desk/")
    assert state_of(agent) == "available"


def test_someone_on_a_call_is_not_signed_off_while_quiet_in_the_desk(
    agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    signed_in(user=agent)
    with django_capture_on_commit_callbacks(execute=True):
        open_call(agent)
    RoutingProfile.objects.update_or_create(
        user=agent, defaults={"last_seen_at": timezone.now() - timedelta(hours=1)}
    )
    presence_tick(timezone.now())
    assert state_of(agent) == "in_contact"


def test_spans_are_clipped_to_the_period_and_give_occupancy(agent: User) -> None:
    t0 = timezone.now() - timedelta(hours=2)
    for minutes, state in [(0, "available"), (30, "in_contact"), (75, "after_contact"), (80, "break")]:
        StateSpan.objects.filter(user=agent, ended_at__isnull=True).update(
            ended_at=t0 + timedelta(minutes=minutes)
        )
        StateSpan.objects.create(user=agent, state=state, started_at=t0 + timedelta(minutes=minutes))
    spans = spans_between([agent.pk], t0 + timedelta(minutes=15), t0 + timedelta(minutes=90))[agent.pk]
    assert [(s.state, s.seconds / 60) for s in spans] == [
        ("available", 15),
        ("in_contact", 45),
        ("after_contact", 5),
        ("break", 10),
    ]
    assert occupancy(spans) == pytest.approx(50 / 65)


@pytest.mark.django_db(transaction=True)
def test_two_changes_at_once_leave_one_open_state(make_user: Maker) -> None:
    agent = make_user("sanne")
    signed_in(user=agent)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def change(kind: str) -> None:
        try:
            barrier.wait()
            for _attempt in range(500):
                try:
                    state_set(user=agent, state="break", break_kind=kind, actor=agent)
                    return
                except OperationalError as exc:
                    # SQLite's in-memory test database answers a second writer "table is locked" at
                    # once instead of waiting; PostgreSQL waits on the row lock.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        except Exception as exc:  # a Conflict is a fair answer; anything else is not
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=change, args=(k,)) for k in ("short", "lunch", "other", "short")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(type(e).__name__ == "Conflict" for e in errors), errors
    assert StateSpan.objects.filter(user=agent, ended_at__isnull=True).count() == 1
    spans = list(StateSpan.objects.filter(user=agent).order_by("started_at", "id"))
    for before, after in itertools.pairwise(spans):
        assert before.ended_at is not None and before.ended_at <= after.started_at
    assert state_of(agent) == State.BREAK


def test_a_lead_only_signs_off_never_ends_someones_break(make_user: Maker, agent: User) -> None:
    lead = make_user("lead", "teamlead")
    signed_in(user=agent)
    state_set(user=agent, state="break", break_kind="decompression", minutes=10, actor=agent)
    for state, kind in (("available", ""), ("break", "short")):
        with pytest.raises(Forbidden):
            state_set(user=agent, state=state, break_kind=kind, actor=lead)
    assert state_of(agent) == "break"
