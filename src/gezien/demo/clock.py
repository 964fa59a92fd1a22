"""Time for the demo: Europe/Amsterdam, opening hours and Dutch dates (pure Python, no database)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from gezien.core.calendar import WorkCalendar

AMS = ZoneInfo("Europe/Amsterdam")

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def dutch_date(d: date) -> str:
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}"


def euro(amount: float) -> str:
    return "€ " + f"{amount:.2f}".replace(".", ",")


def local_time(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=AMS)


def skip_sunday(d: date) -> date:
    return d + timedelta(days=1) if d.weekday() == 6 else d


def add_workdays(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def next_open(dt: datetime) -> datetime:
    """The first moment at or after `dt` that the desk is staffed (Mon-Fri 08-21, Sat 09-17)."""
    day = dt.date()
    for _ in range(8):
        wd = day.weekday()
        if wd < 5:
            start, end = local_time(day, 8), local_time(day, 21)
        elif wd == 5:
            start, end = local_time(day, 9), local_time(day, 17)
        else:
            day += timedelta(days=1)
            continue
        if dt < end:
            return max(dt, start)
        day += timedelta(days=1)
    return dt


STAFFED_HOURS = "ma-vr 08:00-21:00; za 09:00-17:00"  # next_open's hours


def last_staffed(dt: datetime) -> datetime:
    """`dt` when the desk is staffed then (next_open's hours, and not on a Dutch holiday); else the end
    of the last staffed hours before it: nobody answers or closes a contact while the desk is closed."""
    calendar = _staffed_calendar()
    if calendar.open_since(dt) is not None:
        return dt
    return calendar.last_closing(dt) or dt


@cache
def _staffed_calendar() -> WorkCalendar:
    return WorkCalendar.parse(STAFFED_HOURS)


def normalise_now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(AMS).replace(second=0, microsecond=0)
    if now.tzinfo is None:
        return now.replace(tzinfo=AMS)
    return now.astimezone(AMS)
