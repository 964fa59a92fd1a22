"""API: service levels (issue 5). SLA policies (GET /api/sla/policies, PUT
/api/sla/policies/{channel}/{priority}), a contact's priority (PUT /api/contacts/{id}/priority) and
timers (GET /api/contacts/{id}/sla), and the SLA figures (GET /api/insights/sla, `?format=csv` for the
same rows as a CSV file, like every insights endpoint)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import DbId, get_or_404
from gezien.api.input import In
from gezien.api.schemas import ChannelLiteral, ReportQuery
from gezien.audit.log import audit_from_request
from gezien.contacts.models import Contact
from gezien.core.export import csv_response
from gezien.insights.scope import insight_scope
from gezien.insights.sla import report
from gezien.insights.sla.models import SlaPolicy
from gezien.insights.sla.services import contact_set_priority, sla_policy_save
from gezien.insights.sla.timers import ContactTimers, contact_timers, first_replies, policies_by_key

router = Router(tags=["sla"])

PriorityLiteral = Literal["normal", "high", "urgent"]
StateLiteral = Literal["none", "running", "soon", "met", "breached"]
Minutes = int | None


class PolicyOut(Schema):
    channel: ChannelLiteral
    priority: PriorityLiteral
    first_response_minutes: int | None = Field(description="minutes of opening hours; null: no target")
    resolution_minutes: int | None
    warn_share: float = Field(description="'bijna over tijd' once this share of the target is used")
    active: bool
    updated_at: datetime


class PolicyIn(In):
    first_response_minutes: int | None = Field(None, ge=1, le=527_040)
    resolution_minutes: int | None = Field(None, ge=1, le=527_040)
    warn_share: float = Field(0.8, ge=0.05, le=0.99)
    active: bool = True


class PriorityIn(In):
    priority: PriorityLiteral


class TimerOut(Schema):
    state: StateLiteral
    target_seconds: int | None = Field(description="the target in seconds of opening hours")
    due: datetime | None = Field(description="the deadline (opening hours counted from opening)")
    used_seconds: int | None = Field(description="opening-hour seconds until done, closing or now")
    left_seconds: int | None = Field(description="negative when over time")
    done_at: datetime | None
    label: str = Field(description="as the desk shows it, e.g. 'nog 1u 20m', 'over tijd 35m'")


class ContactSlaOut(Schema):
    contact_id: int
    channel: ChannelLiteral
    priority: PriorityLiteral
    first_response: TimerOut
    resolution: TimerOut


class NowOut(Schema):
    open: int
    soon: int = Field(description="open contacts whose next target will breach soon")
    breached: int = Field(description="open contacts with a target not met")


class SlaFiguresOut(Schema):
    contacts: float
    first_response_n: float
    first_response_breached: float
    first_response_breach_rate: float | None
    first_response_minutes: float | None = Field(description="mean, in minutes of opening hours")
    resolution_n: float
    resolution_breached: float
    resolution_breach_rate: float | None


class SlaGroupOut(Schema):
    key: str
    label: str
    figures: SlaFiguresOut


class SlaReportOut(Schema):
    start: date
    end: date
    dim: str
    groups: list[SlaGroupOut]
    now: NowOut


class SlaQuery(ReportQuery):
    dim: Literal["all", "team", "channel", "reason", "priority"] = "all"


def _contact_sla(contact: Contact, timers: ContactTimers) -> dict[str, Any]:
    return {
        "contact_id": contact.pk,
        "channel": contact.channel,
        "priority": contact.priority,
        "first_response": timers.first_response,
        "resolution": timers.resolution,
    }


def _timers_of(contact: Contact) -> ContactTimers:
    policy = policies_by_key().get((contact.channel, contact.priority))
    return contact_timers(contact, policy, first_replies([contact.pk]).get(contact.pk), timezone.now())


@router.get("/sla/policies", response=list[PolicyOut])
def policies_list(request: HttpRequest) -> Any:
    """Every SLA policy (targets per channel and priority, in minutes of opening hours)."""
    require_perm(request, "sla.view_slapolicy")
    return list(SlaPolicy.objects.all())


@router.put("/sla/policies/{channel}/{priority}", response=PolicyOut)
def policy_put(
    request: HttpRequest, channel: ChannelLiteral, priority: PriorityLiteral, body: PolicyIn
) -> Any:
    """Set the targets of one channel and priority (created when missing). Open contacts follow at once."""
    require_perm(request, "sla.change_slapolicy")
    policy = sla_policy_save(
        channel=channel,
        priority=priority,
        first_response_minutes=body.first_response_minutes,
        resolution_minutes=body.resolution_minutes,
        warn_share=body.warn_share,
        active=body.active,
    )
    audit_from_request(
        request,
        action="settings.change",
        object_type="sla_policy",
        object_id=policy.pk,
        details={"change": "update"},
    )
    return policy


@router.put("/contacts/{contact_id}/priority", response=ContactSlaOut)
def priority_put(request: HttpRequest, contact_id: DbId, body: PriorityIn) -> Any:
    """Set a contact's priority (recorded in its history); answers its SLA timers under the new one."""
    require_perm(request, "contacts.handle_contact")
    contact = contact_set_priority(
        contact=get_or_404(Contact, contact_id),
        priority=body.priority,
        actor=current_user(request),
    )
    return _contact_sla(contact, _timers_of(contact))


@router.get("/contacts/{contact_id}/sla", response=ContactSlaOut)
def contact_sla(request: HttpRequest, contact_id: DbId) -> Any:
    """A contact's first-response and resolution timers, as the desk queue shows them."""
    require_perm(request, "contacts.handle_contact")
    contact = get_or_404(Contact, contact_id)
    return _contact_sla(contact, _timers_of(contact))


@router.get("/insights/sla", response=SlaReportOut)
def sla_report(request: HttpRequest, query: Query[SlaQuery]) -> Any:
    """First-response and resolution breach rates and the mean first response (minutes of opening
    hours) per group, and the open contacts about to breach or over time now. Scoped like the desk."""
    scope = insight_scope(request.user)
    period = query.period()
    groups = report.sla_groups(scope, period, query.dim)
    if query.format == "csv":
        return csv_response(
            f"servicelevels-{query.dim}-{period.start}-{period.end}.csv",
            report.csv_header(),
            report.csv_rows(groups),
        )
    return {
        "start": period.start,
        "end": period.end,
        "dim": query.dim,
        "groups": [{"key": g.key, "label": g.label, "figures": g.figures} for g in groups],
        "now": report.sla_now(scope, timezone.now()).as_dict(),
    }
