"""Filters of the root-cause screens: why a spike fired, in the reader's words. (The contact page's
"Signalen" block is gathered by `web.pages.contact`.)"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gezien.web import numbers

register = template.Library()


def _chance(p: float) -> str:
    """How rare a p-value is, in words a department owner reads without statistics."""
    for limit in (1_000_000, 100_000, 10_000, 1_000, 100):
        if p < 1 / limit:
            return _("minder dan 1 op de %(n)s keer") % {"n": numbers.count(limit)}
    return _("ongeveer 1 op de %(n)s keer") % {"n": numbers.count(max(1, round(1 / p)) if p > 0 else 1)}


def _period(hours: int) -> str:
    if hours % 24 == 0:
        days = hours // 24
        return _("het laatste etmaal") if days == 1 else _("de laatste %(n)d dagen") % {"n": days}
    return _("de laatste %(n)d uur") % {"n": hours}


@register.filter
def spike_text(spike: Any) -> str:
    """Why a spike fired, in the reader's language, from its figures (a Spike or a department's
    SpikeLine); the Dutch sentence stored with the spike stays what the API returns."""
    if hasattr(spike, "window_start"):
        hours = round((spike.window_end - spike.window_start).total_seconds() / 3600)
        reason = str(spike.reason.name)
    else:
        hours, reason = spike.hours, str(spike.reason)
    expected = float(spike.expected)
    usual = (
        _("vrijwel nooit")
        if expected < 0.5
        else _("normaal rond %(n)s") % {"n": numbers.trimmed(expected, 0 if expected >= 10 else 1)}
    )
    weeks = max(1, settings.GEZIEN_SPIKE_WEEKS)
    observed = ngettext("%(n)d contact", "%(n)d contacten", spike.observed) % {"n": spike.observed}
    return _(
        "%(reason)s: %(observed)s in %(period)s, %(usual)s op deze dagen en uren (gemiddelde van dezelfde "
        "dagen en uren in de %(weeks)d weken ervoor); zo'n aantal komt bij toeval %(chance)s voor."
    ) % {
        "reason": reason,
        "observed": observed,
        "period": _period(hours),
        "usual": usual,
        "weeks": weeks,
        "chance": _chance(float(spike.p_value)),
    }
