"""Template filters of the wellbeing pages: durations and loads in words a person reads at a glance."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from gezien.web import numbers
from gezien.wellbeing.load import PART_NAMES, Load
from gezien.wellbeing.models import Protection, WellbeingAlert
from gezien.wellbeing.selectors import policy

register = template.Library()


@register.filter
def hm(minutes: Any) -> str:
    """125 -> "2 u 05 m"; 40 -> "40 m"."""
    try:
        whole = max(0, int(minutes))
    except (TypeError, ValueError):
        return "—"
    if whole < 60:
        return _("%(m)s m") % {"m": whole}
    return _("%(h)s u %(m)02d m") % {"h": whole // 60, "m": whole % 60}


@register.filter
def share(value: Any, whole: Any) -> int:
    """A bar's width in percent (0-100) of `value` against `whole`."""
    try:
        part, total = float(value), float(whole)
    except (TypeError, ValueError):
        return 0
    return 0 if total <= 0 else max(0, min(100, round(100 * part / total)))


@register.filter
def decimal(value: Any, places: int = 1) -> str:
    """0.65 -> "0,7" in Dutch, "0.7" in English."""
    try:
        return numbers.decimal(float(value), int(places))
    except (TypeError, ValueError):
        return "—"


@register.filter
def part_name(name: str) -> str:
    return str(PART_NAMES.get(name, ""))


@register.filter
def alert_kind(kind: str) -> str:
    try:
        return str(WellbeingAlert.Kind(kind).label)
    except ValueError:
        return kind


@register.filter
def why(row: Any) -> str:
    """What made a handled contact heavy, in words ("boosheid")."""
    try:
        found = Load(row.load, row.abuse, row.anger, row.distress, row.disappointment, row.life_event)
    except AttributeError:
        return ""
    return str(PART_NAMES.get(found.strongest, ""))


def _day_words(day: date) -> str:
    """The day as the reader says it now: today, yesterday, or on 04-12."""
    today = timezone.localdate()
    if day == today:
        return _("vandaag")
    if day == today - timedelta(days=1):
        return _("gisteren")
    return _("op %(d)s") % {"d": date_format(day, "d-m")}


@register.filter
def alert_text(alert: WellbeingAlert) -> str:
    """An alert in the reader's language, from its figures (kind, person, minutes, since, day)."""
    who = alert.user.display_name
    if alert.kind == WellbeingAlert.Kind.CONTINUOUS and alert.since is not None:
        text = _("%(who)s werkte vanaf %(since)s aan één stuk op de wachtrij (%(hm)s) zonder pauze.")
        return text % {
            "who": who,
            "since": time_format(timezone.localtime(alert.since), "H:i"),
            "hm": hm(alert.minutes),
        }
    if alert.kind == WellbeingAlert.Kind.DAILY_QUEUE:
        return _("%(who)s zat %(day)s %(hm)s op de wachtrij; het beleid is hoogstens %(max)s.") % {
            "who": who,
            "day": _day_words(alert.day),
            "hm": hm(alert.minutes),
            "max": hm(policy().daily_queue_minutes),
        }
    if alert.kind == WellbeingAlert.Kind.LUNCH_ONLY:
        return _("%(who)s werkte %(day)s %(hm)s op de wachtrij zonder pauze buiten de lunch.") % {
            "who": who,
            "day": _day_words(alert.day),
            "hm": hm(alert.minutes),
        }
    return alert.text


@register.filter
def protection_reason(protection: Protection) -> str:
    """Why someone is protected, in the reader's language (a run of heavy contacts keeps the words it
    was stored with: how many is not kept apart)."""
    if protection.trigger == Protection.Trigger.ABUSE:  # the contact is linked beside it, never "#2003"
        return _("Grof taalgebruik van de klant.")
    if protection.trigger == Protection.Trigger.INCIDENT:
        return _("Incident: de klant werd grof of bedreigend.")
    return protection.reason
