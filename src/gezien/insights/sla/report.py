"""What the service-level dashboard, its CSV and the API read: breach rates and the mean first
response per team, channel, reason or priority (from the scoped rollups), and the "now" numbers (open
contacts about to breach or over time, from the facts and deadlines: two indexed counts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gezien.core.errors import Invalid
from gezien.core.period import Period
from gezien.insights.cx_report import key_labels
from gezien.insights.figures import figures
from gezien.insights.models import ContactFact, Dimension
from gezien.insights.rollups import insights_catch_up
from gezien.insights.scope import Scope, scoped_totals
from gezien.insights.sla.deadlines import sla_mark_breached_stale
from gezien.insights.sla.models import SlaDeadline

DIMS = ("all", "team", "channel", "reason", "priority")
FIGURES = (
    "contacts",
    "first_response_n",
    "first_response_breached",
    "first_response_breach_rate",
    "first_response_minutes",
    "resolution_n",
    "resolution_breached",
    "resolution_breach_rate",
)


def dim_from(raw: str | None) -> str:
    value = (raw or "all").strip() or "all"
    if value not in DIMS:
        raise Invalid(_("Kies een indeling: %(dims)s.") % {"dims": ", ".join(DIMS)}, field="dim")
    return value


def figure_names() -> dict[str, str]:
    return {
        "contacts": _("Contacten"),
        "first_response_n": _("Met norm voor eerste reactie"),
        "first_response_breached": _("Eerste reactie te laat"),
        "first_response_breach_rate": _("Eerste reactie: deel te laat"),
        "first_response_minutes": _("Gemiddelde eerste reactie (openingsminuten)"),
        "resolution_n": _("Met norm voor afhandeling"),
        "resolution_breached": _("Afhandeling te laat"),
        "resolution_breach_rate": _("Afhandeling: deel te laat"),
    }


def sla_figures(totals: dict[str, float]) -> dict[str, float | None]:
    f = figures(totals)
    return {
        "contacts": f["contacts"],
        "first_response_n": totals.get("sla_fr_n", 0),
        "first_response_breached": totals.get("sla_fr_breached", 0),
        "first_response_breach_rate": f["first_response_breach_rate"],
        "first_response_minutes": f["first_response_minutes"],
        "resolution_n": totals.get("sla_res_n", 0),
        "resolution_breached": totals.get("sla_res_breached", 0),
        "resolution_breach_rate": f["resolution_breach_rate"],
    }


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    figures: dict[str, float | None]


def sla_groups(scope: Scope, period: Period, dim: str) -> list[Group]:
    """The SLA figures per value of `dim` within the scope, most contacts first (one group for all).
    Forbidden for a grouping the scope lacks (per priority and per team: managers only). Timers that
    ran out since the last tick are marked first, so the figures count them."""
    sla_mark_breached_stale()
    totals = scoped_totals(scope, period.start, period.end, dim)
    labels = key_labels(dim, totals.keys())
    groups = [Group(k, labels[k], sla_figures(v)) for k, v in totals.items()]
    groups.sort(key=lambda g: (-(g.figures["contacts"] or 0), g.label))
    if dim == Dimension.ALL and not groups:
        groups = [Group("", labels.get("", _("Alles")), sla_figures({}))]
    return groups


@dataclass(frozen=True)
class Now:
    open: int
    soon: int  # a target will breach soon ("bijna over tijd")
    breached: int  # open, and a target was not met

    def as_dict(self) -> dict[str, int]:
        return {"open": self.open, "soon": self.soon, "breached": self.breached}


def _open_facts(scope: Scope) -> QuerySet[ContactFact]:
    insights_catch_up()
    facts = ContactFact.objects.filter(closed_at__isnull=True)
    if scope.everything:
        return facts
    if scope.team_id is not None:
        return facts.filter(team_id=scope.team_id)
    return facts.filter(department_id__in=scope.department_ids)


def sla_now(scope: Scope, now: datetime) -> Now:
    """Open contacts in the scope, how many are about to breach and how many are over time (facts
    must be caught up: call `sla_mark_breached_stale` and `insights_catch_up` first)."""
    facts = _open_facts(scope)
    soon_ids = SlaDeadline.objects.filter(warn_at__lte=now, due_at__gt=now).values("contact_id")
    counts: dict[str, Any] = {
        "open": facts.count(),
        "soon": facts.filter(contact_id__in=soon_ids).count(),
        "breached": facts.filter(Q(sla_first_response="no") | Q(sla_resolution="no")).count(),
    }
    return Now(**counts)


def csv_header() -> list[str]:
    names = figure_names()
    return [_("Groep"), "key", *(names[f] for f in FIGURES)]


def csv_rows(groups: list[Group]) -> list[list[Any]]:
    return [[g.label, g.key, *(g.figures[f] for f in FIGURES)] for g in groups]
