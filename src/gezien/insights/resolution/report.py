"""What the resolution dashboard, its CSV and the API read: per team, agent, reason or channel, side by
side the naive resolution ("geen terugbelverzoek binnen N werkdagen"), the honest first-contact
resolution, the gap between them, the repeat-contact rate and the handling time. Handling time never
stands alone: every row that carries it carries honest FCR too (R19)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gezien.core.errors import Invalid
from gezien.core.period import Period
from gezien.insights.cx_report import key_labels
from gezien.insights.figures import figures
from gezien.insights.models import Dimension
from gezien.insights.scope import Scope, scoped_totals

DIMS = ("all", "team", "agent", "reason", "channel")
FIGURES = (
    "contacts",
    "naive_n",
    "naive_resolution",
    "honest_n",
    "honest_fcr",
    "resolution_gap",
    "repeats",
    "repeat_rate",
    "handling_minutes",
)


def dim_from(raw: str | None) -> str:
    value = (raw or "all").strip() or "all"
    if value not in DIMS:
        raise Invalid(_("Kies een indeling: %(dims)s.") % {"dims": ", ".join(DIMS)}, field="dim")
    return value


def figure_names(days: int) -> dict[str, str]:
    return {
        "contacts": _("Contacten"),
        "naive_n": _("Gesloten, venster voorbij"),
        "naive_resolution": _("Naïef: geen terugbelverzoek binnen %(n)d werkdagen") % {"n": days},
        "honest_n": _("Kwesties beslist"),
        "honest_fcr": _("Eerlijk: opgelost bij het eerste contact"),
        "resolution_gap": _("Verschil naïef − eerlijk"),
        "repeats": _("Herhaalcontacten"),
        "repeat_rate": _("Deel herhaalcontact"),
        "handling_minutes": _("Gemiddelde afhandeltijd (minuten)"),
    }


def resolution_figures(totals: dict[str, float]) -> dict[str, float | None]:
    f = figures(totals)
    return {
        "contacts": f["contacts"],
        "naive_n": totals.get("naive_n", 0),
        "naive_resolution": f["naive_resolution"],
        "honest_n": totals.get("honest_n", 0),
        "honest_fcr": f["honest_fcr"],
        "resolution_gap": f["resolution_gap"],
        "repeats": totals.get("repeats", 0),
        "repeat_rate": f["repeat_rate"],
        "handling_minutes": f["handling_minutes"],
    }


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    figures: dict[str, float | None]


def resolution_groups(scope: Scope, period: Period, dim: str) -> list[Group]:
    """The resolution figures per value of `dim` within the scope, most contacts first (one group for
    all). Forbidden for a grouping the scope lacks (a department owner has no per-agent figures)."""
    totals = scoped_totals(scope, period.start, period.end, dim)
    labels = key_labels(dim, totals.keys())
    groups = [Group(k, labels[k], resolution_figures(v)) for k, v in totals.items()]
    groups.sort(key=lambda g: (-(g.figures["contacts"] or 0), g.label))
    if dim == Dimension.ALL and not groups:
        groups = [Group("", _("Alles"), resolution_figures({}))]
    return groups


def csv_header(days: int) -> list[str]:
    names = figure_names(days)
    return [_("Groep"), "key", *(names[f] for f in FIGURES)]


def csv_rows(groups: list[Group]) -> list[list[Any]]:
    return [[g.label, g.key, *(g.figures[f] for f in FIGURES)] for g in groups]
