"""The forecast: contacts and handling time per channel per quarter of an hour, learnt from the
interval history of the weeks before (`GEZIEN_PLAN_HISTORY_WEEKS`, default 8), then edited by the
team lead. How, in short (docs/workforce-planning.md says why):

1. History days are the days before `as_of` (today, or the day itself for a day in the past) that the
   desk was open: Sundays, closed days and Dutch holidays are left out, and so are days without data.
2. Weekday index: each weekday's mean day total over the mean of all weekdays.
3. Level and trend: each day's total divided by its weekday index is the level of that day; a straight
   line through those levels (least squares) gives the trend, which is extrapolated to the forecast
   day but kept within ±25 % of the mean level (a trend is a drift, not a forecast of a storm).
4. Day total = level on that day × its weekday index; spread over the open quarters by that weekday's
   shape in the history (the share of each quarter of the day). Closed days, hours outside opening
   hours and holidays get no volume.
5. Handling time per quarter: the history's handling time of that weekday and quarter, shrunk
   towards the weekday's (and the weekday's towards the channel's) when there are few contacts.
6. Edits: a volume or handling-time override replaces, a percentage multiplies (after overrides).

Reading the history is one query over one channel's quarters of the window (at most ~8 × 7 × 96
rows), whatever the length of the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings

from gezien.core.calendar import WorkCalendar, default_calendar
from gezien.planning.history import history_catch_up
from gezien.planning.intervals import QUARTER, day_bounds, local_day, quarters, wall_quarter
from gezien.planning.models import AdjustmentKind, ForecastAdjustment, Source, VolumeInterval

TREND_CAP = 0.25  # the trend moves the level by at most this share of the mean level
TREND_MIN_DAYS = 21  # a trend needs history spanning three weeks
SMOOTHING = 5.0  # contacts' worth of prior when a quarter's handling time is estimated from few
# Handling time when a channel has no history at all (seconds).
DEFAULT_AHT = {"phone": 300.0, "chat": 480.0, "email": 360.0, "webform": 360.0}


def history_weeks() -> int:
    return max(1, int(getattr(settings, "GEZIEN_PLAN_HISTORY_WEEKS", 8)))


@dataclass(frozen=True)
class QuarterForecast:
    """One quarter of the forecast: `volume` and `aht_seconds` after edits, `base_*` before."""

    start: datetime
    base_volume: float
    base_aht_seconds: float
    volume: float
    aht_seconds: float
    adjustments: tuple[int, ...] = ()  # ids of the edits that changed this quarter

    @property
    def end(self) -> datetime:
        return self.start + QUARTER


@dataclass(frozen=True)
class DayHistory:
    day: date
    total: float
    offered: dict[int, float]  # wall quarter -> offered
    handled: dict[int, tuple[float, float]]  # wall quarter -> (handled, handled seconds)


def read_history(channel: str, as_of: date, weeks: int, calendar: WorkCalendar) -> list[DayHistory]:
    """The open, non-holiday days with data in the `weeks` before `as_of`, per wall-clock quarter.
    Where a day has imported data, only the import counts for that day."""
    lo, _ = day_bounds(as_of - timedelta(weeks=weeks))
    hi, _ = day_bounds(as_of)
    rows = VolumeInterval.objects.filter(channel=channel, start__gte=lo, start__lt=hi).values_list(
        "start", "source", "offered", "handled", "handled_seconds"
    )
    by_source: dict[tuple[date, str], list[tuple[int, float, float, float]]] = defaultdict(list)
    for at, source, o, h, s in rows:
        by_source[(local_day(at), source)].append((wall_quarter(at), o, h, s))
    days = sorted({d for d, _s in by_source})
    out = []
    for d in days:
        if not calendar.is_working_day(d):
            continue
        items = by_source.get((d, Source.IMPORT)) or by_source.get((d, Source.CONTACTS), [])
        offered: dict[int, float] = defaultdict(float)
        handled: dict[int, tuple[float, float]] = {}
        for q, o, h, secs in items:
            offered[q] += o
            n0, s0 = handled.get(q, (0.0, 0.0))
            handled[q] = (n0 + h, s0 + secs)
        out.append(DayHistory(d, sum(offered.values()), dict(offered), handled))
    return out


def _smoothed(seconds: float, n: float, prior: float) -> float:
    return (seconds + SMOOTHING * prior) / (n + SMOOTHING)


@dataclass(frozen=True)
class ForecastModel:
    """What the history says about one channel, learnt once and asked for any day after `as_of`."""

    channel: str
    as_of: date
    history_days: int
    weekday_index: tuple[float | None, ...]  # None: no history for that weekday
    level_mean: float
    level_x: float  # mean day offset (negative: days before as_of) of the history
    slope: float  # level change per day
    profiles: tuple[dict[int, float], ...]  # per weekday: wall quarter -> share of the day
    handled: tuple[dict[int, tuple[float, float]], ...]  # per weekday: quarter -> (n, seconds)
    aht_weekday: tuple[float, ...]
    aht_channel: float
    calendar: WorkCalendar = field(repr=False, compare=False)

    def level(self, day: date) -> float:
        x = (day - self.as_of).days
        level = self.level_mean + self.slope * (x - self.level_x)
        low, high = self.level_mean * (1 - TREND_CAP), self.level_mean * (1 + TREND_CAP)
        return min(max(level, low), high)

    def day_total(self, day: date) -> float:
        """Contacts expected on `day` before edits (0 on a closed day or a holiday)."""
        index = self.weekday_index[day.weekday()]
        if index is None or not self.calendar.is_working_day(day):
            return 0.0
        return max(0.0, self.level(day) * index)

    def quarters(self, day: date) -> list[QuarterForecast]:
        """The open quarters of `day` with the expected volume and handling time (before edits)."""
        opening = self.calendar.open_intervals(day)
        if not opening:
            return []
        start, end = day_bounds(day)
        open_quarters = [
            q for q in quarters(start, end) if any(q < b and q + QUARTER > a for a, b in opening)
        ]
        weekday = day.weekday()
        profile = self.profiles[weekday]
        weights = [profile.get(wall_quarter(q), 0.0) for q in open_quarters]
        total_weight = sum(weights)
        if total_weight <= 0:  # history without a shape for these hours: spread evenly
            weights, total_weight = [1.0] * len(open_quarters), float(len(open_quarters))
        volume = self.day_total(day)
        out = []
        for q, weight in zip(open_quarters, weights, strict=True):
            n, seconds = self.handled[weekday].get(wall_quarter(q), (0.0, 0.0))
            aht = _smoothed(seconds, n, self.aht_weekday[weekday])
            share = volume * weight / total_weight
            out.append(QuarterForecast(q, share, aht, share, aht))
        return out


def fit(channel: str, history: Sequence[DayHistory], as_of: date, calendar: WorkCalendar) -> ForecastModel:
    """Learn weekday index, level, trend, daily shapes and handling times from the history days."""
    totals_by_weekday: dict[int, list[float]] = defaultdict(list)
    for h in history:
        totals_by_weekday[h.day.weekday()].append(h.total)
    means = {w: sum(t) / len(t) for w, t in totals_by_weekday.items()}
    overall = sum(means.values()) / len(means) if means else 0.0
    index: list[float | None] = [
        (means[w] / overall if overall > 0 else 0.0) if w in means else None for w in range(7)
    ]
    points = []
    for h in history:
        weight = index[h.day.weekday()]
        if weight:
            points.append(((h.day - as_of).days, h.total / weight))
    level_mean = sum(level for _x, level in points) / len(points) if points else 0.0
    level_x = sum(x for x, _level in points) / len(points) if points else 0.0
    slope = 0.0
    if points and max(x for x, _l in points) - min(x for x, _l in points) >= TREND_MIN_DAYS:
        sxx = sum((x - level_x) ** 2 for x, _l in points)
        sxy = sum((x - level_x) * (level - level_mean) for x, level in points)
        slope = sxy / sxx if sxx else 0.0
    profiles: list[dict[int, float]] = []
    handled: list[dict[int, tuple[float, float]]] = []
    for w in range(7):
        days = [h for h in history if h.day.weekday() == w]
        day_sum = sum(h.total for h in days)
        shape: dict[int, float] = defaultdict(float)
        times: dict[int, tuple[float, float]] = {}
        for h in days:
            for q, offered in h.offered.items():
                shape[q] += offered / day_sum if day_sum > 0 else 0.0
            for q, (n, seconds) in h.handled.items():
                n0, s0 = times.get(q, (0.0, 0.0))
                times[q] = (n0 + n, s0 + seconds)
        profiles.append(dict(shape))
        handled.append(times)
    n_all = sum(n for times in handled for n, _s in times.values())
    s_all = sum(s for times in handled for _n, s in times.values())
    aht_channel = _smoothed(s_all, n_all, DEFAULT_AHT.get(channel, 300.0))
    aht_weekday = tuple(
        _smoothed(
            sum(s for _n, s in handled[w].values()), sum(n for n, _s in handled[w].values()), aht_channel
        )
        for w in range(7)
    )
    return ForecastModel(
        channel=channel,
        as_of=as_of,
        history_days=len(history),
        weekday_index=tuple(index),
        level_mean=level_mean,
        level_x=level_x,
        slope=slope,
        profiles=tuple(profiles),
        handled=tuple(handled),
        aht_weekday=aht_weekday,
        aht_channel=aht_channel,
        calendar=calendar,
    )


def forecast_model(channel: str, as_of: date, *, weeks: int | None = None) -> ForecastModel:
    """Learn the forecast of a channel from the history before `as_of` (one query, after counting the
    days whose contacts changed)."""
    history_catch_up()
    calendar = default_calendar()
    weeks = weeks or history_weeks()
    return fit(channel, read_history(channel, as_of, weeks, calendar), as_of, calendar)


def apply_adjustments(
    base: Sequence[QuarterForecast], adjustments: Iterable[ForecastAdjustment]
) -> list[QuarterForecast]:
    """The quarters after the team lead's edits, in the order they were made: a volume override spreads
    its number over the open quarters of its range by the forecast's own shape (evenly where that is
    zero) and replaces them, a handling-time override replaces, and percentages multiply afterwards."""
    volume = [q.base_volume for q in base]
    aht = [q.base_aht_seconds for q in base]
    touched: list[list[int]] = [[] for _q in base]
    percents: list[ForecastAdjustment] = []
    for adjustment in adjustments:
        inside = [i for i, q in enumerate(base) if adjustment.start <= q.start < adjustment.end]
        if not inside:
            continue
        if adjustment.kind == AdjustmentKind.PERCENT:
            percents.append(adjustment)
            continue
        if adjustment.kind == AdjustmentKind.AHT:
            for i in inside:
                aht[i] = adjustment.value
        else:
            shape = [base[i].base_volume for i in inside]
            weight = sum(shape)
            for i, part in zip(inside, shape, strict=True):
                volume[i] = adjustment.value * (part / weight if weight > 0 else 1 / len(inside))
        for i in inside:
            touched[i].append(adjustment.pk)
    for adjustment in percents:
        for i, q in enumerate(base):
            if adjustment.start <= q.start < adjustment.end:
                volume[i] *= max(0.0, 1 + adjustment.value / 100)
                touched[i].append(adjustment.pk)
    return [
        QuarterForecast(q.start, q.base_volume, q.base_aht_seconds, volume[i], aht[i], tuple(touched[i]))
        for i, q in enumerate(base)
    ]
