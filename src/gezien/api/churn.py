"""API: churn risk (R18). The retention list (`/insights/churn`, scoped like the desk page: managers
every customer, team leads their team's customers in the period, 403 otherwise), one customer's risk
with its reasons (anyone who may see the customer, as on the gezien-kaart), and follow-ups."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import CustomerBrief, DbId, find_or_404
from gezien.api.input import In
from gezien.api.schemas import ReportQuery, name_of
from gezien.core.export import csv_response
from gezien.customers.models import Customer
from gezien.insights.retention import selectors, services
from gezien.insights.retention.export import RISK_CSV_HEADER, risk_csv_rows
from gezien.insights.retention.models import CustomerRisk, RetentionFollowUp, RiskLevel
from gezien.insights.scope import insight_scope

router = Router(tags=["churn"])

LevelLiteral = Literal["hoog", "middel", "laag"]
OutcomeLiteral = Literal["open", "gesproken", "niet_bereikt", "behouden", "vertrokken"]


class ChurnQuery(ReportQuery):
    level: Literal["hoog", "middel"] | None = Field(
        None, description="only this level; default hoog and middel"
    )
    limit: int = Field(100, ge=1, le=500)


class EvidenceOut(Schema):
    contact_id: int | None = None
    message_id: int | None = None
    matter_id: int | None = None
    problem_id: int | None = None
    words: str | None = Field(None, description="the customer's own words")
    at: str | None = None


class RiskReasonOut(Schema):
    kind: Literal["intent", "emotion", "repeats", "problems"]
    text: str = Field(description="the reason in plain Dutch, e.g. \"Zei op 12 nov: 'ik ga overstappen'\"")
    weight: float = Field(description="what this reason alone adds to the score (weight × part)")
    evidence: list[EvidenceOut]


class FollowUpOut(Schema):
    id: int
    note: str
    outcome: OutcomeLiteral
    by: str | None
    at: datetime

    @staticmethod
    def resolve_by(obj: RetentionFollowUp) -> str | None:
        return name_of(obj.by)


class RiskOut(Schema):
    customer: CustomerBrief
    score: float = Field(description="0..1: 1 − Π(1 − wᵢ·partᵢ), see docs/insights-retention.md")
    level: LevelLiteral
    components: dict[str, float] = Field(description="the parts: intent, emotion, repeats, problems (0..1)")
    reasons: list[RiskReasonOut]
    last_contact_at: datetime | None
    open_matters: int
    high_since: datetime | None
    computed_for: datetime
    follow_up: FollowUpOut | None = Field(None, description="the latest follow-up ('opgevolgd')")


class FollowUpIn(In):
    note: str = Field(min_length=1, max_length=2000)
    outcome: OutcomeLiteral = "gesproken"


def _risk_out(risk: CustomerRisk, follow_up: RetentionFollowUp | None) -> dict[str, Any]:
    return {
        "customer": risk.customer,
        "score": risk.score,
        "level": risk.level,
        "components": risk.components,
        "reasons": risk.reasons,
        "last_contact_at": risk.last_contact_at,
        "open_matters": risk.open_matters,
        "high_since": risk.high_since,
        "computed_for": risk.computed_for,
        "follow_up": follow_up,
    }


@router.get("/insights/churn", response=list[RiskOut])
def churn_list(request: HttpRequest, query: Query[ChurnQuery]) -> Any:
    """Customers at churn risk, highest first, with the reasons in words (`?format=csv` for a file)."""
    scope = insight_scope(request.user)
    selectors.check_list_scope(scope)
    period = query.period()
    levels = (query.level,) if query.level else (RiskLevel.HIGH, RiskLevel.MEDIUM)
    rows = selectors.risk_list(scope, period, levels=levels, limit=query.limit)
    if query.format == "csv":
        return csv_response(f"opzegrisico-{period.end}.csv", RISK_CSV_HEADER, risk_csv_rows(rows))
    return [_risk_out(r.risk, r.follow_up) for r in rows]


def _customer(request: HttpRequest, customer_id: int) -> Customer:
    require_perm(request, "customers.view_customer")
    return find_or_404(Customer.objects.all(), customer_id, _("Deze klant bestaat niet."))


@router.get("/customers/{customer_id}/churn-risk", response=RiskOut)
def churn_risk(request: HttpRequest, customer_id: DbId) -> Any:
    """One customer's churn risk with its reasons, as the gezien-kaart shows it."""
    customer = _customer(request, customer_id)
    risk = selectors.customer_risk(customer.pk)
    follow_ups = selectors.follow_ups_of(customer.pk)
    return _risk_out(risk, follow_ups[0] if follow_ups else None)


@router.post("/customers/{customer_id}/retention-follow-ups", response={201: FollowUpOut})
def follow_up_create(request: HttpRequest, customer_id: DbId, payload: FollowUpIn) -> Status[Any]:
    """Record a follow-up on a customer at risk (managers; team leads for their team's customers)."""
    customer = _customer(request, customer_id)
    selectors.check_list_scope(insight_scope(request.user))
    follow_up = services.follow_up_add(
        customer=customer,
        by=current_user(request),
        note=payload.note,
        outcome=payload.outcome,
    )
    return Status(201, follow_up)
