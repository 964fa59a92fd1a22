"""Template filters of the wellbeing pages: durations and loads in words a person reads at a glance."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from gezien.wellbeing.load import PART_NAMES, Load
from gezien.wellbeing.models import WellbeingAlert

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
    """0.65 -> "0,7" (a Dutch decimal comma)."""
    try:
        return f"{float(value):.{int(places)}f}".replace(".", ",")
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
