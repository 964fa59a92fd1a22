"""/api/practice: the practice room (issue 19). Scenarios, sessions with a simulated customer, the finish read
with the five habits and the agent's earlier attempts, assignments and the team's progress.

The names are fixed by the issue (outside checks use them): `POST /api/practice/sessions` {"scenario"},
`POST /api/practice/sessions/{id}/turns` {"text"}, `POST /api/practice/sessions/{id}/finish`; with the `stt`
extra a turn may be spoken: `POST /api/practice/sessions/{id}/spoken` (multipart audio).
Only the agent's own sessions; team leads read their team's, managers everyone's."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.attachments import upload_single
from gezien.api.auth import require_perm
from gezien.api.common import DbId
from gezien.api.input import In
from gezien.practice import selectors, services, spoken
from gezien.practice.customer import mood_label, mood_of
from gezien.practice.models import Assignment, PracticeSession, PracticeTurn
from gezien.practice.scenarios import ScenarioSpec

router = Router(tags=["practice"])

PRACTISE = "practice.practise"
MANAGE = "practice.manage_practice"


class ScenarioOut(Schema):
    slug: str
    title: str
    situation: str
    opening: str
    addressing: str = Field(description="how the customer speaks: formal (u) or informal (je)")
    start_tension: int
    calms: str
    angers: str
    hints: list[str]
    builtin: bool


class ScenarioIn(In):
    slug: str = Field(max_length=40, description="3-40 lowercase letters, digits and dashes")
    title: str = Field(max_length=120)
    situation: str = Field(max_length=4000)
    opening: str = Field(max_length=4000, description="the customer's first words")
    addressing: Literal["formal", "informal"] = Field(
        default="formal", description="how the customer speaks: formal (u) or informal (je)"
    )
    start_tension: int = Field(default=60, ge=0, le=100)
    calms: str = Field(default="", max_length=4000)
    angers: str = Field(default="", max_length=4000)
    hints: list[str] = Field(default_factory=list, max_length=20)
    need: str = Field(
        default="", max_length=500, description="the feedback line: what the customer needs first"
    )
    calm_words: list[str] = Field(default_factory=list, max_length=50)
    strict: bool = Field(default=False, description="only calm_words calm (like the widow's condolence)")
    anger_words: list[str] = Field(default_factory=list, max_length=50)
    help_words: list[str] = Field(default_factory=list, max_length=50)
    replies: dict[str, list[str]] = Field(
        default_factory=dict, description="reaction -> the customer's lines (acknowledged, data_first, ...)"
    )


class TurnOut(Schema):
    index: int
    author: str
    text: str
    reaction: str = Field(description="on a customer's turn: how the customer took the agent's turn before")
    tension: int | None
    feedback: str


class PracticeSessionOut(Schema):
    id: int
    scenario: str
    title: str
    agent: str
    status: str = Field(description="open, ended (the customer ended it) or finished")
    outcome: str = Field(description="resolved, abused, hung_up, or empty")
    tension: int
    mood: str
    mood_label: str
    score: int | None
    started_at: datetime
    finished_at: datetime | None
    opening: TurnOut
    turns: list[TurnOut]

    @staticmethod
    def resolve_title(obj: PracticeSession) -> str:
        return str(obj.spec.get("title", obj.scenario))

    @staticmethod
    def resolve_agent(obj: PracticeSession) -> str:
        return obj.agent.get_username()

    @staticmethod
    def resolve_tension(obj: PracticeSession) -> int:
        return int(obj.state["tension"])

    @staticmethod
    def resolve_mood(obj: PracticeSession) -> str:
        return mood_of(int(obj.state["tension"]))

    @staticmethod
    def resolve_mood_label(obj: PracticeSession) -> str:
        return str(mood_label(mood_of(int(obj.state["tension"]))))

    @staticmethod
    def resolve_turns(obj: PracticeSession) -> list[PracticeTurn]:
        return selectors.turns_of(obj)

    @staticmethod
    def resolve_opening(obj: PracticeSession) -> PracticeTurn:
        return selectors.turns_of(obj)[0]


class SessionBrief(Schema):
    id: int
    scenario: str
    status: str
    outcome: str
    score: int | None
    started_at: datetime
    finished_at: datetime | None


class SessionStartIn(In):
    scenario: str = Field(max_length=40, description="a scenario's slug: weduwe, vijfde-keer, grof, ...")


class PracticeTurnIn(In):
    text: str = Field(max_length=4000, description="what the agent says to the customer")


class ReplyOut(Schema):
    session_id: int
    agent_turn: TurnOut
    reply: TurnOut = Field(description="the customer's answer")
    reaction: str
    tension: int
    mood: str
    mood_label: str
    feedback: str = Field(description="one or two lines of feedback on the agent's turn, in Dutch")
    acts: list[str] = Field(description="what the analysis saw the agent's turn do")
    ended: bool = Field(description="the customer ended the conversation")
    outcome: str
    status: str


class PracticeMomentOut(Schema):
    turn: int
    at_s: float | None
    quote: str
    good: bool
    why: str


class HabitOut(Schema):
    habit: str
    applies: bool
    score: int | None
    certainty: float
    moments: list[PracticeMomentOut]


class PracticeAttemptOut(Schema):
    id: int
    finished_at: datetime | None
    score: int | None
    outcome: str
    habits: dict[str, int | None]


class FinishOut(Schema):
    session: PracticeSessionOut
    score: int | None = Field(description="the mean of the habits that applied")
    habits: list[HabitOut]
    earlier: list[PracticeAttemptOut] = Field(
        description="the agent's earlier finished attempts at this scenario"
    )
    change: int | None = Field(description="this score minus the previous attempt's")


class SessionFilter(In):
    agent: DbId | None = Field(default=None, description="an agent you follow (team leads, managers)")
    scenario: str = Field(default="", max_length=40)


class AssignmentIn(In):
    agent: DbId
    scenario: str = Field(max_length=40)
    note: str = Field(default="", max_length=500)


class AssignmentOut(Schema):
    id: int
    agent: str
    scenario: str
    assigned_by: str | None
    note: str
    created_at: datetime
    done_at: datetime | None

    @staticmethod
    def resolve_agent(obj: Assignment) -> str:
        return obj.agent.get_username()

    @staticmethod
    def resolve_assigned_by(obj: Assignment) -> str | None:
        return obj.assigned_by.get_username() if obj.assigned_by else None


class ProgressOut(Schema):
    agent: str
    name: str
    attempts: int
    scenarios: dict[str, dict[str, int | None]] = Field(
        description="scenario -> attempts, best and last score"
    )
    open_assignments: list[str]
    done_assignments: list[str]


def _scenario_out(spec: ScenarioSpec) -> dict[str, Any]:
    data = {**spec.to_json(), "addressing": spec.register}
    return {key: data[key] for key in ScenarioOut.model_fields}


def _finish_out(session: PracticeSession) -> dict[str, Any]:
    earlier = selectors.comparison(session)
    previous = earlier[-1]["score"] if earlier else None
    read = session.habit_read or {"habits": []}
    return {
        "session": session,
        "score": session.score,
        "habits": read["habits"],
        "earlier": earlier,
        "change": session.score - previous if session.score is not None and previous is not None else None,
    }


@router.get("/practice/scenarios", response=list[ScenarioOut])
def list_scenarios(request: HttpRequest) -> list[dict[str, Any]]:
    """The built-in scenarios (weduwe, vijfde-keer, grof, informeel, formele-klacht), then team leads' own."""
    require_perm(request, PRACTISE)
    return [_scenario_out(spec) for spec in selectors.scenarios_all()]


