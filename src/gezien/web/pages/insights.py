"""The insights pages' shared shape (a dashboard: period, the "per ..." choice, its tab) and the pages of
the insights home (/insights/) and customer experience (/insights/cx/), charts included."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from gezien.core.errors import Forbidden
from gezien.core.period import Period
from gezien.insights import cx_report as report
from gezien.insights.scope import Scope, scoped_dimension
from gezien.web import charts
from gezien.web.pages.shapes import Choices
from gezien.web.templatetags.insights import url_or_none


class Tabbed(TypedDict):
    """Every insights page: its period and which tab of the insights menu is lit."""

    period: Period
    active_tab: str


class Dashboard(Tabbed):
    """A dashboard per group: the "per ..." chosen and offered, and the query its links keep."""

    dim: str
    dims: Choices
    query: str


def dashboard(period: Period, tab: str, dim: str, dims: Choices, query: str) -> Dashboard:
    return {"period": period, "active_tab": tab, "dim": dim, "dims": dims, "query": query}


def dim_choices(dims: Sequence[str], scope: Scope | None = None) -> list[tuple[str, str]]:
    """The "per ..." choices of a dashboard, with their Dutch names; with a scope, only those it may see."""
    names = {
        "all": _("Alles"),
        "team": _("Team"),
        "agent": _("Medewerker"),
        "channel": _("Kanaal"),
        "reason": _("Contactreden"),
        "department": _("Afdeling"),
        "priority": _("Prioriteit"),
    }
    out = []
    for dim in dims:
        if scope is not None:
            try:
                scoped_dimension(scope, dim)
            except Forbidden:
                continue
        out.append((dim, names[dim]))
    return out


# --------------------------------------------------------------------------- /insights/

HEADLINE_LINKS = {
    "emotion_gain": ("desk:insights_cx", "signed"),
    "calmer_share": ("desk:insights_cx", "percent"),
    "negative_share": ("desk:insights_cx", "percent"),
    "nps": ("desk:insights_cx", "score"),
    "csat": ("desk:insights_cx", "score"),
    "honest_fcr": ("desk:insights_resolution", "percent"),
    "naive_resolution": ("desk:insights_resolution", "percent"),
    "repeat_rate": ("desk:insights_resolution", "percent"),
    "first_response_breach_rate": ("desk:insights_sla", "percent"),
    "resolution_breach_rate": ("desk:insights_sla", "percent"),
    "contacts": ("desk:insights_cx", "count"),
}


class Tile(TypedDict):
    key: str
    name: str
    value: float | None
    before: float | None  # the same figure in the period before
    kind: str  # how it is written: signed, percent, score, count
    url: str | None  # its dashboard, for this period


class HomePage(Tabbed):
    tiles: list[Tile]
    scope: Scope


def home_page(scope: Scope, period: Period) -> HomePage:
    """The headline figures of the period beside the period before, each linking to its dashboard."""
    now = report.headline(scope, period)
    before = report.headline(scope, report.previous(period))
    names = report.figure_names()
    tiles: list[Tile] = []
    for key in report.HEADLINE_FIGURES:
        url_name, kind = HEADLINE_LINKS[key]
        url = url_or_none(url_name)
        tiles.append(
            {
                "key": key,
                "name": names[key],
                "value": now[key],
                "before": before[key],
                "kind": kind,
                "url": f"{url}?{period.as_query()}" if url else None,
            }
        )
    return {"tiles": tiles, "period": period, "scope": scope, "active_tab": "home"}


# --------------------------------------------------------------------------- /insights/cx/

CX_DIMS = ("all", "team", "agent", "channel", "reason", "department")


class CxPage(Dashboard):
    granularity: str
    granularities: Choices
    x_axis: str  # the scatter's x: emotion at the end ("end") or the gain
    trend: report.Trend
    rows: list[tuple[str, str, dict[str, Any]]]  # (key, label, totals) per group, most contacts first
    relation: report.Relation
    names: dict[str, str]
    charts: dict[str, Any]


def cx_page(scope: Scope, period: Period, dim: str, granularity: str, x_axis: str, query: str) -> CxPage:
    """Emotion at the start and end, gain, calmer and negative shares per period and group, beside NPS
    and CSAT, and how they relate per contact reason."""
    trend = report.trend(scope, period, dim, granularity, top=report.MAX_SERIES)
    overall = trend if dim == "all" else report.trend(scope, period, "all", granularity)
    relation = report.relation(scope, period)
    return {
        **dashboard(period, "cx", dim, dim_choices(CX_DIMS), query),
        "granularity": granularity,
        "granularities": [("day", _("Dag")), ("week", _("Week")), ("month", _("Maand"))],
        "x_axis": x_axis,
        "trend": trend,
        "rows": [(k, trend.labels[k], trend.totals[k]) for k in trend.keys_by_contacts()],
        "relation": relation,
        "names": report.figure_names(),
        "charts": cx_charts(trend, overall, relation, x_axis),
    }


def cx_charts(
    trend: report.Trend, overall: report.Trend, relation: report.Relation, x_axis: str
) -> dict[str, Any]:
    labels = [report.bucket_label(b, trend.granularity) for b in trend.buckets]
    keys = trend.keys_by_contacts()[: report.MAX_SERIES]
    out: dict[str, Any] = {}
    if trend.dim == "all":
        out["emotion"] = charts.line_chart(
            labels,
            [
                charts.Series(_("Onrust bij begin"), trend.values("", "emotion_start")),
                charts.Series(_("Onrust bij einde"), trend.values("", "emotion_end")),
                charts.Series(_("Emotiewinst"), trend.values("", "emotion_gain")),
            ],
            title=_("Emotie van de klant per periode"),
            y_range=(-0.2, 1.0),
        )
        out["shares"] = charts.line_chart(
            labels,
            [
                charts.Series(_("Rustiger vertrokken"), trend.values("", "calmer_share")),
                charts.Series(_("Negatief"), trend.values("", "negative_share")),
            ],
            title=_("Aandeel rustiger vertrokken en negatief"),
            y_range=(0.0, 1.0),
            y_format=charts.percent,
        )
    else:
        out["emotion"] = charts.line_chart(
            labels,
            [charts.Series(trend.labels[k], trend.values(k, "emotion_gain")) for k in keys],
            title=_("Emotiewinst per periode en groep"),
            y_range=(-0.5, 1.0),
        )
        out["shares"] = charts.line_chart(
            labels,
            [charts.Series(trend.labels[k], trend.values(k, "calmer_share")) for k in keys],
            title=_("Aandeel rustiger vertrokken per groep"),
            y_range=(0.0, 1.0),
            y_format=charts.percent,
        )
    out["nps"] = charts.line_chart(
        labels,
        [charts.Series(_("NPS"), overall.values("", "nps"))],
        title=_("NPS per periode"),
        y_range=(-100.0, 100.0),
    )
    out["csat"] = charts.line_chart(
        labels,
        [charts.Series(_("CSAT"), overall.values("", "csat"))],
        title=_("CSAT per periode"),
        y_range=(1.0, 5.0),
    )
    out["overall_emotion"] = charts.line_chart(
        labels,
        [
            charts.Series(_("Onrust bij einde"), overall.values("", "emotion_end")),
            charts.Series(_("Emotiewinst"), overall.values("", "emotion_gain")),
        ],
        title=_("Emotie van de klant per periode (alles)"),
        y_range=(-0.2, 1.0),
    )
    points = [
        charts.Point(p.label, p.emotion_end if x_axis == "end" else p.emotion_gain, p.nps, p.contacts)  # type: ignore[arg-type]
        for p in relation.reasons
        if p.nps is not None and (p.emotion_end if x_axis == "end" else p.emotion_gain) is not None
    ]
    out["scatter"] = charts.scatter_chart(
        points,
        title=_("Emotie en NPS per contactreden (grootte: aantal contacten)"),
        x_label=_("Onrust bij einde") if x_axis == "end" else _("Emotiewinst"),
        y_label=_("NPS"),
        x_range=(0.0, 1.0) if x_axis == "end" else (-1.0, 1.0),
        y_range=(-100.0, 100.0),
    )
    out["scatter_points"] = len(points)
    groups = trend.keys_by_contacts()[:20]
    # One group ("Alles") is one bar that repeats the table beside it: a chart only to compare groups.
    out["groups"] = (
        charts.bar_chart(
            [(trend.labels[k], trend.totals[k]["emotion_gain"]) for k in groups],
            title=_("Emotiewinst per groep"),
            x_range=(-0.5, 1.0),
        )
        if len(groups) > 1
        else ""
    )
    return out
