"""The coaching screens' contents: the team lead's queue, one agent's page and one contact's read."""

from __future__ import annotations

from typing import Any, TypedDict

from django.utils.safestring import SafeString
from django.utils.text import Truncator

from gezien.accounts.models import User
from gezien.coaching import library, selectors
from gezien.coaching.habits import HABITS
from gezien.coaching.models import ContactRead, ReadComment
from gezien.web.charts import sparkline


class TrendRow(TypedDict):
    trend: selectors.HabitTrend
    spark: SafeString


class QueuePage(TypedDict):
    queue: selectors.Queue
    team_rows: list[TrendRow]
    agents: list[dict[str, Any]]
    can_manage: bool
    per_agent: bool


class AgentPage(TypedDict):
    report: selectors.AgentReport
    rows: list[TrendRow]
    own: bool
    sessions: list[selectors.SessionView]
    habit_choices: list[tuple[str, str]]


class HabitView(TypedDict):
    habit: str
    label: str
    applies: bool
    score: int | None
    certainty: float
    moments: list[dict[str, Any]]


class ReadPage(TypedDict):
    read: ContactRead
    habits: list[HabitView]
    comments: list[ReadComment]
    own: bool
    choices: list[tuple[str, str]]
    agent_turns: list[tuple[int, str]]  # the agent's turns (index, first words): to mark as an example
    situations: list[tuple[str, str]]


def _rows(trends: list[selectors.HabitTrend]) -> list[TrendRow]:
    return [
        TrendRow(
            trend=t,
            spark=sparkline(
                [w.score for w in t.weeks], title=t.label, y_range=(0.0, 100.0), width=120, height=22
            ),
        )
        for t in trends
    ]


def queue_page(viewer: User, *, can_manage: bool) -> QueuePage:
    queue = selectors.coaching_queue(viewer)
    return QueuePage(
        queue=queue,
        team_rows=_rows(queue.team.habits),
        agents=[{"report": a, "rows": _rows(a.habits)} for a in queue.agents],
        can_manage=can_manage,
        per_agent=queue.scope.per_agent,
    )


def agent_page(agent: User, *, own: bool) -> AgentPage:
    report = selectors.agent_report(agent)
    return AgentPage(
        report=report,
        rows=_rows(report.habits),
        own=own,
        sessions=selectors.sessions_of(agent),
        habit_choices=[(h, selectors.label(h)) for h in HABITS if h != "collegas"],
    )


def read_page(read: ContactRead, *, own: bool) -> ReadPage:
    found = {h["habit"]: h for h in (read.data or {}).get("habits", [])}
    habits = [
        HabitView(
            habit=h,
            label=selectors.label(h),
            applies=bool(found[h]["applies"]),
            score=found[h]["score"],
            certainty=float(found[h]["certainty"]),
            moments=list(found[h]["moments"]),
        )
        for h in HABITS
        if h in found
    ]
    return ReadPage(
        read=read,
        habits=habits,
        comments=selectors.comments_of(read),
        own=own,
        choices=[("", "")] + [(h, selectors.label(h)) for h in HABITS if h != "collegas"],
        agent_turns=[
            (n, Truncator(t.text).chars(90))
            for n, t in enumerate(selectors.conversations([read.pk]).get(read.pk, []))
            if t.author == "agent"
        ],
        situations=[(k, str(v)) for k, v in library.SITUATIONS.items()],
    )
