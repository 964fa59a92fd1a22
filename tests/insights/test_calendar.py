"""The working-day calendar: Dutch holidays, opening hours in Europe/Amsterdam, DST nights."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from gezien.core.calendar import (
    CalendarError,
    WorkCalendar,
    default_calendar,
    format_opening_hours,
    parse_extra,
    parse_opening_hours,
)

AMS = ZoneInfo("Europe/Amsterdam")
HOURS = "ma-vr 08:00-18:00; za 09:00-13:00"


def cal(hours: str = HOURS, extra: str = "bevrijdingsdag") -> WorkCalendar:
    return WorkCalendar.parse(hours, extra)


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=AMS)


# --- holidays ----------------------------------------------------------------------------------------


def test_koningsdag_kerst_and_easter_and_whit_monday_are_closed():
    c = cal()
    assert c.holiday_name(date(2026, 4, 27)) == "Koningsdag"
    assert not c.is_working_day(date(2026, 4, 27))  # a Monday
    assert not c.is_working_day(date(2026, 12, 25))  # Friday
    assert c.holiday_name(date(2026, 12, 26)) == "Tweede kerstdag"
    assert not c.is_working_day(date(2026, 12, 26))  # a Saturday we would otherwise be open
    assert not c.is_working_day(date(2026, 4, 6))  # Tweede paasdag
    assert not c.is_working_day(date(2026, 5, 25))  # Tweede pinksterdag
    assert not c.is_working_day(date(2026, 5, 14))  # Hemelvaartsdag
    assert not c.is_working_day(date(2027, 1, 1))
    assert c.is_working_day(date(2026, 11, 23))  # an ordinary Monday
    assert c.holiday_name(date(2026, 11, 23)) is None


def test_koningsdag_on_a_sunday_moves_to_saturday():
    c = cal()
    assert c.holiday_name(date(2025, 4, 26)) == "Koningsdag"  # 27 April 2025 was a Sunday
    assert not c.is_working_day(date(2025, 4, 26))


def test_goede_vrijdag_counts_only_when_configured():
    assert cal(extra="").is_working_day(date(2026, 4, 3))
    assert cal(extra="bevrijdingsdag").is_working_day(date(2026, 4, 3))
    with_friday = cal(extra="goede_vrijdag,bevrijdingsdag")
    assert not with_friday.is_working_day(date(2026, 4, 3))
    assert with_friday.holiday_name(date(2026, 4, 3)) == "Goede vrijdag"
    assert not with_friday.is_working_day(date(2027, 3, 26))


def test_bevrijdingsdag_every_year_or_only_in_lustrum_years():
    every_year = cal(extra="bevrijdingsdag")
    assert not every_year.is_working_day(date(2026, 5, 5))
    assert not every_year.is_working_day(date(2025, 5, 5))
    none = cal(extra="geen")
    assert none.is_working_day(date(2026, 5, 5))
    assert none.is_working_day(date(2025, 5, 5))  # the package's lustrum PUBLIC day is a choice too
    lustrum = cal(extra="bevrijdingsdag_lustrum")
    assert lustrum.is_working_day(date(2026, 5, 5))
    assert not lustrum.is_working_day(date(2030, 5, 5))
    assert lustrum.holiday_name(date(2025, 5, 5)) == "Bevrijdingsdag"


def test_weekend_sunday_closed_saturday_open_in_the_default_hours():
    c = cal()
    assert c.is_working_day(date(2026, 11, 21))  # Saturday 09-13
    assert not c.is_working_day(date(2026, 11, 22))  # Sunday
    weekdays_only = cal("ma-vr 09:00-17:00")
    assert not weekdays_only.is_working_day(date(2026, 11, 21))


# --- working days ------------------------------------------------------------------------------------


def test_add_working_days_skips_christmas_and_the_weekend():
    c = cal("ma-vr 09:00-17:00")
    assert c.add_working_days(date(2026, 12, 24), 0) == date(2026, 12, 24)
    # Thu 24 Dec: Fri 25 and Sat/Sun closed, Mon 28 is the first working day after.
    assert c.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert c.add_working_days(date(2026, 12, 24), 5) == date(2027, 1, 4)  # skips 1 January
    with pytest.raises(ValueError):
        c.add_working_days(date(2026, 12, 24), -1)


def test_working_days_between_counts_the_half_open_span():
    c = cal("ma-vr 09:00-17:00")
    assert c.working_days_between(date(2026, 11, 23), date(2026, 11, 23)) == 0
    assert c.working_days_between(date(2026, 11, 23), date(2026, 11, 24)) == 1
    assert c.working_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 1  # Fri -> Mon
    # April 2026: Goede Vrijdag not counted (default), Tweede paasdag and Koningsdag are.
    assert c.working_days_between(date(2026, 3, 31), date(2026, 4, 30)) == 22 - 2
    assert c.working_days_between(date(2026, 5, 1), date(2026, 4, 1)) == 0


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    n=st.integers(min_value=0, max_value=400),
)
@settings(max_examples=150, deadline=None)
def test_working_days_between_inverts_add_working_days(start: date, n: int):
    c = cal(extra="goede_vrijdag,bevrijdingsdag")
    end = c.add_working_days(start, n)
    assert c.working_days_between(start, end) == n
    assert n == 0 or c.is_working_day(end)


# --- opening hours -----------------------------------------------------------------------------------


def test_a_span_inside_one_day_counts_wall_seconds():
    c = cal()
    assert c.business_seconds(at(2026, 11, 23, 9), at(2026, 11, 23, 10, 30)) == 5400


def test_a_start_outside_hours_waits_for_the_opening():
    c = cal()
    # Monday 06:00 -> 08:30: only 08:00-08:30 counts.
    assert c.business_seconds(at(2026, 11, 23, 6), at(2026, 11, 23, 8, 30)) == 1800
    # Friday evening + 2 h: Saturday 11:00.
    assert c.add_business_seconds(at(2026, 11, 20, 20), 2 * 3600) == at(2026, 11, 21, 11)
    # Saturday 12:00 + 2 h: 1 h on Saturday, Sunday closed, Monday 09:00.
    assert c.add_business_seconds(at(2026, 11, 21, 12), 2 * 3600) == at(2026, 11, 23, 9)


def test_a_span_across_a_holiday_skips_it():
    c = cal("ma-vr 09:00-17:00")
    # Thursday 24 December 16:00 -> Monday 28 December 10:00: 1 h + 1 h (Christmas, weekend skipped).
    assert c.business_seconds(at(2026, 12, 24, 16), at(2026, 12, 28, 10)) == 2 * 3600
    assert c.add_business_seconds(at(2026, 12, 24, 16), 8 * 3600) == at(2026, 12, 28, 16)
    # Koningsdag Monday 27 April 2026: Friday 17:00 + 1 h lands on Tuesday.
    assert c.add_business_seconds(at(2026, 4, 24, 16), 2 * 3600) == at(2026, 4, 28, 10)


def test_several_slots_a_day():
    c = cal("ma-vr 08:00-12:00,13:00-17:00")
    assert c.business_seconds(at(2026, 11, 23, 11), at(2026, 11, 23, 14)) == 2 * 3600
    assert c.add_business_seconds(at(2026, 11, 23, 11, 30), 3600) == at(2026, 11, 23, 13, 30)


def test_dst_nights_are_counted_in_real_seconds():
    round_the_clock = cal("ma-zo 00:00-24:00", extra="")
    # 29 March 2026: clocks go 02:00 -> 03:00, the day has 23 hours.
    assert round_the_clock.business_seconds(at(2026, 3, 29), at(2026, 3, 30)) == 23 * 3600
    # 25 October 2026: 03:00 -> 02:00, the day has 25 hours.
    assert round_the_clock.business_seconds(at(2026, 10, 25), at(2026, 10, 26)) == 25 * 3600
    # The deadline 3 hours after Saturday 23:00 before the spring jump is 03:00 CEST.
    deadline = round_the_clock.add_business_seconds(at(2026, 3, 28, 23), 3 * 3600)
    assert deadline == datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert deadline.astimezone(AMS).hour == 3
    # Ordinary hours are not touched by the switch: Friday 17:00 to Monday 09:00 across it.
    c = cal()
    assert c.business_seconds(at(2026, 3, 27, 17), at(2026, 3, 30, 9)) == (1 + 4 + 1) * 3600
    assert c.business_seconds(at(2026, 10, 23, 17), at(2026, 10, 26, 9)) == (1 + 4 + 1) * 3600


def test_moments_in_other_zones_are_the_same_moments():
    c = cal()
    utc_start = datetime(2026, 11, 23, 7, tzinfo=UTC)  # 08:00 in Amsterdam
    assert c.business_seconds(utc_start, utc_start + timedelta(hours=1)) == 3600
    with pytest.raises(ValueError):
        c.business_seconds(datetime(2026, 11, 23, 7), utc_start)


def test_reversed_and_empty_spans_are_zero():
    c = cal()
    assert c.business_seconds(at(2026, 11, 23, 12), at(2026, 11, 23, 10)) == 0
    assert c.add_business_seconds(at(2026, 11, 22, 12), 0) == at(2026, 11, 22, 12)


moments = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1), timezones=st.just(UTC)
)


@given(a=moments, b=moments, c_=moments)
@settings(max_examples=200, deadline=None)
def test_business_seconds_is_additive_over_a_split_point(a: datetime, b: datetime, c_: datetime):
    c = cal("ma-vr 08:00-12:00,13:00-18:00; za 09:00-13:00", extra="goede_vrijdag,bevrijdingsdag")
    lo, mid, hi = sorted([a, b, c_])
    whole = c.business_seconds(lo, hi)
    parts = c.business_seconds(lo, mid) + c.business_seconds(mid, hi)
    assert abs(whole - parts) <= 1  # whole seconds each side of a fractional split


@given(start=moments, seconds=st.integers(min_value=1, max_value=60 * 3600))
@settings(max_examples=200, deadline=None)
def test_add_business_seconds_is_the_inverse_of_business_seconds(start: datetime, seconds: int):
    c = cal(extra="goede_vrijdag,bevrijdingsdag")
    start = start.replace(microsecond=0)
    deadline = c.add_business_seconds(start, seconds)
    assert c.business_seconds(start, deadline) == seconds
    # The earliest such moment: a second earlier, not yet.
    assert c.business_seconds(start, deadline - timedelta(seconds=1)) == seconds - 1


# --- settings ----------------------------------------------------------------------------------------


def test_opening_hours_are_parsed_from_dutch_weekdays():
    hours = parse_opening_hours("ma,wo 09:00-12:00; do-za 10:00-14:00,15:00-24:00")
    assert hours[0] == ((9 * 3600, 12 * 3600),)
    assert hours[1] == ()
    assert hours[5] == ((10 * 3600, 14 * 3600), (15 * 3600, 24 * 3600))
    assert format_opening_hours(WorkCalendar(hours=hours))[1] == ("di", "gesloten")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ma-vr",
        "maandag 08:00-18:00",
        "vr-ma 08:00-18:00",
        "ma 18:00-08:00",
        "ma 08:00-12:00,11:00-13:00",
        "ma 8-18",
        "ma 08:00-25:00",
        "ma-vr 08:00-18:00; vr 09:00-10:00",
    ],
)
def test_malformed_opening_hours_are_refused(text: str):
    with pytest.raises(CalendarError):
        parse_opening_hours(text)


def test_unknown_optional_holidays_are_refused():
    assert parse_extra("Goede-Vrijdag, bevrijdingsdag") == {"goede_vrijdag", "bevrijdingsdag"}
    with pytest.raises(CalendarError, match="pasen"):
        parse_extra("pasen")


@pytest.mark.django_db  # values saved in the desk would win (gezien.desksettings)
def test_default_calendar_reads_the_settings_and_fails_clearly():
    try:
        with override_settings(GEZIEN_OPENING_HOURS="ma-vr 09:00-17:00", GEZIEN_HOLIDAYS_EXTRA=""):
            assert not default_calendar().is_working_day(date(2026, 11, 21))
            assert default_calendar().is_working_day(date(2026, 5, 5))
        assert default_calendar().is_working_day(date(2026, 11, 21))  # back to the default
        with (
            override_settings(GEZIEN_OPENING_HOURS="ma-vr 8 tot 6"),
            pytest.raises(ImproperlyConfigured, match="GEZIEN_OPENING_HOURS"),
        ):
            default_calendar()
    finally:
        default_calendar.cache_clear()
