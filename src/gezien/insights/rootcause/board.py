"""The root-cause board: contact reasons with their counts and trend, open spikes and the problems with
their live impact, all within what the viewer may see (`insights.scope`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from gezien.contacts.models import ContactReason
from gezien.core.period import Period
from gezien.insights.models import Dimension
from gezien.insights.rollups import insights_catch_up
from gezien.insights.rootcause.impact import Impact, problems_impact
from gezien.insights.rootcause.models import OPEN_STATUSES, Problem, Spike
from gezien.insights.rootcause.selectors import with_latest_answer
from gezien.insights.scope import Scope, scoped_totals

if TYPE_CHECKING:
    pass


SPIKES_SHOWN = 50  # the open spikes the board (and a department's overview) lists, newest first


@dataclass(frozen=True)
class ReasonRow:
    reason: ContactReason
    contacts: int
    previous: int  # the same number of days just before the period
    negative: int

    @property
    def change(self) -> float | None:
        return (self.contacts - self.previous) / self.previous if self.previous else None

    @property
    def trend(self) -> str:
        change = self.change
        if change is None:
            return "new" if self.contacts else "flat"
        return "up" if change >= 0.25 else "down" if change <= -0.25 else "flat"


@dataclass
class Board:
    period: Period
    reasons: list[ReasonRow] = field(default_factory=list)
    spikes: list[Spike] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    impact: dict[int, Impact] = field(default_factory=dict)


def scoped_reasons(scope: Scope) -> QuerySet[ContactReason]:
    reasons = ContactReason.objects.select_related("parent", "department", "parent__department")
    if scope.is_department:
        ids = scope.department_ids
        return reasons.filter(
            Q(department_id__in=ids) | Q(department__isnull=True, parent__department_id__in=ids)
        )
    return reasons


def scoped_problems(scope: Scope) -> QuerySet[Problem]:
    problems = Problem.objects.select_related("department")
    if scope.is_department:
        return problems.filter(department_id__in=scope.department_ids)
    return problems


def scoped_spikes(scope: Scope) -> QuerySet[Spike]:
    spikes = Spike.objects.select_related("reason", "problem")
    if scope.is_department:
        return spikes.filter(reason__in=scoped_reasons(scope))
    return spikes


def open_spikes(spikes: QuerySet[Spike]) -> QuerySet[Spike]:
    """The spikes still open: not dismissed, and without a signal or with a signal still open. A spike
    someone turned into a signal stays on the board until that signal is solved (issue 20: "Geen open
    pieken" while "Levering vertraagd" was up 892 %: its spike had become a signal and vanished)."""
    return spikes.filter(dismissed=False).filter(
        Q(problem__isnull=True) | Q(problem__status__in=OPEN_STATUSES)
    )


def reason_rows(scope: Scope, period: Period) -> list[ReasonRow]:
    now = scoped_totals(scope, period.start, period.end, Dimension.REASON)
    before_end = period.start - timedelta(days=1)
    before = scoped_totals(scope, before_end - timedelta(days=period.days - 1), before_end, Dimension.REASON)
    reasons = {str(r.pk): r for r in scoped_reasons(scope)}
    rows = []
    for key in set(now) | set(before):
        reason = reasons.get(key)
        if reason is None:
            continue
        rows.append(
            ReasonRow(
                reason,
                int(now.get(key, {}).get("contacts", 0)),
                int(before.get(key, {}).get("contacts", 0)),
                int(now.get(key, {}).get("negative", 0)),
            )
        )
    return sorted(rows, key=lambda r: (-r.contacts, str(r.reason.name)))


def board(scope: Scope, period: Period, *, closed: bool = False) -> Board:
    """Everything the board shows. `closed` includes solved and no-action problems."""
    insights_catch_up()
    problems = with_latest_answer(scoped_problems(scope)).prefetch_related("reasons")
    if not closed:
        problems = problems.filter(status__in=OPEN_STATUSES)
    problem_list = list(problems.order_by("-created_at")[:100])
    return Board(
        period=period,
        reasons=reason_rows(scope, period),
        spikes=list(open_spikes(scoped_spikes(scope)).order_by("-detected_at", "id")[:SPIKES_SHOWN]),
        problems=problem_list,
        impact=problems_impact(p.pk for p in problem_list),
    )
