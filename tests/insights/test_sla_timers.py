"""SLA timers: first response and resolution, counted in opening hours (ma-vr 08-18, za 09-13)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from gezien.contacts.models import Contact
from gezien.core.calendar import WorkCalendar
from gezien.insights.sla.models import SlaPolicy
from gezien.insights.sla.timers import contact_timers, short_duration

AMS = ZoneInfo("Europe/Amsterdam")
CAL = WorkCalendar.parse("ma-vr 08:00-18:00; za 09:00-13:00", "bevrijdingsdag")
EMAIL = SlaPolicy(channel="email", priority="normal", first_response_minutes=480, resolution_minutes=2400)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AMS)  # Monday 10:00


def at(d: int, h: int, m: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, d, h, m, tzinfo=AMS)


def contact(opened: datetime, closed: datetime | None = None, channel: str = "email") -> Contact:
    return Contact(channel=channel, priority="normal", opened_at=opened, closed_at=closed)


def timers(c: Contact, policy: SlaPolicy | None = EMAIL, reply: datetime | None = None, now=NOW):
    return contact_timers(c, policy, reply, now, CAL)


def test_an_email_on_saturday_evening_starts_its_clock_on_monday_morning():
    t = timers(contact(at(21, 20)), now=at(23, 9)).first_response
    assert t.due == at(23, 16)  # Monday 08:00 + 8 opening hours
    assert t.state == "running"
    assert t.used_seconds == 3600
    assert t.label == "nog 7u 0m"


def test_running_then_soon_then_breached():
    # Friday 17:00: 1 h Friday, 4 h Saturday, 2 h Monday until 10:00 = 7 of 8 hours (warn at 80 %).
    soon = timers(contact(at(20, 17))).first_response
    assert soon.state == "soon"
    assert soon.label == "bijna over tijd (nog 1u 0m)"
    # Friday 12:00: 6 + 4 + 2 = 12 hours used, 4 over.
    late = timers(contact(at(20, 12))).first_response
    assert late.state == "breached"
    assert late.over_seconds == 4 * 3600
    assert late.label == "over tijd 4u 0m"
    assert late.outcome == "no"
    fresh = timers(contact(at(23, 9))).first_response
    assert fresh.state == "running" and fresh.outcome == "pending"


def test_a_reply_in_time_is_met_and_a_late_one_breached():
    c = contact(at(20, 12))
    met = timers(c, reply=at(20, 15)).first_response
    assert met.state == "met" and met.outcome == "yes"
    assert met.used_seconds == 3 * 3600
    late = timers(c, reply=at(23, 9, 30)).first_response
    assert late.state == "breached"
    assert late.over_seconds == (6 + 4 + 1.5 - 8) * 3600


def test_resolution_is_the_closing():
    opened = at(16, 9)
    closed = timers(contact(opened, closed=at(18, 9))).resolution
    assert closed.state == "met"
    assert closed.used_seconds == 2 * 10 * 3600
    assert timers(contact(opened, closed=at(23, 9))).resolution.state == "breached"
    assert timers(contact(opened)).resolution.state == "breached"  # open past 40 opening hours


def test_closed_unanswered_before_the_deadline_has_no_first_response_outcome():
    c = contact(at(23, 8), closed=at(23, 9))
    t = timers(c).first_response
    assert t.state == "none" and t.outcome == "pending"
    late = timers(contact(at(20, 9), closed=at(23, 9))).first_response
    assert late.state == "breached"


def test_no_policy_an_inactive_one_or_no_target_is_none():
    c = contact(at(20, 12))
    assert timers(c, policy=None).first_response.state == "none"
    inactive = SlaPolicy(channel="email", priority="normal", first_response_minutes=1, active=False)
    assert timers(c, policy=inactive).first_response.state == "none"
    phone = SlaPolicy(channel="phone", priority="normal", first_response_minutes=None, resolution_minutes=480)
    both = timers(contact(at(23, 9), channel="phone"), policy=phone)
    assert both.first_response.state == "none"
    assert both.resolution.state == "running"
    assert both.worst == "running"


def test_a_chat_counts_its_two_minutes_from_the_opening_not_from_the_night():
    chat = SlaPolicy(channel="chat", priority="normal", first_response_minutes=2, resolution_minutes=60)
    night = contact(at(23, 7, 55), channel="chat")
    assert timers(night, chat, now=at(23, 8, 1)).first_response.state == "running"
    assert timers(night, chat, now=at(23, 8, 2)).first_response.state == "breached"
    assert timers(night, chat, reply=at(23, 8, 1, month=11), now=at(23, 9)).first_response.state == "met"


def test_the_next_deadline_is_the_earliest_running_timer():
    c = contact(at(23, 9))
    t = timers(c)
    warn, due = t.next_deadline()
    assert due == t.first_response.due
    assert warn == t.first_response.warn_at
    answered = timers(c, reply=at(23, 9, 30))
    assert answered.next_deadline()[1] == answered.resolution.due
    assert timers(contact(at(23, 9), closed=at(23, 9, 30)), reply=at(23, 9, 10)).next_deadline() is None


def test_short_durations():
    assert short_duration(0) == "0m"
    assert short_duration(61) == "2m"
    assert short_duration(80 * 60) == "1u 20m"
    assert short_duration(38 * 3600 + 300) == "38u 5m"
