"""The staffing plan of one day and channel: per interval the forecast (after the team lead's edits),
the agents the service-level target needs (Erlang C, or Erlang A when customers of the channel hang up;
chats several at once), the headcount with shrinkage, who is scheduled, and the gap; and the scale-up
figures: how many more, when, and the service level expected with and without them.

`plan_for(day, channel)` is what the desk, the API, the notification job and the live view read."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.core.calendar import default_calendar
from gezien.planning.forecast import ForecastModel, QuarterForecast, apply_adjustments, forecast_model
from gezien.planning.intervals import Interval, day_bounds, day_intervals, plan_interval_minutes
from gezien.planning.models import ForecastAdjustment, Shift
from gezien.planning.selectors import Target, adjustments_of_day, shifts_of_day, targets_by_channel
from gezien.workforce import erlang_a_metrics_many, erlang_c_metrics_many, required_agents_many

EPSILON = 1e-9


@dataclass(frozen=True)
class PlanInterval:
    """One interval of the plan. `gap` = scheduled − headcount (negative: short); `short` is how many
    people to add (whole people); the service levels are expected ones (None: nothing to answer)."""

    start: datetime
    end: datetime
    label: str
    volume: float
    aht_seconds: float
    base_volume: float
    base_aht_seconds: float
    adjustment_ids: tuple[int, ...]
    agents: int
    headcount: int
    scheduled: float
    on_line: int  # the scheduled agents left after shrinkage
    service_level: float | None  # with the scheduled agents
    service_level_with_extra: float | None  # with `short` more
    past: bool = False

    @property
    def gap(self) -> float:
        return round(self.scheduled - self.headcount, 6)

    @property
    def short(self) -> int:
        return max(0, math.ceil(round(self.headcount - self.scheduled, 6)))

    @property
    def adjusted(self) -> bool:
        return bool(self.adjustment_ids)


@dataclass(frozen=True)
class GapRange:
    """Consecutive short intervals: from `start` to `end` at most `extra` people more are needed."""

    start: datetime
    end: datetime
    extra: int
    intervals: int
    service_level: float | None  # volume-weighted over the range, with the scheduled agents
    service_level_with_extra: float | None

    @property
    def label(self) -> str:
        return Interval(self.start, self.end).label


@dataclass(frozen=True)
class ScaleUp:
    """The forecast's alert to scale up: the short ranges, and the day's expected service level with
    the scheduled agents and with the extra ones."""

    ranges: tuple[GapRange, ...]
    extra_max: int
    extra_hours: float  # person-hours to add over the day
    service_level: float | None
    service_level_with_extra: float | None

    def __bool__(self) -> bool:
        return bool(self.ranges)


@dataclass(frozen=True)
class DayPlan:
    day: date
    channel: str
    target: Target
    interval_minutes: int
    intervals: tuple[PlanInterval, ...]
    closed: str | None  # why the desk is closed that day ("Koningsdag", "gesloten"), else None
    adjustments: tuple[ForecastAdjustment, ...] = ()
    shifts: tuple[Shift, ...] = ()
    history_days: int = 0
    scale_up: ScaleUp = field(default_factory=lambda: ScaleUp((), 0, 0.0, None, None))

    @property
    def volume(self) -> float:
        return sum(i.volume for i in self.intervals)

    @property
    def aht_seconds(self) -> float | None:
        volume = self.volume
        return sum(i.volume * i.aht_seconds for i in self.intervals) / volume if volume > 0 else None

    @property
    def short_intervals(self) -> list[PlanInterval]:
        return [i for i in self.intervals if i.short > 0]


def _weighted(levels: Sequence[float | None], volumes: Sequence[float]) -> float | None:
    pairs = [(lvl, v) for lvl, v in zip(levels, volumes, strict=True) if lvl is not None and v > 0]
    total = sum(v for _l, v in pairs)
    return sum(lvl * v for lvl, v in pairs) / total if total > 0 else None


def on_line(scheduled: float, shrinkage: float) -> int:
    """The agents on the line when `scheduled` people are paid and `shrinkage` of their time goes."""
    return math.floor(round(scheduled * (1 - shrinkage), 9) + EPSILON)


def service_levels(
    target: Target, volumes: Sequence[float], ahts: Sequence[float], agents: Sequence[int], interval_s: int
) -> list[float | None]:
    """The expected service level per interval with these agents (the offered one under Erlang A:
    answered within the target out of everyone who called). None where nothing is expected."""
    if not volumes:
        return []
    calls, aht, count = np.array(volumes, float), np.array(ahts, float), np.array(agents, np.int64)
    if target.erlang_a:
        metrics_a = erlang_a_metrics_many(
            calls,
            interval_s,
            aht,
            float(target.patience_seconds or 1),
            count,
            target.target_seconds,
            concurrency=target.concurrency,
        )
        levels = metrics_a.service_level_offered
    else:
        metrics_c = erlang_c_metrics_many(
            calls, interval_s, aht, count, target.target_seconds, concurrency=target.concurrency
        )
        levels = metrics_c.service_level
    return [None if v <= 0 else float(level) for v, level in zip(volumes, levels, strict=True)]


def required(
    target: Target, volumes: Sequence[float], ahts: Sequence[float], interval_s: int
) -> tuple[list[int], list[int]]:
    """Agents and headcount per interval to meet the channel's targets (one vectorised search)."""
    if not volumes:
        return [], []
    staffing = required_agents_many(
        np.array(volumes, float),
        interval_s,
        np.array(ahts, float),
        target.target_seconds,
        target.service_level,
        max_occupancy=target.max_occupancy,
        patience_s=target.patience_seconds,
        max_abandon=target.max_abandon if target.erlang_a else None,
        shrinkage=target.shrinkage,
        concurrency=target.concurrency,
    )
    return [int(a) for a in staffing.agents], [int(h) for h in staffing.headcount]


