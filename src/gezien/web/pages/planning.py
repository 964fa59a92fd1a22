"""The staffing plan's pages: the plan of a day and channel (/planning/) with the forecast, the edits,
the shifts and the gaps; a shift's edit form; the service-level targets (/planning/targets/); and the
interval history (/planning/history/). Figures are written in the reader's language here."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any, TypedDict

from django.forms import Form
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode

from gezien.accounts.models import User
from gezien.contacts.models import Channel
from gezien.planning.history import history_days
from gezien.planning.intervals import local_day, local_tz, plan_interval_minutes
from gezien.planning.models import Shift
from gezien.planning.plan import DayPlan, PlanInterval, ScaleUp, plans_for_days
from gezien.planning.selectors import CHANNELS, Target, can_schedule, schedulable_people, targets_by_channel
from gezien.web import numbers
from gezien.web.pages.shapes import Choices, Label
from gezien.web.views.planning_forms import AdjustmentForm, ShiftForm, TargetForm

STRIP_DAYS = 7
HISTORY_WEEKS = 8


def plan_url(day: date, channel: str) -> str:
    return f"{reverse('desk:planning')}?{urlencode({'day': day.isoformat(), 'channel': channel})}"


# --- display ----------------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "—" if value is None else numbers.percent(value)


def number(value: float, digits: int = 1) -> str:
    if abs(value - round(value)) < 1e-6:
        return numbers.count(round(value))
    return numbers.decimal(value, digits)


def long_date(day: date) -> str:
    return date_format(day, "l j F Y")


def _row(interval: PlanInterval) -> IntervalRow:
    short = interval.short
    return {
        "interval": interval,
        "volume": number(interval.volume),
        "base_volume": number(interval.base_volume),
        "aht": numbers.decimal(interval.aht_seconds / 60, 1) + " min",
        "scheduled": number(interval.scheduled),
        "gap": number(interval.gap),
        "short": short,
        "over": interval.gap > 0,
        "service_level": percent(interval.service_level),
        "service_level_with_extra": percent(interval.service_level_with_extra),
        "time": interval.start.astimezone(local_tz()).strftime("%H:%M"),
    }


def _strip(plans: list[DayPlan], chosen: date, channel: str) -> list[StripDay]:
    return [
        {
            "day": p.day,
            "label": date_format(p.day, "D j"),
            "title": long_date(p.day),
            "url": plan_url(p.day, channel),
            "short": bool(p.scale_up),
            "closed": p.closed is not None,
            "chosen": p.day == chosen,
        }
        for p in plans
    ]


# --- the plan ---------------------------------------------------------------------------------------


class Upcoming(TypedDict):
    plan: DayPlan
    label: str
    url: str


class PlanPage(TypedDict):
    plan: DayPlan
    day: date
    day_label: str
    channel: str
    channel_label: Label
    channels: list[tuple[str, Label, str]]  # (channel, label, its plan's url)
    rows: list[IntervalRow]
    strip: list[StripDay]
    upcoming: list[Upcoming]  # later days that need more people
    prev_url: str
    next_url: str
    today_url: str
    is_today: bool
    target: Target
    scale_up: ScaleUp
    sl_scheduled: str
    sl_extra: str
    total_volume: str
    can_edit: bool
    adjustment_form: Form
    shift_form: Form
    people: list[User]
    editable_shifts: set[int]
    interval_minutes: int
    active_tab: str


def plan_page(
    user: User,
    day: date,
    channel: str,
    *,
    adjustment_form: Form | None = None,
    shift_form: Form | None = None,
) -> PlanPage:
    """The plan of one day and channel as `user` sees it: per interval the forecast, the agents needed,
    who is scheduled and the gap, the days around it, and the forms (a refused one with its errors)."""
    today = timezone.localdate()
    start = min(day, today)
    strip_days = [start + timedelta(days=i) for i in range(STRIP_DAYS)]
    if day not in strip_days:
        strip_days = [day, *(today + timedelta(days=i) for i in range(STRIP_DAYS))]
    plans = plans_for_days(strip_days, channel)
    plan = next(p for p in plans if p.day == day)
    people = schedulable_people(user)
    editable = {s.pk for s in plan.shifts if can_schedule(user, s.user)}
    day_start = plan.intervals[0].start.astimezone(local_tz()).time() if plan.intervals else time(8)
    return {
        "plan": plan,
        "day": day,
        "day_label": long_date(day),
        "channel": channel,
        "channel_label": Channel(channel).label,
        "channels": [(c, Channel(c).label, plan_url(day, c)) for c in CHANNELS],
        "rows": [_row(i) for i in plan.intervals],
        "strip": _strip(sorted(plans, key=lambda p: p.day)[: STRIP_DAYS + 1], day, channel),
        "upcoming": [
            {"plan": p, "label": long_date(p.day), "url": plan_url(p.day, channel)}
            for p in plans
            if p.day >= today and p.day != day and p.scale_up
        ],
        "prev_url": plan_url(day - timedelta(days=1), channel),
        "next_url": plan_url(day + timedelta(days=1), channel),
        "today_url": plan_url(today, channel),
        "is_today": day == today,
        "target": plan.target,
        "scale_up": plan.scale_up,
        "sl_scheduled": percent(plan.scale_up.service_level),
        "sl_extra": percent(plan.scale_up.service_level_with_extra),
        "total_volume": number(plan.volume, 0),
        "can_edit": user.has_perm("planning.edit_forecast"),
        "adjustment_form": adjustment_form
        or AdjustmentForm(
            initial={
                "channel": channel,
                "day": day,
                "start_time": day_start,
                "end_time": time(12),
                "kind": "percent",
            }
        ),
        "shift_form": shift_form
        or ShiftForm(
            people=people,
            initial={"day": day, "channels": [channel], "start_time": time(8), "end_time": time(17)},
        ),
        "people": people,
        "editable_shifts": editable,
        "interval_minutes": plan_interval_minutes(),
        "active_tab": "plan",
    }


class StripDay(TypedDict):
    day: date
    label: str
    title: str
    url: str
    short: bool  # people are missing that day
    closed: bool
    chosen: bool


class IntervalRow(TypedDict):
    interval: PlanInterval
    volume: str
    base_volume: str
    aht: str
    scheduled: str
    gap: str
    short: int  # agents short in this interval
    over: bool
    service_level: str
    service_level_with_extra: str
    time: str


# --- a shift ----------------------------------------------------------------------------------------


class ShiftEditPage(TypedDict):
    shift: Shift
    form: Form
    back: str  # the plan of the shift's day and first channel


def shift_initial(shift: Shift) -> dict[str, Any]:
    """The shift form filled with `shift` (its day and times in local time)."""
    tz = local_tz()
    return {
        "user": shift.user_id,
        "channels": shift.channel_list,
        "day": local_day(shift.start),
        "start_time": shift.start.astimezone(tz).time(),
        "end_time": shift.end.astimezone(tz).time(),
        "note": shift.note,
    }


def shift_edit_page(shift: Shift, form: Form) -> ShiftEditPage:
    return {"shift": shift, "form": form, "back": plan_url(local_day(shift.start), shift.channel_list[0])}


# --- targets ----------------------------------------------------------------------------------------


def _target_initial(channel: str) -> dict[str, Any]:
    t = targets_by_channel()[channel]

    def pct(v: float | None) -> int | None:
        return None if v is None else round(v * 100)

    return {
        "service_level": pct(t.service_level),
        "target_seconds": t.target_seconds,
        "patience_seconds": t.patience_seconds,
        "max_abandon": pct(t.max_abandon),
        "max_occupancy": pct(t.max_occupancy),
        "shrinkage": pct(t.shrinkage),
        "concurrency": t.concurrency,
    }


class TargetRow(TypedDict):
    channel: str
    label: Label
    target: Target
    model: str  # "Erlang A" (customers hang up) or "Erlang C"
    form: Form


class TargetsPage(TypedDict):
    rows: list[TargetRow]
    can_change: bool
    active_tab: str


def targets_page(*, can_change: bool, refused: dict[str, Form] | None = None) -> TargetsPage:
    """The service-level target per channel and what staffing it takes, each with its form (a refused
    one with its errors)."""
    targets = targets_by_channel()
    rows: list[TargetRow] = [
        {
            "channel": c,
            "label": Channel(c).label,
            "target": targets[c],
            "model": "Erlang A" if targets[c].erlang_a else "Erlang C",
            "form": (refused or {}).get(c) or TargetForm(initial=_target_initial(c), prefix=c),
        }
        for c in CHANNELS
    ]
    return {"rows": rows, "can_change": can_change, "active_tab": "targets"}


# --- history ----------------------------------------------------------------------------------------


class HistoryCell(TypedDict):
    offered: str
    aht: str
    source: str  # "import" (the telephony platform) or the desk's own count


class HistoryRow(TypedDict):
    day: date
    label: str
    channels: dict[str, HistoryCell]
    cells: list[HistoryCell | None]  # one per channel, in CHANNELS order


class HistoryPage(TypedDict):
    table: list[HistoryRow]
    channels: Choices
    form: Form
    can_edit: bool
    interval_minutes: int
    active_tab: str


def _history_table() -> list[HistoryRow]:
    """The last eight weeks, newest first: per day and channel the offered contacts and handling time,
    the imported figures where there are any."""
    today = timezone.localdate()
    by_day: dict[date, HistoryRow] = {}
    for h in history_days(None, today - timedelta(weeks=HISTORY_WEEKS), today):
        row = by_day.setdefault(h.day, {"day": h.day, "label": long_date(h.day), "channels": {}, "cells": []})
        chosen = row["channels"].get(h.channel)
        if chosen is None or h.source == "import":
            row["channels"][h.channel] = {
                "offered": number(h.offered, 0),
                "aht": "—" if h.aht_seconds is None else numbers.decimal(h.aht_seconds / 60, 1) + " min",
                "source": h.source,
            }
    table = sorted(by_day.values(), key=lambda r: r["day"], reverse=True)
    for row in table:
        row["cells"] = [row["channels"].get(c) for c in CHANNELS]
    return table


def history_page(form: Form, *, can_edit: bool) -> HistoryPage:
    """What the forecast learns from, and the upload form (a refused one with its errors)."""
    return {
        "table": _history_table(),
        "channels": [(c, Channel(c).label) for c in CHANNELS],
        "form": form,
        "can_edit": can_edit,
        "interval_minutes": plan_interval_minutes(),
        "active_tab": "history",
    }
