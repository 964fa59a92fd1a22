"""The honest-resolution pages: the dashboard (/insights/resolution/) and one matter with its contacts
on every channel (/desk/matters/<id>/)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict

from django.conf import settings

from gezien.contacts.models import Contact, Matter
from gezien.core.period import Period
from gezien.insights.resolution import report, selectors
from gezien.insights.scope import Scope
from gezien.web.pages.insights import Dashboard, dashboard, dim_choices


class ResolutionDashboardPage(Dashboard):
    groups: list[report.Group]
    overall: dict[str, Any]
    names: dict[str, str]
    days: int  # the working days without a new contact after which a matter counts as resolved


def dashboard_page(scope: Scope, period: Period, dim: str, query: str) -> ResolutionDashboardPage:
    """Naive resolution, honest first-contact resolution, the gap, repeats and handling time per group."""
    days = settings.GEZIEN_RESOLUTION_WORKING_DAYS
    groups = report.resolution_groups(scope, period, dim)
    overall = groups if dim == "all" else report.resolution_groups(scope, period, "all")
    return {
        **dashboard(period, "resolution", dim, dim_choices(report.DIMS, scope), query),
        "groups": groups,
        "overall": overall[0].figures if overall else {},
        "names": report.figure_names(days),
        "days": days,
    }


class MatterPage(TypedDict):
    matter: Matter
    contacts: list[Contact]
    settles_at: datetime | None
    days: int


def matter_page(matter: Matter) -> MatterPage:
    """One matter (from `selectors.matter_detail`): its contacts, its state and when it counts as
    resolved."""
    return {
        "matter": matter,
        "contacts": list(matter.contacts.all()),
        "settles_at": selectors.settles_at(matter),
        "days": settings.GEZIEN_RESOLUTION_WORKING_DAYS,
    }