def scheduled_in(interval: Interval, shifts: Sequence[Shift], channel: str) -> float:
    """People scheduled on `channel` in the interval: a shift covering part of it counts in part, a
    person on k channels counts 1/k on each."""
    total = 0.0
    for shift in shifts:
        channels = shift.channel_list
        if channel in channels:
            total += interval.overlap(shift.start, shift.end) / len(channels)
    return round(total, 6)


def _aggregate(
    interval: Interval, quarters: Sequence[QuarterForecast]
) -> tuple[float, float, float, float, tuple[int, ...]]:
    inside = [q for q in quarters if interval.start <= q.start < interval.end]
    volume = sum(q.volume for q in inside)
    base = sum(q.base_volume for q in inside)

    def mean(values: list[tuple[float, float]]) -> float:
        weight = sum(w for w, _a in values)
        if weight > 0:
            return sum(w * a for w, a in values) / weight
        return sum(a for _w, a in values) / len(values)

    aht = mean([(q.volume, q.aht_seconds) for q in inside])
    base_aht = mean([(q.base_volume, q.base_aht_seconds) for q in inside])
    ids = tuple(sorted({i for q in inside for i in q.adjustments}))
    return volume, aht, base, base_aht, ids


def _closed_reason(day: date) -> str | None:
    calendar = default_calendar()
    if calendar.open_intervals(day):
        return None
    return calendar.holiday_name(day) or _("gesloten")


