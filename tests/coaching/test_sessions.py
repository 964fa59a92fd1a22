"""Coaching sessions: a team lead plans one on a habit, records it as held with agreements and a follow-up,
and sees whether the habit moved afterwards; the agent sees their own log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.coaching import selectors
from gezien.coaching.models import CoachingSession
from gezien.coaching.services import session_plan, session_record
from gezien.core.errors import Forbidden, Invalid
from tests.coaching.conftest import ATTENTIVE, INTERRUPTING, Handled
from tests.conftest import ApiClient


def test_a_session_and_whether_the_habit_moved(
    agent: User, lead: User, colleague: User, handled: Handled
) -> None:
    before = [handled(agent, INTERRUPTING, ago=timedelta(days=d)) for d in (10, 9, 8)]
    planned = session_plan(
        actor=lead,
        agent_id=agent.pk,
        habits=["uitpraten"],
        planned_for=timezone.now() - timedelta(days=7),
        examples=[before[0].pk],
    )
    with pytest.raises(Forbidden):
        session_plan(actor=agent, agent_id=agent.pk, habits=["uitpraten"], planned_for=timezone.now())
    with pytest.raises(Forbidden):
        session_plan(actor=colleague, agent_id=agent.pk, habits=["uitpraten"], planned_for=timezone.now())
    with pytest.raises(Invalid):
        session_plan(actor=lead, agent_id=agent.pk, habits=["collegas"], planned_for=timezone.now())
    with pytest.raises(Invalid):  # a contact of someone else is no example of this agent
        other = handled(colleague, ATTENTIVE)
        session_plan(
            actor=lead, agent_id=agent.pk, habits=["vragen"], planned_for=timezone.now(), examples=[other.pk]
        )
    session_record(
        actor=lead,
        session_id=planned.pk,
        agreements="Eerst tot drie tellen voordat je reageert.",
        follow_up_on=(timezone.now() + timedelta(days=14)).date(),
        held_at=timezone.now() - timedelta(days=7),
    )
    for days in (5, 3, 1):
        handled(agent, ATTENTIVE, ago=timedelta(days=days))
    [view] = selectors.sessions_of(agent)
    [move] = view.moves
    assert move.habit == "uitpraten" and move.before == 0 and move.after == 100 and move.change == 100
    assert CoachingSession.objects.get().agreements.startswith("Eerst tot drie")


def test_the_desk_and_the_api(agent: User, lead: User, handled: Handled) -> None:
    contact = handled(agent, INTERRUPTING)
    desk = Client()
    desk.force_login(lead)
    page = desk.get(f"/desk/coaching/agents/{agent.pk}/").content.decode()
    assert "session-plan" in page
    done = desk.post(
        f"/desk/coaching/agents/{agent.pk}/sessions/",
        {"habits": ["uitpraten"], "planned_for": "2026-11-20T10:00", "examples": f"{contact.pk}"},
    )
    assert done.status_code == 302
    session = CoachingSession.objects.get()
    assert session.habits == ["uitpraten"] and session.examples == [contact.pk]
    assert (
        desk.post(
            f"/desk/coaching/sessions/{session.pk}/held/", {"agreements": "Laten uitpraten."}
        ).status_code
        == 302
    )
    own = Client()
    own.force_login(agent)
    mine = own.get("/desk/coaching/me/").content.decode()
    assert "Laten uitpraten." in mine and "session-plan" not in mine and "session-record" not in mine
    assert own.post(f"/desk/coaching/sessions/{session.pk}/held/", {"agreements": "x"}).status_code == 403

    lead_api = ApiClient(token_create(user=lead, name="t")[1])
    made = lead_api.post(
        f"/api/coaching/agents/{agent.pk}/sessions",
        {"habits": ["eerst_luisteren"], "planned_for": "2026-11-25T09:00:00+01:00"},
    )
    assert made.status_code == 201 and made.json_body["habits"] == ["eerst_luisteren"]
    held = lead_api.post(
        f"/api/coaching/sessions/{made.json_body['id']}/held", {"agreements": "Eerst erkennen."}
    )
    assert held.status_code == 200 and held.json_body["held_at"] is not None
    agent_api = ApiClient(token_create(user=agent, name="t")[1])
    log = agent_api.get(f"/api/coaching/agents/{agent.pk}/sessions").json_body
    assert {s["agreements"] for s in log} == {"Laten uitpraten.", "Eerst erkennen."}
    refused = agent_api.post(
        f"/api/coaching/agents/{agent.pk}/sessions",
        {"habits": ["vragen"], "planned_for": "2026-11-25T09:00:00+01:00"},
    )
    assert refused.status_code == 403
