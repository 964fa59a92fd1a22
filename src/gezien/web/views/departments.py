"""Desk page: the department owners' view (/insights/department/): what customer service absorbed for a
department in a week, its open spikes and problems and what still awaits its answer. Owners see their
own departments, managers pick any; anyone else gets 403."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gezien.core.errors import Forbidden, Invalid
from gezien.core.export import csv_response
from gezien.insights.retention import department as overview_of
from gezien.insights.scope import insight_scope
from gezien.web.pages import departments as pages
from gezien.web.views.common import allowed_when
from gezien.web.views.insights import insight_page, insight_request, wants_csv


def _department_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Invalid(_("Onbekende afdeling."), field="department")
    return int(raw)


def sees_departments(user: Any) -> bool:
    """The rule of the page: a department to show (`department_for` refuses the others)."""
    try:
        return bool(overview_of.departments_visible(insight_scope(user)))
    except Forbidden:
        return False


@allowed_when(sees_departments)
@require_GET
@insight_page
def department_page(request: HttpRequest) -> HttpResponse:
    """This week for one department, next to the weeks before it."""
    scope, period = insight_request(request)
    department = overview_of.department_for(scope, _department_id(request.GET.get("department")))
    week = overview_of.week_from(request.GET.get("week") or request.GET.get("to"))
    if wants_csv(request):
        overview = overview_of.department_overview(department, week)
        name = f"afdeling-{department.code}-{overview.week_start}"
        if request.GET.get("table") == "problems":
            rows = overview_of.problem_csv_rows(overview)
            return csv_response(f"{name}-signalen.csv", overview_of.PROBLEM_CSV_HEADER, rows)
        return csv_response(
            f"{name}.csv", overview_of.REASON_CSV_HEADER, overview_of.reason_csv_rows(overview)
        )
    page = pages.department_page(scope, period, department, week)
    return render(request, "web/insights/department.html", page)


urls: list[URLPattern] = [
    path("insights/department/", department_page, name="insights_department"),
]
