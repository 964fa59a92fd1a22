"""Desk pages: the insights home (/insights/) and emotion-based customer experience (/insights/cx/).

Every page reads figures through `gezien.insights.scope` (a team lead sees their team, a department
owner their reasons, 403 for anyone else); the selectors bring the figures up to date themselves. Every
table on a page is also a CSV file: the same URL with `?format=csv&table=<name>` (the links are on the page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gezien.core.errors import Forbidden, Invalid, NotFound
from gezien.core.export import csv_response
from gezien.core.period import Period, period_from
from gezien.insights import cx_report as report
from gezien.insights.scope import Scope, insight_scope, scoped_dimension
from gezien.web import charts
from gezien.web.templatetags.insights import url_or_none
from gezien.web.views.common import allowed_when


def sees_insights(user: Any) -> bool:
    """The rule of every insights page: a scope (`insights.scope.insight_scope`) and no refusal."""
    try:
        insight_scope(user)
    except Forbidden:
        return False
    return True


def insight_request(request: HttpRequest) -> tuple[Scope, Period]:
    """The scope of the person and the period asked for (the selectors bring the figures up to date).
    PermissionDenied (403) for someone without insights; Invalid (a 422 page) for a bad period.
    Other insight pages may use this too."""
    try:
        scope = insight_scope(request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    period = period_from(request.GET)
    return scope, period


def insight_page(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Turn a refused dimension into 403 and bad input (dates, dim, granularity) into a 422 page."""

    def wrapped(request: HttpRequest) -> HttpResponse:
        try:
            return view(request)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Invalid as exc:
            return render(request, "web/insights/invalid.html", {"message": exc.message}, status=422)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return allowed_when(sees_insights)(wrapped)


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def _table_or_404(request: HttpRequest, tables: Sequence[str]) -> str:
    table = request.GET.get("table") or tables[0]
    if table not in tables:
        raise Invalid(_("Onbekende tabel: kies %(tables)s.") % {"tables": ", ".join(tables)}, field="table")
    return table


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


@require_GET
@insight_page
def home(request: HttpRequest) -> HttpResponse:
    """The headline figures of the period, each linking to its dashboard."""
    scope, period = insight_request(request)
    now = report.headline(scope, period)
    before = report.headline(scope, report.previous(period))
    names = report.figure_names()
    if wants_csv(request):
        rows = [(names[k], now[k], before[k]) for k in report.HEADLINE_FIGURES]
        return csv_response(
            f"inzichten-{period.start}-{period.end}.csv",
            [_("Cijfer"), f"{period.start}..{period.end}", _("Periode ervoor")],
            rows,
        )

    tiles = []
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
    context = {"tiles": tiles, "period": period, "scope": scope, "active_tab": "home"}
    return render(request, "web/insights/home.html", context)


# --------------------------------------------------------------------------- /insights/cx/

CX_TABLES = ("trend", "groups", "relation")


@require_GET
@insight_page
def cx(request: HttpRequest) -> HttpResponse:
    """Emotion at the start and end, gain, calmer and negative shares per period and group, beside
    NPS and CSAT, and how they relate per contact reason."""
    scope, period = insight_request(request)
    dim = report.dim_from(request.GET.get("dim"))
    granularity = report.granularity_from(request.GET.get("granularity"), period)
    x_axis = report.x_from(request.GET.get("x"))
    csv_trend = wants_csv(request) and request.GET.get("table") == "trend"
    trend = report.trend(scope, period, dim, granularity, top=None if csv_trend else report.MAX_SERIES)
    overall = trend if dim == "all" else report.trend(scope, period, "all", granularity)
    relation = report.relation(scope, period)
    if wants_csv(request):
        return _cx_csv(request, period, trend, relation)
    context = {
        "period": period,
        "dim": dim,
        "dims": dim_choices(CX_DIMS),
        "granularity": granularity,
        "granularities": [("day", _("Dag")), ("week", _("Week")), ("month", _("Maand"))],
        "x_axis": x_axis,
        "trend": trend,
        "rows": [(k, trend.labels[k], trend.totals[k]) for k in trend.keys_by_contacts()],
        "relation": relation,
        "names": report.figure_names(),
        "charts": _cx_charts(trend, overall, relation, x_axis),
        "active_tab": "cx",
        "query": request.GET.urlencode(),
    }
    return render(request, "web/insights/cx.html", context)


CX_DIMS = ("all", "team", "agent", "channel", "reason", "department")


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


def _cx_charts(
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
    out["groups"] = charts.bar_chart(
        [(trend.labels[k], trend.totals[k]["emotion_gain"]) for k in trend.keys_by_contacts()[:20]],
        title=_("Emotiewinst per groep"),
        x_range=(-0.5, 1.0),
    )
    return out


def _cx_csv(
    request: HttpRequest, period: Period, trend: report.Trend, relation: report.Relation
) -> HttpResponse:
    table = _table_or_404(request, CX_TABLES)
    names = report.figure_names()
    stem = f"klantbeleving-{table}-{period.start}-{period.end}"
    if table == "trend":
        return csv_response(f"{stem}.csv", report.trend_header(), report.trend_rows(trend))
    if table == "groups":
        header = [_("Groep"), *(names[n] for n in report.CX_FIGURES)]
        rows = [
            [trend.labels[k], *(trend.totals[k][n] for n in report.CX_FIGURES)]
            for k in trend.keys_by_contacts()
        ]
        return csv_response(f"{stem}.csv", header, rows)
    return csv_response(f"{stem}.csv", report.relation_header(), report.relation_rows(relation))


urls: list[URLPattern] = [
    path("insights/", home, name="insights"),
    path("insights/cx/", cx, name="insights_cx"),
]
