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
from gezien.insights.scope import Scope, insight_scope
from gezien.web.pages import insights as pages
from gezien.web.pages.errors import invalid_page
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
            return render(request, "web/insights/invalid.html", invalid_page(exc.message), status=422)

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


@require_GET
@insight_page
def home(request: HttpRequest) -> HttpResponse:
    """The headline figures of the period, each linking to its dashboard."""
    scope, period = insight_request(request)
    if wants_csv(request):
        now = report.headline(scope, period)
        before = report.headline(scope, report.previous(period))
        names = report.figure_names()
        rows = [(names[k], now[k], before[k]) for k in report.HEADLINE_FIGURES]
        return csv_response(
            f"inzichten-{period.start}-{period.end}.csv",
            [_("Cijfer"), f"{period.start}..{period.end}", _("Periode ervoor")],
            rows,
        )
    return render(request, "web/insights/home.html", pages.home_page(scope, period))


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
    if wants_csv(request):
        top = None if request.GET.get("table") == "trend" else report.MAX_SERIES
        trend = report.trend(scope, period, dim, granularity, top=top)
        return _cx_csv(request, period, trend, report.relation(scope, period))
    page = pages.cx_page(scope, period, dim, granularity, x_axis, request.GET.urlencode())
    return render(request, "web/insights/cx.html", page)


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
