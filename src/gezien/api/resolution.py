"""API: honest resolution (issue 5). The figures side by side (GET /api/insights/resolution, `?format=csv`
for the same rows as a CSV file, like every insights endpoint), matters across channels (GET
/api/matters/{id}, GET /api/customers/{id}/matters), the customer's word (POST /api/matters/{id}/confirm)
and an agent's links (POST /api/contacts/{id}/matter, GET /api/contacts/{id}/matter/proposals)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import DbId, get_or_404
from gezien.api.input import In
from gezien.api.schemas import ChannelLiteral, ReportQuery
from gezien.contacts.models import Contact, Matter
from gezien.core.errors import NotFound
from gezien.core.export import csv_response
from gezien.customers.models import Customer
from gezien.insights.resolution import report, selectors, services
from gezien.insights.scope import insight_scope

router = Router(tags=["resolution"])


class ResolutionFiguresOut(Schema):
    contacts: float
    naive_n: float = Field(description="closed contacts whose naive window has passed (decided)")
    naive_resolution: float | None = Field(
        description="share with no new contact on the same channel within N working days"
    )
    honest_n: float = Field(description="first contacts of a matter whose outcome is decided")
    honest_fcr: float | None = Field(description="share resolved with that one first contact")
    resolution_gap: float | None = Field(description="naive − honest")
    repeats: float
    repeat_rate: float | None
    handling_minutes: float | None = Field(description="mean handling time; never shown without honest_fcr")


class ResolutionGroupOut(Schema):
    key: str
    label: str
    figures: ResolutionFiguresOut


class ResolutionReportOut(Schema):
    start: date
    end: date
    dim: str
    working_days: int
    groups: list[ResolutionGroupOut]


class ResolutionQuery(ReportQuery):
    dim: Literal["all", "team", "agent", "reason", "channel"] = "all"


class MatterContactOut(Schema):
    id: int
    channel: ChannelLiteral
    status: str
    reason: str | None
    opened_at: datetime
    closed_at: datetime | None
    summary: str

    @staticmethod
    def resolve_reason(obj: Contact) -> str | None:
        return obj.reason.code if obj.reason else None


class ResolutionMatterOut(Schema):
    id: int
    customer_id: int
    reason: str | None = Field(description="the reason code the matter started with")
    title: str
    state: Literal["open", "resolved"]
    resolution: Literal["", "confirmed", "no_return"]
    resolved_at: datetime | None
    settles_at: datetime | None = Field(
        description="open, all contacts closed: when it counts as resolved if nobody comes back"
    )
    opened_at: datetime
    last_contact_at: datetime
    contacts: list[MatterContactOut]

    @staticmethod
    def resolve_reason(obj: Matter) -> str | None:
        return obj.reason.code if obj.reason else None

    @staticmethod
    def resolve_settles_at(obj: Matter) -> datetime | None:
        return selectors.settles_at(obj)

    @staticmethod
    def resolve_contacts(obj: Matter) -> list[Contact]:
        return list(obj.contacts.all())


class ConfirmIn(In):
    resolved: bool = Field(True, description="true: the customer confirms; false: 'nee', reopens it")
    contact_id: DbId | None = Field(None, description="the contact it was said in (default: the newest)")


class MatterLinkIn(In):
    matter_id: DbId | None = Field(
        description="a matter of the same customer to link the contact to; null: a matter of its own"
    )


class MatterProposalOut(Schema):
    contact_id: int
    channel: ChannelLiteral
    opened_at: datetime
    reason: str | None
    matter_id: int | None


def _matter(matter_id: int | None) -> Matter:
    matter = selectors.matter_detail(matter_id) if matter_id else None
    if matter is None:
        raise NotFound(_("Deze kwestie bestaat niet."))
    return matter


@router.get("/insights/resolution", response=ResolutionReportOut)
def resolution_report(request: HttpRequest, query: Query[ResolutionQuery]) -> Any:
    """Naive resolution next to honest first-contact resolution, the gap, the repeat-contact rate and
    handling time, per group. Scoped like the dashboards (team leads their team, department owners
    their reasons)."""
    scope = insight_scope(request.user)
    period = query.period()
    groups = report.resolution_groups(scope, period, query.dim)
    days = settings.GEZIEN_RESOLUTION_WORKING_DAYS
    if query.format == "csv":
        return csv_response(
            f"oplossing-{query.dim}-{period.start}-{period.end}.csv",
            report.csv_header(days),
            report.csv_rows(groups),
        )
    return {
        "start": period.start,
        "end": period.end,
        "dim": query.dim,
        "working_days": days,
        "groups": [{"key": g.key, "label": g.label, "figures": g.figures} for g in groups],
    }


@router.get("/matters/{matter_id}", response=ResolutionMatterOut)
def read_matter(request: HttpRequest, matter_id: DbId) -> Matter:
    """A matter with its contacts on every channel (oldest first) and its state."""
    require_perm(request, "contacts.view_contact")
    return _matter(matter_id)


@router.get("/customers/{customer_id}/matters", response=list[ResolutionMatterOut])
def customer_matters(request: HttpRequest, customer_id: DbId) -> list[Matter]:
    """The customer's matters, newest first (at most 100)."""
    require_perm(request, "contacts.view_contact")
    customer = get_or_404(Customer, customer_id)
    return list(selectors.customer_matters(customer.pk))


@router.post("/matters/{matter_id}/confirm", response=ResolutionMatterOut)
def confirm_matter(request: HttpRequest, matter_id: DbId, payload: ConfirmIn) -> Matter:
    """The customer says the matter is resolved (`resolved: true`) or not ('nee': reopens it)."""
    require_perm(request, "contacts.handle_contact")
    matter = get_or_404(Matter, matter_id)
    contact = get_or_404(Contact, payload.contact_id) if payload.contact_id else None
    services.matter_confirm(
        matter=matter,
        resolved=payload.resolved,
        actor=current_user(request),
        contact=contact,
        source="api",
    )
    return _matter(matter.pk)


@router.post("/contacts/{contact_id}/matter", response=ResolutionMatterOut)
def link_contact(request: HttpRequest, contact_id: DbId, payload: MatterLinkIn) -> Matter:
    """Link the contact to another matter of the same customer, or (matter_id null) give it a matter
    of its own. Answers the contact's matter as it is now."""
    require_perm(request, "contacts.handle_contact")
    contact = get_or_404(Contact, contact_id)
    user = current_user(request)
    if payload.matter_id is None:
        contact = services.matter_unlink(contact=contact, actor=user)
    else:
        matter = get_or_404(Matter, payload.matter_id)
        contact = services.matter_link(contact=contact, matter=matter, actor=user)
    return _matter(contact.matter_id)


@router.get("/contacts/{contact_id}/matter/proposals", response=list[MatterProposalOut])
def matter_proposals(request: HttpRequest, contact_id: DbId) -> list[dict[str, Any]]:
    """Other contacts of the same customer about the same reason family that are in another matter or
    none: candidates to link this contact to (newest first, at most five)."""
    require_perm(request, "contacts.view_contact")
    contact = get_or_404(Contact, contact_id)
    return [
        {
            "contact_id": p.other.pk,
            "channel": p.other.channel,
            "opened_at": p.other.opened_at,
            "reason": p.other.reason.code if p.other.reason else None,
            "matter_id": p.matter_id,
        }
        for p in selectors.link_proposals(contact)
    ]
