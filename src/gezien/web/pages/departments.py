"""The department owners' page (/insights/department/): a week for one department beside the weeks
before it, and the departments the reader may pick."""

from __future__ import annotations

from datetime import date

from gezien.accounts.models import Department
from gezien.core.period import Period
from gezien.insights.retention import department as overview_of
from gezien.insights.scope import Scope
from gezien.web.pages.insights import Tabbed


class DepartmentPage(Tabbed):
    overview: overview_of.Overview
    departments: list[Department]
    query: str


def department_page(scope: Scope, period: Period, department: Department, week: date) -> DepartmentPage:
    overview = overview_of.department_overview(department, week)
    return {
        "overview": overview,
        "departments": overview_of.departments_visible(scope),
        "period": period,
        "active_tab": "department",
        "query": f"department={department.pk}&week={overview.week_start.isoformat()}",
    }
