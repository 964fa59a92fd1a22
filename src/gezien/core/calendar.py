"""Working days and opening hours (Europe/Amsterdam, Dutch public holidays).

Service levels count their targets in opening hours, honest resolution counts "N werkdagen": both use
one `WorkCalendar`. It is pure Python (no Django) apart from `default_calendar()`, the calendar of the
organisation: its opening hours, optional holidays and own days come from the desk's settings
(`gezien.desksettings`, which registers itself with `calendar_settings_from`; their defaults are
`GEZIEN_OPENING_HOURS` and `GEZIEN_HOLIDAYS_EXTRA`), and one calendar is made per distinct value.

Own days (`days_off`: Kerstavond, a company day) are closed or have shorter hours; a day with hours of its
own is open those hours even when it is a public holiday.

Holidays come from the `holidays` package (categories PUBLIC and OPTIONAL). Two Dutch days are a
choice of the organisation rather than a fixed day off, whatever category the installed package puts
them in (in holidays 0.109 Goede Vrijdag is PUBLIC, Bevrijdingsdag is PUBLIC in lustrum years and
OPTIONAL otherwise), so they are recognised by date and only count when named in `extra`:

- ``goede_vrijdag``: Good Friday (Easter Sunday − 2 days);
- ``bevrijdingsdag``: 5 May, every year;
- ``bevrijdingsdag_lustrum``: 5 May in lustrum years only (2025, 2030, ...).

Every other day the package lists as PUBLIC (Nieuwjaarsdag, Pasen, Koningsdag, Hemelvaartsdag,
Pinksteren, Kerst) always counts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from dateutil.easter import easter

DAY_SECONDS = 86_400
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
OPTIONAL_DAYS = ("goede_vrijdag", "bevrijdingsdag", "bevrijdingsdag_lustrum")
DEFAULT_OPENING_HOURS = "ma-vr 08:00-18:00; za 09:00-13:00"
DEFAULT_HOLIDAYS_EXTRA = "bevrijdingsdag"

Slot = tuple[int, int]  # seconds since local midnight, [start, end), end may be 86400 (24:00)
OwnDay = tuple[date, str, tuple[Slot, ...]]  # a day of the organisation's own: name, hours (none: closed)


class CalendarError(ValueError):
    """Opening hours or holiday options the calendar cannot use."""


@dataclass(frozen=True)
class WorkCalendar:
    """Opening hours per weekday (Monday first) and which optional holidays count.

    Moments are counted in whole microseconds since the epoch (exact integer arithmetic, DST-correct
    since each day's opening hours are turned into UTC once); each day's intervals and each year's
    holidays are kept per calendar, so a timer costs a few dictionary reads per day it spans."""

    hours: tuple[tuple[Slot, ...], ...]
    extra: frozenset[str] = frozenset({"bevrijdingsdag"})
    tz_name: str = "Europe/Amsterdam"
    days_off: tuple[OwnDay, ...] = ()
    tz: ZoneInfo = field(init=False, repr=False, compare=False)
    _own: dict[date, OwnDay] = field(init=False, repr=False, compare=False, default_factory=dict)
    _days: dict[date, tuple[tuple[int, int], ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _years: dict[int, dict[date, str]] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.hours) != 7:
            raise CalendarError("opening hours need seven weekdays")
        if not any(self.hours):
            raise CalendarError("opening hours open on no day of the week")
        unknown = set(self.extra) - set(OPTIONAL_DAYS)
        if unknown:
            raise CalendarError(f"unknown optional holiday(s): {', '.join(sorted(unknown))}")
        for slots in self.hours:
            _check_slots(slots)
        for own in self.days_off:
            _check_slots(own[2])
            self._own[own[0]] = own
        object.__setattr__(self, "tz", ZoneInfo(self.tz_name))

    @classmethod
    def parse(cls, opening_hours: str, extra: str = DEFAULT_HOLIDAYS_EXTRA) -> WorkCalendar:
        """A calendar from "ma-vr 08:00-18:00; za 09:00-13:00" and "goede_vrijdag,bevrijdingsdag"."""
        return cls(hours=parse_opening_hours(opening_hours), extra=parse_extra(extra))

    # --- days -------------------------------------------------------------------------------------

    def _holidays_of(self, year: int) -> dict[date, str]:
        found = self._years.get(year)
        if found is None:
            found = dict(_holidays(year, self.extra))
            for day, name, slots in self.days_off:
                if day.year != year:
                    continue
                if slots:  # open (shorter) that day, whatever the public calendar says
                    found.pop(day, None)
                else:
                    found[day] = name
            self._years[year] = found
        return found

    def holiday_name(self, d: date) -> str | None:
        """The Dutch name of the holiday on `d` when it counts for this calendar, else None."""
        return self._holidays_of(d.year).get(d)

    def is_working_day(self, d: date) -> bool:
        own = self._own.get(d)
        if own is not None:
            return bool(own[2])
        return bool(self.hours[d.weekday()]) and d not in self._holidays_of(d.year)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after `d` (`d` itself when n is 0)."""
        if n < 0:
            raise ValueError("n must be 0 or more")
        day = d
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days in (a, b]; 0 when b is not after a."""
        if b <= a:
            return 0
        span = (b - a).days
        open_days = [bool(slots) for slots in self.hours]
        weeks, rest = divmod(span, 7)
        count = weeks * sum(open_days)
        count += sum(open_days[(a.weekday() + i) % 7] for i in range(1, rest + 1))
        for year in range(a.year, b.year + 1):
            for day in self._holidays_of(year):
                if a < day <= b and open_days[day.weekday()]:
                    count -= 1
        for day, _name, slots in self.days_off:  # an own day open on a weekday that is otherwise closed
            if a < day <= b and slots and not open_days[day.weekday()]:
                count += 1
        return count

    # --- opening hours ----------------------------------------------------------------------------

    def _intervals(self, d: date) -> tuple[tuple[int, int], ...]:
        """The opening hours of local day `d` in epoch microseconds."""
        found = self._days.get(d)
        if found is None:
            if len(self._days) > 50_000:  # a process reading centuries of dates: start afresh
                self._days.clear()
            found = self._days[d] = _day_intervals(self, d)
        return found

    def open_intervals(self, d: date) -> list[tuple[datetime, datetime]]:
        """The opening hours of local day `d` as aware intervals (DST-correct)."""
        return [(self._moment(lo), self._moment(hi)) for lo, hi in self._intervals(d)]

    def open_since(self, moment: datetime) -> datetime | None:
        """When the opening hours that hold `moment` began; None when the desk is closed then."""
        m = _micros(moment)
        for lo, hi in self._intervals(moment.astimezone(self.tz).date()):
            if lo <= m < hi:
                return self._moment(lo)
        return None

    def last_closing(self, moment: datetime) -> datetime | None:
        """The end of the last opening hours that ended at or before `moment` (within a year)."""
        m = _micros(moment)
        day = moment.astimezone(self.tz).date()
        for _ in range(366):
            ends = [hi for _lo, hi in self._intervals(day) if hi <= m]
            if ends:
                return self._moment(max(ends))
            day -= ONE_DAY
        return None

    def next_opening(self, moment: datetime) -> datetime | None:
        """The start of the first opening hours after `moment` (within a year)."""
        m = _micros(moment)
        day = moment.astimezone(self.tz).date()
        for _ in range(366):
            starts = [lo for lo, _hi in self._intervals(day) if lo > m]
            if starts:
                return self._moment(min(starts))
            day += ONE_DAY
        return None

    def _moment(self, micros: int) -> datetime:
        return (EPOCH + timedelta(microseconds=micros)).astimezone(self.tz)

    def business_seconds(self, start: datetime, end: datetime) -> int:
        """Whole seconds of opening hours between two aware moments (0 when end is not after start)."""
        a, b = _micros(start), _micros(end)
        if b <= a:
            return 0
        total = 0
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            for lo, hi in self._intervals(day):
                if hi > a and lo < b:
                    total += min(hi, b) - max(lo, a)
            day += ONE_DAY
        return total // MICRO

    def add_business_seconds(self, start: datetime, seconds: int) -> datetime:
        """The moment when `seconds` of opening hours have passed since `start` (the deadline), in the
        calendar's time zone."""
        a = _micros(start)
        if seconds < 0:
            raise ValueError("seconds must be 0 or more")
        if seconds == 0:
            return start
        left = seconds * MICRO
        day = start.astimezone(self.tz).date()
        while True:
            for lo, hi in self._intervals(day):
                if hi <= a:
                    continue
                lo = max(lo, a)
                if left <= hi - lo:
                    return self._moment(lo + left)
                left -= hi - lo
            day += ONE_DAY


UTC = ZoneInfo("UTC")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICRO = 1_000_000
_ONE_MICRO = timedelta(microseconds=1)
ONE_DAY = timedelta(days=1)


def _micros(moment: datetime) -> int:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the calendar needs aware datetimes")
    return (moment - EPOCH) // _ONE_MICRO


def _day_intervals(calendar: WorkCalendar, d: date) -> tuple[tuple[int, int], ...]:
    if not calendar.is_working_day(d):
        return ()
    out = []
    own = calendar._own.get(d)
    for start, end in own[2] if own is not None else calendar.hours[d.weekday()]:
        lo = _micros(_local(d, start, calendar.tz))
        hi = _micros(_local(d, end, calendar.tz))
        if hi > lo:
            out.append((lo, hi))
    return tuple(out)


def _local(d: date, second: int, tz: ZoneInfo) -> datetime:
    if second >= DAY_SECONDS:
        d, second = d + ONE_DAY, second - DAY_SECONDS
    hour, rest = divmod(second, 3600)
    # A wall time that does not exist (02:30 on the spring night) is read with the winter offset,
    # i.e. it lands after the jump.
    return datetime.combine(d, time(hour, rest // 60, rest % 60), tzinfo=tz)


@functools.lru_cache(maxsize=256)
def _holidays(year: int, extra: frozenset[str]) -> dict[date, str]:
    listed = holidays.country_holidays(
        "NL", years=year, categories=(holidays.PUBLIC, holidays.OPTIONAL), language="nl"
    )
    good_friday = easter(year) - timedelta(days=2)
    liberation = date(year, 5, 5)
    out: dict[date, str] = {}
    for day, name in listed.items():
        if day == good_friday:
            if "goede_vrijdag" not in extra:
                continue
        elif day == liberation:
            lustrum = year % 5 == 0
            if "bevrijdingsdag" not in extra and not (lustrum and "bevrijdingsdag_lustrum" in extra):
                continue
        elif day.year != year:
            continue
        out[day] = _clean(name)
    if "goede_vrijdag" in extra and good_friday not in out:
        out[good_friday] = "Goede vrijdag"
    if liberation not in out and (
        "bevrijdingsdag" in extra or (year % 5 == 0 and "bevrijdingsdag_lustrum" in extra)
    ):
        out[liberation] = "Bevrijdingsdag"
    return out


def _clean(name: str) -> str:
    # The package joins two holidays on one day with "; " (rare; keep both).
    return name.strip()


# --- parsing the settings ---------------------------------------------------------------------------

_TIME = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


def parse_opening_hours(text: str) -> tuple[tuple[Slot, ...], ...]:
    """Parse "ma-vr 08:00-18:00; za 09:00-13:00" (groups by ";", days "ma-vr" or "ma,wo", slots
    "08:00-12:00,13:00-17:00"). A day named twice, an overlap or a slot ending before it starts is an
    error; days not named are closed."""
    days: list[list[Slot] | None] = [None] * 7
    groups = [g.strip() for g in text.split(";") if g.strip()]
    if not groups:
        raise CalendarError("opening hours are empty")
    for group in groups:
        parts = group.split(None, 1)
        if len(parts) != 2:
            raise CalendarError(f"{group!r}: expected days and times, e.g. 'ma-vr 08:00-18:00'")
        weekdays = _parse_days(parts[0])
        slots = tuple(sorted(_parse_slot(s) for s in parts[1].split(",") if s.strip()))
        if not slots:
            raise CalendarError(f"{group!r}: no times")
        _check_slots(slots)
        for weekday in weekdays:
            if days[weekday] is not None:
                raise CalendarError(f"{WEEKDAYS[weekday]} is named twice in the opening hours")
            days[weekday] = list(slots)
    return tuple(tuple(slots or ()) for slots in days)


def _parse_days(text: str) -> list[int]:
    out: list[int] = []
    for item in text.lower().split(","):
        item = item.strip()
        if "-" in item:
            first, _, last = item.partition("-")
            lo, hi = _weekday(first), _weekday(last)
            if hi < lo:
                raise CalendarError(f"{item!r}: the range runs backwards")
            out.extend(range(lo, hi + 1))
        else:
            out.append(_weekday(item))
    return out


def _weekday(text: str) -> int:
    text = text.strip()
    if text not in WEEKDAYS:
        raise CalendarError(f"{text!r} is not a weekday (use {' '.join(WEEKDAYS)})")
    return WEEKDAYS.index(text)


def _parse_slot(text: str) -> Slot:
    start, sep, end = text.strip().partition("-")
    if not sep:
        raise CalendarError(f"{text.strip()!r}: expected a time range like 08:00-18:00")
    return _parse_time(start), _parse_time(end)


def _parse_time(text: str) -> int:
    match = _TIME.match(text.strip())
    if not match:
        raise CalendarError(f"{text.strip()!r} is not a time (HH:MM)")
    seconds = int(match[1]) * 3600 + int(match[2]) * 60
    if seconds > DAY_SECONDS:
        raise CalendarError(f"{text.strip()!r} is after 24:00")
    return seconds


def _check_slots(slots: tuple[Slot, ...]) -> None:
    previous_end = -1
    for start, end in sorted(slots):
        if not 0 <= start < end <= DAY_SECONDS:
            raise CalendarError(f"{_hhmm(start)}-{_hhmm(end)}: the end must come after the start")
        if start < previous_end:
            raise CalendarError(f"{_hhmm(start)}-{_hhmm(end)} overlaps another time slot")
        previous_end = end


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def parse_extra(text: str) -> frozenset[str]:
    """Which optional holidays count: "goede_vrijdag,bevrijdingsdag"; "" or "geen" for none."""
    names = {n.strip().lower().replace("-", "_") for n in text.split(",") if n.strip()}
    names.discard("geen")
    unknown = names - set(OPTIONAL_DAYS)
    if unknown:
        raise CalendarError(
            f"unknown optional holiday(s) {', '.join(sorted(unknown))}; use {', '.join(OPTIONAL_DAYS)}"
        )
    return frozenset(names)


def format_opening_hours(calendar: WorkCalendar) -> list[tuple[str, str]]:
    """(weekday, "08:00-18:00") pairs for display; closed days say "gesloten"."""
    return [
        (WEEKDAYS[i], ", ".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in slots) or "gesloten")
        for i, slots in enumerate(calendar.hours)
    ]


# --- the process's calendar -------------------------------------------------------------------------


CalendarSettings = tuple[str, str, tuple[tuple[date, str, str], ...]]
_settings_from: list[Callable[[], CalendarSettings]] = []


def calendar_settings_from(source: Callable[[], CalendarSettings]) -> None:
    """Where `default_calendar` reads the opening hours ("ma 08:00-18:00; ..."), the optional holidays
    ("bevrijdingsdag") and the organisation's own days ((date, name, "09:00-14:00" or "")) from: the
    desk's settings register themselves here (`gezien.desksettings`)."""
    _settings_from[:] = [source]


class _DefaultCalendar:
    """`default_calendar()`: the organisation's calendar, one per distinct setting (see the module);
    `default_calendar.cache_clear()` forgets the calendars made."""

    def __call__(self) -> WorkCalendar:
        from django.conf import settings

        if not _settings_from:
            return environment_calendar()
        hours, extra, own = _settings_from[0]()
        return _calendar(hours, extra, own, getattr(settings, "TIME_ZONE", None) or "Europe/Amsterdam")

    def cache_clear(self) -> None:
        _calendar.cache_clear()


default_calendar = _DefaultCalendar()


def environment_calendar() -> WorkCalendar:
    """The calendar from the Django settings alone (GEZIEN_OPENING_HOURS, GEZIEN_HOLIDAYS_EXTRA): the
    defaults, checked at startup without asking the database."""
    from django.conf import settings

    hours = getattr(settings, "GEZIEN_OPENING_HOURS", DEFAULT_OPENING_HOURS)
    extra = getattr(settings, "GEZIEN_HOLIDAYS_EXTRA", DEFAULT_HOLIDAYS_EXTRA)
    return _calendar(hours, extra, (), getattr(settings, "TIME_ZONE", None) or "Europe/Amsterdam")


@functools.lru_cache(maxsize=16)
def _calendar(hours: str, extra: str, own: tuple[tuple[date, str, str], ...], tz_name: str) -> WorkCalendar:
    """The calendar of these settings; a malformed value raises ImproperlyConfigured."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        days_off = tuple((day, name, _parse_own_hours(text)) for day, name, text in own)
        return WorkCalendar(
            hours=parse_opening_hours(hours), extra=parse_extra(extra), tz_name=tz_name, days_off=days_off
        )
    except CalendarError as exc:
        raise ImproperlyConfigured(
            f"GEZIEN_OPENING_HOURS={hours!r} / GEZIEN_HOLIDAYS_EXTRA={extra!r}: {exc}"
        ) from exc


def _parse_own_hours(text: str) -> tuple[Slot, ...]:
    slots = tuple(sorted(_parse_slot(s) for s in text.split(",") if s.strip()))
    _check_slots(slots)
    return slots
