"""Reads of the practice room: scenarios, who may see which session, earlier attempts, the team's progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gezien.accounts.models import Role, User
from gezien.core.errors import NotFound
from gezien.practice.models import Assignment, PracticeSession, PracticeTurn, Scenario
from gezien.practice.scenarios import BUILTIN, ScenarioSpec


def spec_of(row: Scenario) -> ScenarioSpec:
    return ScenarioSpec(
        slug=row.slug,
        title=row.title,
        situation=row.situation,
        opening=row.opening,
        register="informal" if row.register == "informal" else "formal",
        start_tension=row.start_tension,
        calms=row.calms,
        angers=row.angers,
        hints=tuple(row.hints),
        need=row.need,
        calm_words=tuple(row.calm_words),
        strict=row.strict,
        anger_words=tuple(row.anger_words),
        help_words=tuple(row.help_words),
        replies={k: tuple(v) for k, v in row.replies.items()},
        builtin=False,
    )


def scenarios_all() -> list[ScenarioSpec]:
    """The built-in scenarios first (in their fixed order), then the team leads' own by title."""
    return [*BUILTIN.values(), *(spec_of(row) for row in Scenario.objects.all())]


def scenario(slug: str) -> ScenarioSpec:
    """The scenario named `slug`; NotFound when there is none."""
    if slug in BUILTIN:
        return BUILTIN[slug]
    row = Scenario.objects.filter(slug=slug).first()
    if row is None:
        raise NotFound(_("Onbekend oefenscenario: %(s)s") % {"s": slug[:40]}, field="scenario")
    return spec_of(row)


def sees_everyone(user: Any) -> bool:
    return bool(getattr(user, "role", None) in (Role.MANAGER, Role.ADMIN))


def can_see(user: Any, session: PracticeSession) -> bool:
    """The agent's own sessions; a team lead's team's; a manager's or admin's all."""
    if session.agent_id == user.pk or sees_everyone(user):
        return True
    return bool(
        user.has_perm("practice.manage_practice")
        and user.team_id is not None
        and session.agent.team_id == user.team_id
    )


def session_for(user: Any, session_id: int) -> PracticeSession:
    """The session if `user` may see it; NotFound otherwise (a colleague's session does not exist for you)."""
    session = PracticeSession.objects.select_related("agent").filter(pk=session_id).first()
    if session is None or not can_see(user, session):
        raise NotFound(_("Deze oefensessie bestaat niet."))
    return session


def turns_of(session: PracticeSession) -> list[PracticeTurn]:
    return list(session.turns.order_by("index"))


def team_members(user: Any) -> QuerySet[User]:
    """The agents whose practice `user` may follow: a team lead's team, everyone for managers."""
    people = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    if sees_everyone(user):
        return people
    if user.has_perm("practice.manage_practice") and user.team_id is not None:
        return people.filter(team_id=user.team_id)
    return people.none()


def sessions_of(user: Any, *, agent_id: int | None = None, scenario: str = "") -> QuerySet[PracticeSession]:
    """`user`'s own sessions, or (`agent_id`) those of an agent `user` may follow, newest first."""
    if agent_id is None or agent_id == user.pk:
        rows = PracticeSession.objects.filter(agent_id=user.pk)
    elif team_members(user).filter(pk=agent_id).exists():
        rows = PracticeSession.objects.filter(agent_id=agent_id)
    else:
        raise NotFound(_("Deze medewerker volgt u niet."), field="agent")
    if scenario:
        rows = rows.filter(scenario=scenario)
    return rows.select_related("agent")


def earlier_attempts(session: PracticeSession) -> list[PracticeSession]:
    """The agent's finished attempts at the same scenario before this one, oldest first."""
    return list(
        PracticeSession.objects.filter(
            agent_id=session.agent_id,
            scenario=session.scenario,
            status=PracticeSession.Status.FINISHED,
            pk__lt=session.pk,
        ).order_by("pk")
    )


def habit_scores(session: PracticeSession) -> dict[str, int | None]:
    """habit -> score of a finished session's read (None where the habit did not apply)."""
    read = session.habit_read or {"habits": []}
    return {h["habit"]: h["score"] if h["applies"] else None for h in read["habits"]}


def comparison(session: PracticeSession) -> list[dict[str, Any]]:
    """This attempt beside the agent's earlier ones at the scenario: score, outcome, each habit's score."""
    return [
        {
            "id": s.pk,
            "finished_at": s.finished_at,
            "score": s.score,
            "outcome": s.outcome,
            "habits": habit_scores(s),
        }
        for s in earlier_attempts(session)
    ]


def assignments_of(user: Any, *, team: bool = False) -> QuerySet[Assignment]:
    """`user`'s own assignments, or (`team`) those of the people `user` follows."""
    rows = Assignment.objects.select_related("agent", "assigned_by")
    if team:
        return rows.filter(agent__in=team_members(user))
    return rows.filter(agent_id=user.pk)


@dataclass
class AgentProgress:
    """One agent's practice: attempts per scenario with the best and last score, open assignments."""

    agent: User
    attempts: int = 0
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)
    open_assignments: list[str] = field(default_factory=list)
    done_assignments: list[str] = field(default_factory=list)


def progress(user: Any) -> list[AgentProgress]:
    """The practice of everyone `user` follows (a team lead: their team), one row per agent."""
    people = list(team_members(user))
    rows = {person.pk: AgentProgress(agent=person) for person in people}
    finished = PracticeSession.objects.filter(
        agent_id__in=rows, status=PracticeSession.Status.FINISHED
    ).order_by("pk")
    for s in finished.only("agent_id", "scenario", "score", "finished_at"):
        row = rows[s.agent_id]
        row.attempts += 1
        item = row.scenarios.setdefault(s.scenario, {"attempts": 0, "best": None, "last": None})
        item["attempts"] += 1
        item["last"] = s.score
        if s.score is not None and (item["best"] is None or s.score > item["best"]):
            item["best"] = s.score
    for a in Assignment.objects.filter(agent_id__in=rows).order_by("created_at"):
        target = rows[a.agent_id].done_assignments if a.done_at else rows[a.agent_id].open_assignments
        target.append(a.scenario)
    return list(rows.values())


def not_finished() -> NotFound:
    return NotFound(_("Deze poging is nog niet afgerond."))