@router.get("/practice/scenarios/{slug}", response=ScenarioOut)
def read_scenario(request: HttpRequest, slug: str) -> dict[str, Any]:
    require_perm(request, PRACTISE)
    return _scenario_out(selectors.scenario(slug[:40]))


@router.post("/practice/scenarios", response={201: ScenarioOut})
def create_scenario(request: HttpRequest, payload: ScenarioIn) -> Status[Any]:
    """A scenario of your own (team leads and up). Its slug may not be a built-in one's (409)."""
    require_perm(request, MANAGE)
    fields = payload.model_dump()
    fields["register"] = fields.pop("addressing")
    row = services.scenario_create(actor=current_user(request), **fields)
    return Status(201, _scenario_out(selectors.spec_of(row)))


@router.post("/practice/sessions", response={201: PracticeSessionOut})
def start_session(request: HttpRequest, payload: SessionStartIn) -> Status[Any]:
    """Start practising: the session with the customer's opening turn. An unknown scenario is 404."""
    require_perm(request, PRACTISE)
    return Status(201, services.session_start(actor=current_user(request), scenario=payload.scenario))


@router.get("/practice/sessions", response=list[SessionBrief])
def list_sessions(request: HttpRequest, filters: Query[SessionFilter]) -> list[PracticeSession]:
    """Your own sessions, newest first; `agent` names someone you follow (your team as team lead)."""
    require_perm(request, PRACTISE)
    rows = selectors.sessions_of(current_user(request), agent_id=filters.agent, scenario=filters.scenario)
    return list(rows[:200])


