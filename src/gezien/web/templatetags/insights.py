"""Template helpers for the insights dashboards: figures as people read them, links that may not exist
yet, and the emotion arc of a contact on its page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gezien.insights.charts import sparkline
from gezien.insights.cx import arc_of_messages, gain_reading

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
        return f"{100 * v:.0f}%"
    if kind == "signed":
        return f"{v:+.2f}"
    if kind == "emotion":
        return f"{v:.2f}"
    if kind == "score":
        return f"{v:.1f}"
    if kind == "count":
        return f"{int(v):,}".replace(",", ".")
    if kind == "minutes":
        return _("%(m).1f min") % {"m": v}
    return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


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
        "reading": gain_reading(arc.gain),
        "spark": sparkline(values, title=_("Onrust van de klant per bericht")) if len(values) > 1 else "",
    }
