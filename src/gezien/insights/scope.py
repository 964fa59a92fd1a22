"""Who sees which figures. Managers and admins see everything; a team lead sees their own team (its
agents, and its channels and reasons within the team); a department owner sees the contact reasons
their department owns. Nobody else sees insights.

Dashboards ask for a dimension ("per channel") and `scoped_dimension` answers which rollup rows that
means for this person: the rollups hold per-team breakdowns for exactly this reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, cast

from django.db.models import Q
from django.utils.translation import gettext as _

from gezien.accounts.models import Department, Role
from gezien.accounts.roles import user_role
from gezien.contacts.models import ContactReason
from gezien.core.errors import Forbidden
from gezien.insights.models import DailyRollup, Dimension
from gezien.insights.rollups import SUMMABLE, period_totals, series

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    team_id: int | None = None
    department_ids: frozenset[int] = frozenset()

    @property
    def is_department(self) -> bool:
        return not self.everything and self.team_id is None and bool(self.department_ids)


def insight_scope(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The scope of a person, or Forbidden for someone who may not see insights."""
    role = user_role(user)
    if role in (Role.MANAGER, Role.ADMIN):
        return Scope(everything=True)
    if role == Role.TEAMLEAD:
        team_id = getattr(user, "team_id", None)
        if team_id is not None:
            return Scope(team_id=team_id)
    owned = Department.objects.filter(owners__pk=cast("int", user.pk))
    departments = frozenset(owned.values_list("pk", flat=True))
    if departments:
        return Scope(department_ids=departments)
    raise Forbidden(_("Je hebt geen toegang tot de inzichten."))


@dataclass(frozen=True)
class ScopedDimension:
    dim: str
    keys: list[str] | None  # None: every key
    prefix: str = ""  # stripped from the keys for display ("3:" of "3:chat")


def scoped_dimension(scope: Scope, dim: str) -> ScopedDimension:
    """Which rollup rows answer "per `dim`" within the scope. Forbidden for a dimension the scope
    does not show (a department owner has no per-agent figures)."""
    if scope.everything:
        return ScopedDimension(dim, None)
    if scope.team_id is not None:
        team = str(scope.team_id)
        if dim in (Dimension.ALL, Dimension.TEAM):
            return ScopedDimension(Dimension.TEAM, [team])
        if dim == Dimension.CHANNEL:
            return ScopedDimension(Dimension.TEAM_CHANNEL, None, prefix=f"{team}:")
        if dim == Dimension.REASON:
            return ScopedDimension(Dimension.TEAM_REASON, None, prefix=f"{team}:")
        if dim == Dimension.AGENT:  # this team's contacts per agent, wherever the agent works now
            return ScopedDimension(Dimension.TEAM_AGENT, None, prefix=f"{team}:")
    if scope.department_ids:
        departments = [str(d) for d in sorted(scope.department_ids)]
        if dim in (Dimension.ALL, Dimension.DEPARTMENT):
            return ScopedDimension(Dimension.DEPARTMENT, departments)
        if dim == Dimension.REASON:
            reasons = ContactReason.objects.filter(
                Q(department_id__in=scope.department_ids)
                | Q(department__isnull=True, parent__department_id__in=scope.department_ids)
            ).values_list("pk", flat=True)
            return ScopedDimension(Dimension.REASON, [str(r) for r in reasons])
    raise Forbidden(_("Deze indeling hoort niet bij jouw inzichten."), field="dim")


def scoped_totals(
    scope: Scope, start: date, end: date, dim: str = Dimension.ALL
) -> dict[str, dict[str, float]]:
    """The summed rollups of [start, end] per value of `dim` that this scope may see; for ALL a single
    entry under "" (a team lead's "all" is their team, a department owner's their departments)."""
    sd = scoped_dimension(scope, dim)
    totals = period_totals(start, end, sd.dim, sd.keys, key_prefix=sd.prefix)
    if sd.prefix:
        totals = {k.removeprefix(sd.prefix): v for k, v in totals.items()}
    if dim == Dimension.ALL:
        return {"": _add(totals.values())}
    return totals


def scoped_series(
    scope: Scope, start: date, end: date, dim: str = Dimension.ALL
) -> dict[str, list[DailyRollup]]:
    """The daily rollups per value of `dim` that this scope may see (ALL: one series under "")."""
    sd = scoped_dimension(scope, dim)
    out: dict[str, list[DailyRollup]] = {}
    for row in series(start, end, sd.dim, sd.keys, key_prefix=sd.prefix):
        key = "" if dim == Dimension.ALL else row.key.removeprefix(sd.prefix)
        out.setdefault(key, []).append(row)
    if dim == Dimension.ALL and len(sd.keys or []) > 1:  # several departments: add them up per day
        out[""] = _add_per_day(out.get("", []))
    return out


def _add(many: Iterable[Mapping[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {name: 0 for name in SUMMABLE}
    for one in many:
        for name in SUMMABLE:
            total[name] += one.get(name, 0) or 0
    return total


def _add_per_day(rows: list[DailyRollup]) -> list[DailyRollup]:
    by_day: dict[date, DailyRollup] = {}
    for row in rows:
        if row.day not in by_day:
            by_day[row.day] = DailyRollup(day=row.day, dim=Dimension.ALL, key="")
        target = by_day[row.day]
        for name in SUMMABLE:
            setattr(target, name, getattr(target, name) + getattr(row, name))
    return [by_day[d] for d in sorted(by_day)]