@router.get("/practice/sessions/{session_id}", response=PracticeSessionOut)
def read_session(request: HttpRequest, session_id: DbId) -> PracticeSession:
    require_perm(request, PRACTISE)
    return selectors.session_for(current_user(request), session_id)


@router.post("/practice/sessions/{session_id}/turns", response=ReplyOut)
def take_turn(request: HttpRequest, session_id: DbId, payload: PracticeTurnIn) -> dict[str, Any]:
    """Say something to the customer: the customer's reply, mood and feedback, and whether the customer
    ended the conversation. Empty text is 422; a finished or ended session refuses turns (409)."""
    require_perm(request, PRACTISE)
    result = services.session_turn(actor=current_user(request), session_id=session_id, text=payload.text)
    return _reply_out(result)


def _reply_out(result: services.TurnResult) -> dict[str, Any]:
    reaction = result.reaction
    return {
        "session_id": result.session.pk,
        "agent_turn": result.agent_turn,
        "reply": result.customer_turn,
        "reaction": reaction.reaction,
        "tension": reaction.tension,
        "mood": reaction.mood,
        "mood_label": str(mood_label(reaction.mood)),
        "feedback": reaction.feedback,
        "acts": list(reaction.acts),
        "ended": reaction.ended,
        "outcome": reaction.outcome,
        "status": result.session.status,
    }


class SpokenReplyOut(ReplyOut):
    heard: str = Field(description="what the speech-to-text heard: the agent turn's text")


@router.post(
    "/practice/sessions/{session_id}/spoken",
    response=SpokenReplyOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
def take_spoken_turn(request: HttpRequest, session_id: DbId) -> dict[str, Any]:
    """Say the turn instead of typing it (the optional `stt` extra): the recorded audio in the multipart
    field `file` (a browser's WebM/Opus, WAV, ...; one speaker; at most 4 MB and 60 s) is transcribed on
    this server in Dutch and taken as a typed turn: the same answer as POST .../turns, with `heard`. 503
    without the extra; 422 for audio that cannot be read, is too long or holds no speech (nothing stored);
    409 for a finished or ended session. The audio is not kept."""
    require_perm(request, PRACTISE)
    upload = upload_single(request, limit=spoken.MAX_BYTES, refuse=lambda size: spoken.too_big())
    spoken_turn = spoken.session_turn_spoken(
        actor=current_user(request), session_id=session_id, audio=upload, size=upload.size or 0
    )
    return {**_reply_out(spoken_turn.result), "heard": spoken_turn.heard}


@router.post("/practice/sessions/{session_id}/finish", response=FinishOut)
def finish_session(request: HttpRequest, session_id: DbId) -> dict[str, Any]:
    """End the attempt: the habit scores with their moments (the read real contacts get) and the comparison
    with your earlier attempts at the scenario. Finishing twice is 409."""
    require_perm(request, PRACTISE)
    return _finish_out(services.session_finish(actor=current_user(request), session_id=session_id))


@router.get("/practice/sessions/{session_id}/read", response=FinishOut)
def read_finish(request: HttpRequest, session_id: DbId) -> dict[str, Any]:
    """A finished session's read and comparison again (404 before it is finished)."""
    require_perm(request, PRACTISE)
    session = selectors.session_for(current_user(request), session_id)
    if session.status != PracticeSession.Status.FINISHED:
        raise selectors.not_finished()
    return _finish_out(session)


@router.get("/practice/assignments", response=list[AssignmentOut])
def list_assignments(request: HttpRequest, team: bool = False) -> list[Assignment]:
    """Your assignments; `team=true`: those of the people you follow (team leads)."""
    require_perm(request, MANAGE if team else PRACTISE)
    return list(selectors.assignments_of(current_user(request), team=team)[:500])


@router.post("/practice/assignments", response={200: AssignmentOut, 201: AssignmentOut})
def create_assignment(request: HttpRequest, payload: AssignmentIn) -> Status[Any]:
    """Ask someone in your team to practise a scenario (201; 200 when it was already asked and not done)."""
    require_perm(request, MANAGE)
    row, created = services.assignment_create(
        actor=current_user(request), agent_id=payload.agent, scenario=payload.scenario, note=payload.note
    )
    return Status(201 if created else 200, row)


@router.get("/practice/progress", response=list[ProgressOut])
def team_progress(request: HttpRequest) -> list[dict[str, Any]]:
    """Per person you follow: attempts, best and last score per scenario, open and done assignments."""
    require_perm(request, MANAGE)
    return [
        {
            "agent": row.agent.get_username(),
            "name": row.agent.display_name,
            "attempts": row.attempts,
            "scenarios": row.scenarios,
            "open_assignments": row.open_assignments,
            "done_assignments": row.done_assignments,
        }
        for row in selectors.progress(current_user(request))
    ]
