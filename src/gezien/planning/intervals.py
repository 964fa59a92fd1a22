"""Time in the plan: quarters of an hour (how history is kept) and plan intervals of 15, 30 or 60
minutes (`GEZIEN_PLAN_INTERVAL_MINUTES`) on a local day, DST-correct (a day has 92, 96 or 100 quarters).

Every moment here is aware. Amsterdam's offsets are whole hours, so a quarter that starts on a
quarter in UTC starts on a quarter in local time too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

QUARTER = timedelta(minutes=15)
QUARTER_SECONDS = 900
ALLOWED_INTERVALS = (15, 30, 60)
UTC = ZoneInfo("UTC")


def plan_interval_minutes() -> int:
    """The plan's interval length in minutes (15, 30 or 60; default 30)."""
    minutes = getattr(settings, "GEZIEN_PLAN_INTERVAL_MINUTES", 30)
    if minutes not in ALLOWED_INTERVALS:
        raise ImproperlyConfigured(f"GEZIEN_PLAN_INTERVAL_MINUTES={minutes!r}: use 15, 30 or 60")
    return int(minutes)


def local_tz() -> ZoneInfo:
    tz = timezone.get_default_timezone()
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(str(tz))


def day_start(day: date) -> datetime:
    """Local midnight of `day`, as an aware UTC moment."""
    return datetime.combine(day, time(0), tzinfo=local_tz()).astimezone(UTC)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    return day_start(day), day_start(day + timedelta(days=1))


def local_day(moment: datetime) -> date:
    return moment.astimezone(local_tz()).date()


def quarter_floor(moment: datetime) -> datetime:
    """The start of the quarter `moment` falls in (UTC)."""
    utc = moment.astimezone(UTC)
    return utc.replace(minute=utc.minute - utc.minute % 15, second=0, microsecond=0)


def is_quarter(moment: datetime) -> bool:
    return quarter_floor(moment) == moment.astimezone(UTC)


def wall_quarter(moment: datetime) -> int:
    """Which quarter of its local day a moment is in by the clock on the wall (0..95): the same
    number on every day, so that Mondays line up across a DST change."""
    local = moment.astimezone(local_tz())
    return local.hour * 4 + local.minute // 15


def quarters(start: datetime, end: datetime) -> list[datetime]:
    """The quarter starts in [start, end) (start is floored to a quarter)."""
    out = []
    at = quarter_floor(start)
    end = end.astimezone(UTC)
    while at < end:
        out.append(at)
        at += QUARTER
    return out


@dataclass(frozen=True)
class Interval:
    """One plan interval [start, end) (aware, UTC) of a local day."""

    start: datetime
    end: datetime

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())

    @property
    def label(self) -> str:
        tz = local_tz()
        return f"{self.start.astimezone(tz):%H:%M}–{self.end.astimezone(tz):%H:%M}"

    def overlap(self, start: datetime, end: datetime) -> float:
        """The share of this interval that [start, end) covers (0..1)."""
        seconds = (min(self.end, end) - max(self.start, start)).total_seconds()
        return max(0.0, seconds) / self.seconds


def day_intervals(day: date, minutes: int | None = None) -> list[Interval]:
    """Every plan interval of a local day, midnight to midnight."""
    step = timedelta(minutes=minutes or plan_interval_minutes())
    start, end = day_bounds(day)
    out = []
    while start < end:
        out.append(Interval(start, min(start + step, end)))
        start += step
    return out


def open_intervals(
    day: date, opening: list[tuple[datetime, datetime]], minutes: int | None = None
) -> list[Interval]:
    """The plan intervals of `day` that overlap its opening hours."""
    return [i for i in day_intervals(day, minutes) if any(i.overlap(a, b) > 0 for a, b in opening)]
