"""The service-level pages: the dashboard (/insights/sla/) and the policies managers keep
(/insights/sla/policies/), one form per channel × priority."""

from __future__ import annotations

from typing import Any, TypedDict

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gezien.contacts.models import Channel, Priority
from gezien.core.calendar import default_calendar, format_opening_hours
from gezien.core.period import Period
from gezien.insights.scope import Scope
from gezien.insights.sla import report
from gezien.insights.sla.models import SlaPolicy
from gezien.web.pages.insights import Dashboard, dashboard, dim_choices


class PolicyForm(forms.Form):
    first_response_minutes = forms.IntegerField(
        label=gettext_lazy("Eerste reactie binnen (minuten)"), required=False, min_value=1, max_value=527_040
    )
    resolution_minutes = forms.IntegerField(
        label=gettext_lazy("Afgehandeld binnen (minuten)"), required=False, min_value=1, max_value=527_040
    )
    warn_percent = forms.IntegerField(
        label=gettext_lazy("Waarschuwen bij (% van de tijd)"), min_value=5, max_value=99, initial=80
    )
    active = forms.BooleanField(label=gettext_lazy("Actief"), required=False)


class SlaDashboardPage(Dashboard):
    groups: list[report.Group]
    overall: dict[str, Any]
    names: dict[str, str]
    now: report.Now
    opening_hours: list[tuple[str, str]]
    can_edit_policies: bool


def dashboard_page(
    scope: Scope, period: Period, dim: str, query: str, *, can_edit_policies: bool
) -> SlaDashboardPage:
    """Breach rates and the mean first response per group, and the open contacts about to breach or
    over time right now."""
    groups = report.sla_groups(scope, period, dim)
    overall = groups if dim == "all" else report.sla_groups(scope, period, "all")
    return {
        **dashboard(period, "sla", dim, dim_choices(report.DIMS, scope), query),
        "groups": groups,
        "overall": overall[0].figures if overall else {},
        "names": report.figure_names(),
        "now": report.sla_now(scope, timezone.now()),
        "opening_hours": format_opening_hours(default_calendar()),
        "can_edit_policies": can_edit_policies,
    }


class PolicyRow(TypedDict):
    channel: Channel
    priority: Priority
    policy: SlaPolicy | None
    form: forms.Form


class PoliciesPage(TypedDict):
    rows: list[PolicyRow]
    can_change: bool
    opening_hours: list[tuple[str, str]]
    active_tab: str


Refused = dict[tuple[str, str], forms.Form]  # (channel, priority) -> the form refused, with its errors


def _policy_rows(refused: Refused) -> list[PolicyRow]:
    existing = {(p.channel, p.priority): p for p in SlaPolicy.objects.all()}
    rows: list[PolicyRow] = []
    for channel in Channel:
        for priority in Priority:
            policy = existing.get((channel.value, priority.value))
            form = refused.get((channel.value, priority.value)) or PolicyForm(
                initial={
                    "first_response_minutes": policy.first_response_minutes if policy else None,
                    "resolution_minutes": policy.resolution_minutes if policy else None,
                    "warn_percent": round((policy.warn_share if policy else 0.8) * 100),
                    "active": policy.active if policy else False,
                },
                prefix=f"{channel.value}-{priority.value}",
            )
            rows.append({"channel": channel, "priority": priority, "policy": policy, "form": form})
    return rows


def policies_page(*, can_change: bool, refused: Refused | None = None) -> PoliciesPage:
    """Every channel × priority with its targets in minutes of opening hours."""
    return {
        "rows": _policy_rows(refused or {}),
        "can_change": can_change,
        "opening_hours": format_opening_hours(default_calendar()),
        "active_tab": "sla",
    }
