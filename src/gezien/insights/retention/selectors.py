"""Reads of retention: who may see which customers' churn risk, and the retention list.

Managers (and admins) see every customer; a team lead sees the customers who had a contact handled by
their team in the period (and may follow up a customer their team ever handled). Department owners
see how many of their reasons' customers are at risk (in their own view), never the list of names:
following up a customer is customer service's work, not the department's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gezien.contacts.models import Contact
from gezien.core.errors import Forbidden
from gezien.core.period import Period
from gezien.insights.models import ContactFact
from gezien.insights.retention.models import CustomerRisk, RetentionFollowUp, RiskLevel
from gezien.insights.retention.risk import risks_catch_up, risks_refresh
from gezien.insights.scope import Scope

LIST_LIMIT = 500


@dataclass(frozen=True)
class RiskRow:
    risk: CustomerRisk
    follow_up: RetentionFollowUp | None
    follow_ups: int


def check_list_scope(scope: Scope) -> None:
    if not scope.everything and scope.team_id is None:
        raise Forbidden(_("Het opzegrisico per klant is er voor teamleiders en managers."))


def may_follow_up(scope: Scope, customer_id: int) -> bool:
    if scope.everything:
        return True
    if scope.team_id is None:
        return False
    return Contact.objects.filter(team_id=scope.team_id, customer_id=customer_id).exists()


def may_see(scope: Scope, customer_id: int) -> bool:
    return may_follow_up(scope, customer_id)


def risk_list(
    scope: Scope,
    period: Period,
    *,
    levels: Sequence[str] = (RiskLevel.HIGH, RiskLevel.MEDIUM),
    limit: int = LIST_LIMIT,
) -> list[RiskRow]:
    """Customers at risk, highest first, with their latest follow-up: three queries (after bringing
    the risks up to date)."""
    check_list_scope(scope)
    risks_catch_up()
    risks = CustomerRisk.objects.filter(level__in=list(levels)).select_related("customer")
    if scope.team_id is not None:
        team_customers = ContactFact.objects.filter(
            team_id=scope.team_id, day__gte=period.start, day__lte=period.end, customer_id__isnull=False
        ).values("customer_id")
        risks = risks.filter(customer_id__in=team_customers)
    rows = list(risks.order_by("-score", "customer_id")[:limit])
    latest: dict[int, RetentionFollowUp] = {}
    counts: dict[int, int] = {}
    for follow_up in RetentionFollowUp.objects.filter(
        customer_id__in=[r.customer_id for r in rows]
    ).select_related("by"):
        latest.setdefault(follow_up.customer_id, follow_up)  # newest first (Meta.ordering)
        counts[follow_up.customer_id] = counts.get(follow_up.customer_id, 0) + 1
    return [RiskRow(r, latest.get(r.customer_id), counts.get(r.customer_id, 0)) for r in rows]


def customer_risk(customer_id: int) -> CustomerRisk:
    """One customer's churn risk, up to date (computed now when it never was)."""
    risks_catch_up()
    risk = CustomerRisk.objects.filter(pk=customer_id).select_related("customer").first()
    if risk is None:  # never computed (no contact since the risks were last built)
        risks_refresh([customer_id])
        risk = CustomerRisk.objects.select_related("customer").get(pk=customer_id)
    return risk


def follow_ups_of(customer_id: int) -> list[RetentionFollowUp]:
    return list(RetentionFollowUp.objects.filter(customer_id=customer_id).select_related("by"))
