"""Reads for planning: the service-level targets per channel, the forecast edits and the shifts of a
period, and who may schedule whom. Every read here is a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from gezien.accounts.models import Role, User
from gezien.accounts.roles import DESK_ROLES, user_role
from gezien.contacts.models import Channel
from gezien.planning.intervals import day_bounds
from gezien.planning.models import DEFAULT_TARGETS, ForecastAdjustment, ServiceTarget, Shift

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

CHANNELS: tuple[str, ...] = tuple(Channel.values)


@dataclass(frozen=True)
class Target:
    """A channel's service-level target and what staffing it takes (see `ServiceTarget`)."""

    channel: str
    service_level: float
    target_seconds: int
    patience_seconds: int | None
    max_abandon: float | None
    max_occupancy: float | None
    shrinkage: float
    concurrency: int

    @property
    def erlang_a(self) -> bool:
        """Customers of this channel hang up when they wait too long: plan with Erlang A."""
        return self.patience_seconds is not None

    @property
    def label(self) -> str:
        return f"{round(self.service_level * 100)}/{self.target_seconds}"


_TARGET_FIELDS = [f.name for f in fields(Target) if f.name != "channel"]


def _model_default(name: str) -> object:
    found = ServiceTarget._meta.get_field(name)
    return found.get_default() if isinstance(found, models.Field) else None


def default_target(channel: str) -> Target:
    """The starting target of a channel (`DEFAULT_TARGETS`, else the model's defaults)."""
    values = DEFAULT_TARGETS.get(channel, {})
    kwargs = {name: values.get(name, _model_default(name)) for name in _TARGET_FIELDS}
    return Target(channel=channel, **kwargs)  # type: ignore[arg-type]


def _target(row: ServiceTarget) -> Target:
    return Target(channel=row.channel, **{name: getattr(row, name) for name in _TARGET_FIELDS})


def targets_by_channel() -> dict[str, Target]:
    """Every channel's target: the stored one, or the default where none is stored. One query."""
    stored = {row.channel: _target(row) for row in ServiceTarget.objects.filter(channel__in=CHANNELS)}
    return {channel: stored.get(channel) or default_target(channel) for channel in CHANNELS}


def target_for(channel: str) -> Target:
    return targets_by_channel()[channel]


# --- forecast edits ---------------------------------------------------------------------------------


def adjustments_between(channel: str | None, start: datetime, end: datetime) -> list[ForecastAdjustment]:
    """The edits that overlap [start, end), oldest first (the order they apply in), with who made them."""
    rows = ForecastAdjustment.objects.filter(start__lt=end, end__gt=start).select_related("created_by")
    if channel is not None:
        rows = rows.filter(channel=channel)
    return list(rows.order_by("created_at", "id"))


def adjustments_of_day(channel: str | None, day: date) -> list[ForecastAdjustment]:
    return adjustments_between(channel, *day_bounds(day))


# --- shifts -----------------------------------------------------------------------------------------


def shifts_between(
    start: datetime, end: datetime, *, channel: str | None = None, team_id: int | None = None
) -> list[Shift]:
    """The shifts overlapping [start, end) (of one channel, of one team), with the person and team."""
    rows = Shift.objects.filter(start__lt=end, end__gt=start).select_related("user", "user__team")
    if team_id is not None:
        rows = rows.filter(user__team_id=team_id)
    found = list(rows.order_by("start", "user__first_name", "user__username", "id"))
    if channel is not None:
        found = [s for s in found if channel in s.channel_list]
    return found


def shifts_of_day(day: date, *, channel: str | None = None, team_id: int | None = None) -> list[Shift]:
    return shifts_between(*day_bounds(day), channel=channel, team_id=team_id)


# --- who may schedule whom --------------------------------------------------------------------------


def team_of(user: User | AnonymousUser) -> int | None:
    return getattr(user, "team_id", None)


def schedules_every_team(actor: User | AnonymousUser) -> bool:
    """Managers and admins schedule everyone; a team lead the people of their own team."""
    return user_role(actor) in (Role.MANAGER, Role.ADMIN)


def can_schedule(actor: User | AnonymousUser, person: User) -> bool:
    if not actor.is_authenticated or not actor.has_perm("planning.edit_forecast"):
        return False
    if schedules_every_team(actor):
        return True
    own = team_of(actor)
    return own is not None and own == team_of(person)


def schedulable_people(actor: User | AnonymousUser) -> list[User]:
    """The desk people `actor` may put on a shift, by name. One query."""
    if not actor.is_authenticated or not actor.has_perm("planning.edit_forecast"):
        return []
    people = User.objects.filter(is_active=True, groups__name__in=DESK_ROLES)
    if not schedules_every_team(actor):
        team_id = team_of(actor)
        if team_id is None:
            return []
        people = people.filter(team_id=team_id)
    return list(people.distinct().order_by("first_name", "last_name", "username"))


def shift_filter_for(actor: User | AnonymousUser) -> Q:
    """The shifts `actor` may change."""
    if schedules_every_team(actor):
        return Q()
    return Q(user__team_id=team_of(actor)) if team_of(actor) is not None else Q(pk__in=[])
