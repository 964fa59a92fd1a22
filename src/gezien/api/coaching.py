"""API: coaching on the empathy habits (issue 19). The coaching queue of a team lead or manager
(GET /api/coaching/agents), one agent's page (GET /api/coaching/agents/{id}: their own, or as their team
lead or a manager sees it), one contact's read with its comments (GET /api/coaching/contacts/{id}), the
agent's comment on their own read (POST /api/coaching/contacts/{id}/comments) and the policy (GET and PUT
/api/coaching/policy: per-agent scores on or off).

Privacy as in the desk: an agent sees their own reads; team leads their own team's, managers every team's,
by name only while per-agent scores are on (else the team's figures alone)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.accounts.models import User
from gezien.api.auth import require_perm
from gezien.api.common import DbId
from gezien.api.input import In
from gezien.api.schemas import PersonOut
from gezien.audit.log import audit_contact, audit_from_request
from gezien.coaching import selectors, services
from gezien.coaching.habits import HABITS
from gezien.coaching.models import ContactRead, ReadComment

router = Router(tags=["coaching"])

HabitLiteral = Literal[
    "uitpraten", "vragen", "rustig", "terugkoppelen", "collegas", "eerst_luisteren", "register"
]


class WeekScoreOut(Schema):
    week: date = Field(description="the Monday")
    score: int | None = Field(description="0..100, the average where the habit applied; null: no contact")
    contacts: int


class HabitTrendOut(Schema):
    habit: HabitLiteral
    label: str
    score: int | None = Field(description="the last four weeks' average")
    contacts: int = Field(description="contacts in the last four weeks where the habit applied")
    change: int | None = Field(description="the last two weeks against the two before, in points")
    colleagues: int | None = Field(description="colleagues' average on contacts of the same reasons")
    certainty: float = Field(description="0..1: how much the score rests on")
    weeks: list[WeekScoreOut]


class ExampleOut(Schema):
    contact_id: int
    closed_at: datetime
    turn: int | None
    at_s: float | None
    quote: str
    good: bool
    why: str


class FocusOut(Schema):
    habit: HabitLiteral
    label: str
    score: int | None
    colleagues: int | None
    examples: list[ExampleOut] = Field(description="one that went well, one or two to improve")


class CommentOut(Schema):
    id: int
    contact_id: int
    author: PersonOut
    habit: HabitLiteral | Literal[""] = Field(description='"": the read as a whole')
    disagree: bool
    text: str
    created_at: datetime

    @staticmethod
    def resolve_contact_id(obj: ReadComment) -> int:
        return int(obj.read_id)


class AgentReportOut(Schema):
    agent: PersonOut
    weeks: list[date]
    contacts: int = Field(description="contacts read in the last four weeks")
    habits: list[HabitTrendOut]
    strengths: list[HabitLiteral]
    focus: list[FocusOut] = Field(description="the one or two habits most worth coaching now")
    comments: list[CommentOut] = Field(description="the agent's comments on their reads, newest first")


class TeamFiguresOut(Schema):
    contacts: int
    habits: list[HabitTrendOut]


class QueueOut(Schema):
    per_agent: bool = Field(description="false: the organisation switched per-agent scores off")
    team_id: int | None = Field(description="null: every team (managers)")
    weeks: list[date]
    team: TeamFiguresOut
    agents: list[AgentReportOut] = Field(
        description="most worth coaching first; empty when per_agent is false"
    )


class CoachingMomentOut(Schema):
    turn: int | None
    at_s: float | None
    quote: str
    good: bool
    why: str


class HabitReadOut(Schema):
    habit: HabitLiteral
    label: str
    applies: bool
    score: int | None
    certainty: float
    moments: list[CoachingMomentOut]


class ContactReadOut(Schema):
    contact_id: int
    agent: PersonOut
    closed_at: datetime
    version: str
    habits: list[HabitReadOut]
    comments: list[CommentOut]


class CommentIn(In):
    text: str = Field(min_length=1, max_length=services.COMMENT_MAX)
    habit: HabitLiteral | Literal[""] = ""
    disagree: bool = False


class CoachingPolicyOut(Schema):
    per_agent_scores: bool
    updated_at: datetime | None = Field(description="null: the defaults, never changed")


class CoachingPolicyIn(In):
    per_agent_scores: bool


def _report(report: selectors.AgentReport) -> dict[str, Any]:
    return {
        "agent": report.agent,
        "weeks": report.weeks,
        "contacts": report.contacts,
        "habits": report.habits,
        "strengths": [h.habit for h in report.strengths],
        "focus": report.focus,
        "comments": report.comments,
    }


def _read(read: ContactRead) -> dict[str, Any]:
    habits = {h["habit"]: h for h in (read.data or {}).get("habits", [])}
    return {
        "contact_id": read.pk,
        "agent": read.agent,
        "closed_at": read.closed_at,
        "version": read.version,
        "habits": [{**habits[h], "label": selectors.label(h)} for h in HABITS if h in habits],
        "comments": selectors.comments_of(read),
    }


@router.get("/coaching/agents", response=QueueOut)
def queue(request: HttpRequest) -> Any:
    """The coaching queue: your team (team leads) or every team (managers), the agents most worth
    coaching first, each with their habits' trend, strengths and focus habits with example moments."""
    found = selectors.coaching_queue(request.user)
    audit_from_request(
        request, action="coaching.view", object_type="team", object_id=found.scope.team_id or "", details={}
    )
    return {
        "per_agent": found.scope.per_agent,
        "team_id": found.scope.team_id,
        "weeks": found.weeks,
        "team": {"contacts": found.team.contacts, "habits": found.team.habits},
        "agents": [_report(a) for a in found.agents],
    }


