"""Interval history for the planning tests: a call centre's pattern imported as a telephony
platform's interval export would be."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gezien.core.calendar import default_calendar
from gezien.planning.history import ImportRow, history_import

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 11, 23)  # no holidays in the eight weeks before
# Contacts per quarter by weekday (Mon..Sat) and hour: a Monday-morning peak, a quiet Friday afternoon.
DAY_LEVEL = {0: 2.0, 1: 1.5, 2: 1.4, 3: 1.4, 4: 1.2, 5: 1.0}


def shape(weekday: int, hour: int) -> float:
    if weekday == 4 and hour >= 14:
        return 2.0
    return {8: 4.0, 9: 10.0, 10: 9.0, 11: 7.0}.get(hour, 5.0)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMS)


def pattern_rows(
    channel: str,
    days: Iterable[date],
    volume: Callable[[date, int, int], float],
    aht: float = 300.0,
) -> list[ImportRow]:
    """One 15-minute row per open quarter of each day (by the desk's opening hours)."""
    calendar = default_calendar()
    rows = []
    for day in days:
        for start, end in calendar.open_intervals(day):
            moment = start
            while moment < end:
                local = moment.astimezone(AMS)
                rows.append(
                    ImportRow(channel, moment, 15, volume(day, local.hour, local.minute), aht_seconds=aht)
                )
                moment += timedelta(minutes=15)
    return rows


def weeks_before(day: date, weeks: int = 8) -> list[date]:
    return [day - timedelta(days=n) for n in range(weeks * 7, 0, -1)]


def flat_pattern(day: date, hour: int, minute: int) -> float:
    return DAY_LEVEL[day.weekday()] * shape(day.weekday(), hour)


def import_pattern(channel: str = "phone", as_of: date = MONDAY, weeks: int = 8, **kwargs: object) -> int:
    volume = kwargs.pop("volume", flat_pattern)
    return history_import(rows=pattern_rows(channel, weeks_before(as_of, weeks), volume, **kwargs))  # type: ignore[arg-type]


NOW = datetime(2026, 11, 23, 7, 0, tzinfo=AMS)  # the Monday morning before opening
