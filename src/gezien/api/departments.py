"""API: the department owners' view. `GET /api/insights/departments/{id}?week=YYYY-MM-DD`: what customer
service absorbed for the department that week, next to the weeks before, with its open problems and
spikes. Owners of the department and managers; 403 otherwise. `?format=csv` (and `table=problems`)
for the same rows as the desk page's CSV links."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from gezien.api.common import DbId
from gezien.api.input import In
from gezien.core.export import csv_response
from gezien.insights.retention import department as overview_of
from gezien.insights.scope import insight_scope

router = Router(tags=["departments"])


class DepartmentQuery(In):
    week: str | None = Field(None, description="any day of the week (YYYY-MM-DD); default this week")
    format: Literal["json", "csv"] = "json"
    table: Literal["reasons", "problems"] = "reasons"


class ReasonWeekOut(Schema):
    reason_id: int
    name: str
    contacts: int
    previous: list[int] = Field(description="contacts in each earlier week, the nearest first")
    agent_hours: float
    negative_share: float | None
    honest_fcr: float | None
    naive_resolution: float | None


class ProblemLineOut(Schema):
    id: int
    title: str
    status: str
    awaits_answer: bool = Field(description="the department has not written an answer yet")
    impact: dict[str, float | int | None]
    url: str


class SpikeLineOut(Schema):
    id: int
    reason: str
    explanation: str
    observed: int
    expected: float
    detected_at: datetime


class DepartmentOverviewOut(Schema):
    department_id: int
    department: str
    week_start: date
    weeks: list[date]
    contacts: float
    previous_contacts: list[int]
    agent_hours: float | None
    negative_share: float | None
    honest_fcr: float | None
    naive_resolution: float | None
    churn_customers: dict[str, int] = Field(
        description="customers with a contact this week at risk hoog/middel"
    )
    reasons: list[ReasonWeekOut]
    problems: list[ProblemLineOut]
    spikes: list[SpikeLineOut]


@router.get("/insights/departments/{department_id}", response=DepartmentOverviewOut)
def department_week(request: HttpRequest, department_id: DbId, query: Query[DepartmentQuery]) -> Any:
    """One department's week."""
    from django.urls import reverse

    department = overview_of.department_for(insight_scope(request.user), department_id)
    week = overview_of.week_from(query.week)
    overview = overview_of.department_overview(department, week)
    if query.format == "csv":
        name = f"afdeling-{department.code}-{overview.week_start}"
        if query.table == "problems":
            rows = overview_of.problem_csv_rows(overview)
            return csv_response(f"{name}-signalen.csv", overview_of.PROBLEM_CSV_HEADER, rows)
        return csv_response(
            f"{name}.csv", overview_of.REASON_CSV_HEADER, overview_of.reason_csv_rows(overview)
        )
    t = overview.total
    return {
        "department_id": department.pk,
        "department": department.name,
        "week_start": overview.week_start,
        "weeks": overview.weeks,
        "contacts": t["contacts"] or 0,
        "previous_contacts": overview.previous_contacts,
        "agent_hours": t.get("agent_hours"),
        "negative_share": t["negative_share"],
        "honest_fcr": t["honest_fcr"],
        "naive_resolution": t["naive_resolution"],
        "churn_customers": overview.churn_customers,
        "reasons": overview.reasons,
        "problems": [
            {**p.__dict__, "url": reverse("desk:insights_problem", args=[p.id])} for p in overview.problems
        ],
        "spikes": overview.spikes,
    }
