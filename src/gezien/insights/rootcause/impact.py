"""What a problem costs customer service and its customers, from the facts of the contacts linked to
it: contacts, customers, agent hours, the share of contacts with negative emotion, customers at churn
risk, and money where a value per contact is configured. One grouped query for any number of problems.

Definitions (the same as the dashboards' rollup columns in `insights.rollups.AGGREGATES`):
- negative: the customer's peak distress in the contact reached 0.5 (`ContactFact.negative`);
  the share is over all linked contacts;
- at churn risk: a customer whose churn risk on the retention list is hoog (retention registers that
  condition with `high_risk_from`), or who has a linked contact whose churn intent reached 0.5;
- agent hours: the sum of `handling_seconds` / 3600;
- money: contacts × GEZIEN_CONTACT_VALUE_EUR (not shown when that is 0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from gezien.desksettings.store import desk_setting
from gezien.insights.models import ContactFact
from gezien.insights.rollups import insights_catch_up

CHURN_RISK_AT = 0.5

# Which customers count as at churn risk beyond their own words comes from retention (a sibling that
# reads the board): it registers a condition on a fact's customer here (`Exists(...)` with an `OuterRef`).
_high_risk: list[Callable[[], Q]] = []


def high_risk_from(condition: Callable[[], Q]) -> None:
    """Register the condition that makes a fact's customer count as at churn risk."""
    _high_risk[:] = [condition]


@dataclass(frozen=True)
class Impact:
    contacts: int = 0
    customers: int = 0
    handling_seconds: int = 0
    negative: int = 0
    churn_customers: int = 0
    value_per_contact: int = 0

    @property
    def agent_hours(self) -> float:
        return round(self.handling_seconds / 3600, 1)

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.contacts if self.contacts else None

    @property
    def money(self) -> int | None:
        return self.contacts * self.value_per_contact if self.value_per_contact > 0 else None

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "contacts": self.contacts,
            "customers": self.customers,
            "agent_hours": self.agent_hours,
            "negative_share": round(self.negative_share, 3) if self.negative_share is not None else None,
            "churn_customers": self.churn_customers,
            "money_eur": self.money,
        }


def problems_impact(problem_ids: Iterable[int]) -> dict[int, Impact]:
    """The impact per problem, in one grouped query over the facts of the linked contacts."""
    ids = sorted(set(problem_ids))
    if not ids:
        return {}
    insights_catch_up()

    value = int(desk_setting("contact_value_eur"))
    at_risk = Q(churn__gte=CHURN_RISK_AT)
    for condition in _high_risk:
        at_risk |= condition()
    rows = (
        ContactFact.objects.filter(contact__problem_links__problem_id__in=ids)
        .values("contact__problem_links__problem_id")
        .annotate(
            contacts=Count("contact_id", distinct=True),
            customers=Count("customer_id", distinct=True),
            handling=Sum("handling_seconds"),
            negatives=Count("contact_id", filter=Q(negative=True), distinct=True),
            churners=Count("customer_id", filter=at_risk, distinct=True),
        )
    )
    found = {
        row["contact__problem_links__problem_id"]: Impact(
            contacts=row["contacts"],
            customers=row["customers"],
            handling_seconds=int(row["handling"] or 0),
            negative=row["negatives"],
            churn_customers=row["churners"],
            value_per_contact=value,
        )
        for row in rows
    }
    return {pid: found.get(pid, Impact(value_per_contact=value)) for pid in ids}


def problem_impact(problem_id: int) -> Impact:
    return problems_impact([problem_id])[problem_id]
