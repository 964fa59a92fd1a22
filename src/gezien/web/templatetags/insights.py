"""Template helpers for the insights dashboards: figures as people read them, links that may not exist
yet, and the emotion arc of a contact on its page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gezien.insights.cx import arc_of_messages, gain_reading
from gezien.web import numbers
from gezien.web.charts import sparkline

register = template.Library()


@register.simple_tag
def url_or_none(name: str, *args: Any) -> str | None:
    """The URL of a named desk page, or None when that page does not exist (yet): a tab for a
    dashboard that is not installed disappears instead of breaking the page."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return None


@register.filter
def figure(value: Any, kind: str = "number") -> str:
    """A figure for display: "–" when there is no data; kind percent (0.42 -> 42%), score (one
    decimal), signed (+0.12), emotion (0.42), count (1.234), minutes."""
    if value is None or value == "":
        return "–"
    v = float(value)
    if kind == "percent":
        return numbers.percent(v)
    if kind == "signed":
        return numbers.signed(v)
    if kind == "emotion":
        return numbers.decimal(v, 2)
    if kind == "score":
        return numbers.decimal(v, 1)
    if kind == "count":
        return numbers.count(v)
    if kind == "minutes":
        return _("%(m)s min") % {"m": numbers.decimal(v, 1)}
    return numbers.trimmed(v)


@register.inclusion_tag("web/insights/_emotion_arc.html")
def contact_emotion(contact: Any) -> dict[str, Any]:
    """The customer's emotion over this contact (start → peak → end, and a sparkline per message),
    from the thread's messages as the contact page loaded them: no query of its own."""
    arc = arc_of_messages(contact.messages.all())
    if not arc.points:
        return {"arc": None}
    values = [p[2] for p in arc.points]
    return {
        "arc": arc,
        "reading": gain_reading(arc.gain, arc.end),
        "spark": sparkline(values, title=_("Onrust van de klant per bericht")) if len(values) > 1 else "",
    }