def plan_for(
    day: date,
    channel: str,
    *,
    model: ForecastModel | None = None,
    target: Target | None = None,
    now: datetime | None = None,
) -> DayPlan:
    """The plan of one local day and channel. Pass `model` (a `forecast_model` of the same channel) to
    share one history read between days; `now` marks the intervals already past."""
    now = now or timezone.now()
    target = target or targets_by_channel()[channel]
    minutes = plan_interval_minutes()
    closed = _closed_reason(day)
    adjustments = tuple(adjustments_of_day(channel, day))
    shifts = tuple(shifts_of_day(day, channel=channel))
    if model is None:
        model = forecast_model(channel, min(day, timezone.localdate(now)))
    if closed is not None:
        return DayPlan(day, channel, target, minutes, (), closed, adjustments, shifts, model.history_days)
    quarters = apply_adjustments(model.quarters(day), adjustments)
    opening = default_calendar().open_intervals(day)
    slots = [i for i in day_intervals(day, minutes) if any(i.overlap(a, b) > 0 for a, b in opening)]
    sums = [_aggregate(slot, quarters) for slot in slots]
    volumes = [s[0] for s in sums]
    ahts = [max(1.0, s[1]) for s in sums]
    interval_s = minutes * 60
    agents, headcounts = required(target, volumes, ahts, interval_s)
    scheduled = [scheduled_in(slot, shifts, channel) for slot in slots]
    lines = [on_line(s, target.shrinkage) for s in scheduled]
    extra = [max(0, math.ceil(round(h - s, 6))) for h, s in zip(headcounts, scheduled, strict=True)]
    with_extra = [on_line(s + e, target.shrinkage) for s, e in zip(scheduled, extra, strict=True)]
    levels = service_levels(target, volumes, ahts, lines, interval_s)
    levels_extra = service_levels(target, volumes, ahts, with_extra, interval_s)
    intervals = tuple(
        PlanInterval(
            start=slot.start,
            end=slot.end,
            label=slot.label,
            volume=round(volumes[i], 3),
            aht_seconds=round(ahts[i], 1),
            base_volume=round(sums[i][2], 3),
            base_aht_seconds=round(max(1.0, sums[i][3]), 1),
            adjustment_ids=sums[i][4],
            agents=agents[i],
            headcount=headcounts[i],
            scheduled=scheduled[i],
            on_line=lines[i],
            service_level=levels[i],
            service_level_with_extra=levels_extra[i],
            past=slot.end <= now,
        )
        for i, slot in enumerate(slots)
    )
    return DayPlan(
        day,
        channel,
        target,
        minutes,
        intervals,
        None,
        adjustments,
        shifts,
        model.history_days,
        scale_up(intervals),
    )


def scale_up(intervals: Sequence[PlanInterval]) -> ScaleUp:
    """Merge the short intervals into ranges, with the extra people and the service levels."""
    ranges: list[GapRange] = []
    run: list[PlanInterval] = []

    def close() -> None:
        if run:
            volumes = [i.volume for i in run]
            ranges.append(
                GapRange(
                    run[0].start,
                    run[-1].end,
                    max(i.short for i in run),
                    len(run),
                    _weighted([i.service_level for i in run], volumes),
                    _weighted([i.service_level_with_extra for i in run], volumes),
                )
            )
            run.clear()

    for interval in intervals:
        if interval.short > 0 and (not run or run[-1].end == interval.start):
            run.append(interval)
        else:
            close()
            if interval.short > 0:
                run.append(interval)
    close()
    volumes = [i.volume for i in intervals]
    return ScaleUp(
        ranges=tuple(ranges),
        extra_max=max((r.extra for r in ranges), default=0),
        extra_hours=round(sum(i.short * (i.end - i.start).total_seconds() / 3600 for i in intervals), 2),
        service_level=_weighted([i.service_level for i in intervals], volumes),
        service_level_with_extra=_weighted(
            [i.service_level_with_extra if i.short else i.service_level for i in intervals], volumes
        ),
    )


def plans_for_days(days: Sequence[date], channel: str, *, now: datetime | None = None) -> list[DayPlan]:
    """Plans of several days of one channel; days from today on share one history read."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    target = targets_by_channel()[channel]
    shared = forecast_model(channel, today) if any(d >= today for d in days) else None
    return [plan_for(d, channel, model=shared if d >= today else None, target=target, now=now) for d in days]


def day_range(day: date) -> tuple[datetime, datetime]:
    return day_bounds(day)
