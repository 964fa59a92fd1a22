"""The practice room's pages (Oefenruimte): choose a scenario, the conversation with the simulated customer
and its feedback, the finish read with the habits and earlier attempts, the team's progress."""

from __future__ import annotations

from typing import Any, TypedDict

from django.forms import Form
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gezien.accounts.models import User
from gezien.practice import selectors
from gezien.practice.customer import mood_label, mood_of
from gezien.practice.models import Assignment, PracticeSession, PracticeTurn
from gezien.practice.scenarios import ScenarioSpec
from gezien.practice.spoken import MAX_SECONDS, spoken_available

HABIT_LABELS: dict[str, Promise] = {
    "uitpraten": _("Laat de klant uitpraten"),
    "vragen": _("Stel vragen"),
    "rustig": _("Blijf rustig"),
    "terugkoppelen": _("Koppel terug"),
    "collegas": _("Leer van collega's"),
    "eerst_luisteren": _("Eerst luisteren, dan oplossen"),
    "register": _("Volg de aanspreekvorm"),
}
OUTCOMES: dict[str, Promise] = {
    "resolved": _("geholpen"),
    "abused": _("opgehangen na schelden"),
    "hung_up": _("opgehangen"),
    "": _("niet afgemaakt"),
}


class HomePage(TypedDict):
    scenarios: list[ScenarioSpec]
    assignments: list[Assignment]
    sessions: list[PracticeSession]
    titles: dict[str, str]
    can_manage: bool


class ShownTurn(TypedDict):
    turn: PracticeTurn
    mood: str  # on a customer's turn: the mood after it, in words
    bad: bool  # the reaction made the customer angrier or ended it


class Habit(TypedDict):
    key: str
    label: Promise | str
    applies: bool
    score: int | None
    certainty: float
    moments: list[dict[str, Any]]


class Attempt(TypedDict):
    id: int
    finished_at: Any
    score: int | None
    outcome: Promise


class SessionPage(TypedDict):
    session: PracticeSession
    spec: ScenarioSpec
    turns: list[ShownTurn]
    last_feedback: str
    tension: int
    mood: str
    own: bool
    open: bool
    habits: list[Habit]
    earlier: list[Attempt]
    change: int | None
    outcome: Promise
    spoken: bool  # the `stt` extra is installed: the turn may be spoken ("Inspreken")
    spoken_seconds: int


class TeamPage(TypedDict):
    rows: list[selectors.AgentProgress]
    scenarios: list[ScenarioSpec]
    people: list[User]
    assignments: list[Assignment]
    titles: dict[str, str]
    form: Form | None


_ANGRIER = frozenset({"data_first", "skipped", "angered", "abused", "hung_up"})


def home_page(user: User) -> HomePage:
    scenarios = selectors.scenarios_all()
    return {
        "scenarios": scenarios,
        "assignments": list(selectors.assignments_of(user).filter(done_at__isnull=True)),
        "sessions": list(selectors.sessions_of(user)[:20]),
        "titles": {spec.slug: spec.title for spec in scenarios},
        "can_manage": user.has_perm("practice.manage_practice"),
    }


def _shown(turns: list[PracticeTurn]) -> list[ShownTurn]:
    return [
        {
            "turn": t,
            "mood": str(mood_label(mood_of(t.tension))) if t.tension is not None else "",
            "bad": t.reaction in _ANGRIER,
        }
        for t in turns
    ]


def _habits(session: PracticeSession) -> list[Habit]:
    read = session.habit_read or {"habits": []}
    return [
        {
            "key": h["habit"],
            "label": HABIT_LABELS.get(h["habit"], h["habit"]),
            "applies": h["applies"],
            "score": h["score"],
            "certainty": round(float(h["certainty"]) * 100),
            "moments": h["moments"],
        }
        for h in read["habits"]
        if h["applies"] or h["habit"] != "collegas"
    ]


def session_page(user: User, session: PracticeSession) -> SessionPage:
    turns = selectors.turns_of(session)
    tension = int(session.state["tension"])
    earlier = selectors.comparison(session) if session.status == PracticeSession.Status.FINISHED else []
    previous = earlier[-1]["score"] if earlier else None
    return {
        "session": session,
        "spec": ScenarioSpec.from_json(session.spec),
        "turns": _shown(turns),
        "last_feedback": turns[-1].feedback if turns else "",
        "tension": tension,
        "mood": str(mood_label(mood_of(tension))),
        "own": session.agent_id == user.pk,
        "open": session.status == PracticeSession.Status.OPEN,
        "habits": _habits(session),
        "earlier": [
            {
                "id": e["id"],
                "finished_at": e["finished_at"],
                "score": e["score"],
                "outcome": OUTCOMES.get(e["outcome"], OUTCOMES[""]),
            }
            for e in earlier
        ],
        "change": session.score - previous if session.score is not None and previous is not None else None,
        "outcome": OUTCOMES.get(session.outcome, OUTCOMES[""]),
        "spoken": spoken_available(),
        "spoken_seconds": int(MAX_SECONDS),
    }


def team_page(user: User, form: Form | None) -> TeamPage:
    scenarios = selectors.scenarios_all()
    return {
        "rows": selectors.progress(user),
        "scenarios": scenarios,
        "titles": {spec.slug: spec.title for spec in scenarios},
        "people": list(selectors.team_members(user)),
        "assignments": list(selectors.assignments_of(user, team=True)[:100]),
        "form": form,
    }