@router.get("/coaching/agents/{user_id}", response=AgentReportOut)
def agent(request: HttpRequest, user_id: DbId) -> Any:
    """One agent's coaching page: your own, or as their team lead (per-agent scores on) or a manager sees
    it; 404 outside your team, 403 for another agent or when per-agent scores are off."""
    person: User = selectors.agent_for(request.user, user_id)
    if person.pk != request.user.pk:
        audit_from_request(
            request, action="coaching.view", object_type="user", object_id=person.pk, details={}
        )
    return _report(selectors.agent_report(person))


@router.get("/coaching/contacts/{contact_id}", response=ContactReadOut)
def contact_read(request: HttpRequest, contact_id: DbId) -> Any:
    """One closed contact's read, habit by habit with its moments, and the agent's comments."""
    read = selectors.read_for(request.user, contact_id)
    audit_contact(request, "contact.view", read.contact, part="coaching")
    return _read(read)


@router.post("/coaching/contacts/{contact_id}/comments", response={201: CommentOut})
def comment(request: HttpRequest, contact_id: DbId, body: CommentIn) -> Any:
    """The agent comments on their own read, or disagrees (with one habit, or "" for the whole read)."""
    return Status(
        201,
        services.comment_add(
            actor=request.user,
            contact_id=contact_id,
            text=body.text,
            habit=body.habit,
            disagree=body.disagree,
        ),
    )


@router.get("/coaching/policy", response=CoachingPolicyOut)
def policy_get(request: HttpRequest) -> Any:
    require_perm(request, "coaching.manage_coaching_policy")
    found = selectors.policy()
    return {"per_agent_scores": found.per_agent_scores, "updated_at": found.updated_at if found.pk else None}


@router.put("/coaching/policy", response=CoachingPolicyOut)
def policy_put(request: HttpRequest, body: CoachingPolicyIn) -> Any:
    """Switch per-agent scores on or off (managers); team figures stay either way."""
    found = services.policy_save(actor=request.user, per_agent_scores=body.per_agent_scores)
    audit_from_request(
        request,
        action="settings.change",
        object_type="coaching_policy",
        object_id="",
        details={"change": "update"},
    )
    return {"per_agent_scores": found.per_agent_scores, "updated_at": found.updated_at}


# --- coaching sessions ----------------------------------------------------------------------------------


class HabitMoveOut(Schema):
    habit: HabitLiteral
    label: str
    before: int | None = Field(description="the habit's average in the four weeks before the session")
    after: int | None = Field(description="its average since the session; null: no contact yet")
    contacts_after: int
    change: int | None


class CoachingSessionOut(Schema):
    id: int
    agent: PersonOut
    lead: PersonOut | None
    habits: list[HabitLiteral]
    planned_for: datetime
    held_at: datetime | None
    examples: list[int] = Field(description="contact ids discussed")
    agreements: str
    follow_up_on: date | None
    moves: list[HabitMoveOut] = Field(description="whether the habits moved since the session was held")


class CoachingSessionIn(In):
    habits: list[HabitLiteral] = Field(min_length=1, max_length=2)
    planned_for: datetime
    examples: list[DbId] = Field(default_factory=list, max_length=services.EXAMPLES_MAX)


class SessionHeldIn(In):
    agreements: str = Field("", max_length=services.AGREEMENTS_MAX)
    follow_up_on: date | None = None
    examples: list[DbId] | None = Field(None, max_length=services.EXAMPLES_MAX)


def _session(view: selectors.SessionView) -> dict[str, Any]:
    s = view.session
    return {
        "id": s.pk,
        "agent": s.agent,
        "lead": s.lead,
        "habits": s.habits,
        "planned_for": s.planned_for,
        "held_at": s.held_at,
        "examples": s.examples,
        "agreements": s.agreements,
        "follow_up_on": s.follow_up_on,
        "moves": [{**vars(m), "change": m.change} for m in view.moves],
    }


@router.get("/coaching/agents/{user_id}/sessions", response=list[CoachingSessionOut])
def sessions(request: HttpRequest, user_id: DbId) -> Any:
    """An agent's coaching sessions (their own log, or as their lead sees it), newest first."""
    person = selectors.agent_for(request.user, user_id)
    return [_session(v) for v in selectors.sessions_of(person)]


@router.post("/coaching/agents/{user_id}/sessions", response={201: CoachingSessionOut})
def session_plan(request: HttpRequest, user_id: DbId, body: CoachingSessionIn) -> Any:
    """A team lead (or manager) plans a coaching conversation on one or two habits."""
    require_perm(request, "coaching.view_team_reads")
    made = services.session_plan(
        actor=request.user,
        agent_id=user_id,
        habits=list(body.habits),
        planned_for=body.planned_for,
        examples=list(body.examples),
    )
    return Status(201, _session(selectors.SessionView(made, [])))


@router.post("/coaching/sessions/{session_id}/held", response=CoachingSessionOut)
def session_held(request: HttpRequest, session_id: DbId, body: SessionHeldIn) -> Any:
    """Record the conversation as held: the agreements, a follow-up date, the examples discussed."""
    require_perm(request, "coaching.view_team_reads")
    done = services.session_record(
        actor=request.user,
        session_id=session_id,
        agreements=body.agreements,
        follow_up_on=body.follow_up_on,
        examples=list(body.examples) if body.examples is not None else None,
    )
    view = next(v for v in selectors.sessions_of(done.agent) if v.session.pk == done.pk)
    return _session(view)
