"""/api/customers: search, create, read with the gezien-kaart, edit; identities and remembered details."""

from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import CustomerBrief, DbId, IdentityIn, IdentityOut, Moment, find_or_404, get_or_404
from gezien.api.input import In
from gezien.api.schemas import username_of
from gezien.audit.log import audit_customer, audit_from_request
from gezien.contacts.selectors import Card, Feeling, customer_card
from gezien.customers import services
from gezien.customers.models import Customer, Identity, RememberedDetail
from gezien.customers.selectors import customer_search

router = Router(tags=["customers"])

DetailKindLiteral = Literal["note", "preference", "addressing", "life_event", "promise"]


class CustomerIn(In):
    first_name: str = Field(default="", max_length=200)
    last_name: str = Field(default="", max_length=300)
    customer_number: str | None = Field(default=None, max_length=20)
    identities: list[IdentityIn] = Field(default_factory=list, max_length=20)


class CustomerPatchIn(In):
    first_name: str | None = Field(default=None, max_length=200)
    last_name: str | None = Field(default=None, max_length=300)


class CustomerOut(CustomerBrief):
    identities: list[IdentityOut]
    created_at: datetime
    updated_at: datetime


class SearchHitOut(Schema):
    customer: CustomerOut
    matched_on: str


class DetailIn(In):
    kind: DetailKindLiteral
    text: str = Field(max_length=2000)
    address_form: Literal["", "u", "je"] = Field(default="", description="u or je, for kind 'addressing'")
    due_at: Moment | None = None


class DetailPatchIn(In):
    text: str | None = Field(default=None, max_length=2000)
    address_form: Literal["u", "je"] | None = None
    due_at: Moment | None = None
    done: bool | None = None


class DetailOut(Schema):
    id: int
    kind: str
    text: str
    address_form: str
    due_at: datetime | None
    done_at: datetime | None
    created_by: str | None
    updated_by: str | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_address_form(obj: RememberedDetail) -> str:
        return obj.register

    @staticmethod
    def resolve_created_by(obj: RememberedDetail) -> str | None:
        return username_of(obj.created_by)

    @staticmethod
    def resolve_updated_by(obj: RememberedDetail) -> str | None:
        return username_of(obj.updated_by)


class TimelineItemOut(Schema):
    id: int
    channel: str
    status: str
    summary: str
    reason: str | None
    opened_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_reason(obj: object) -> str | None:
        reason = getattr(obj, "reason", None)
        return reason.code if reason else None


class PromiseOut(Schema):
    detail: DetailOut
    overdue: bool


class LastDiscussedOut(Schema):
    contact: TimelineItemOut
    last_agent_words: str


class FeelingOut(Schema):
    contact_id: int
    opened_at: datetime
    channel: str
    emotion: str | None = Field(description="the customer's strongest emotion in that contact, if any")
    score: float
    sentiment: float = Field(description="mean sentiment of the customer's messages, -1..1")

    @staticmethod
    def resolve_contact_id(obj: Feeling) -> int:
        return obj.contact.pk

    @staticmethod
    def resolve_opened_at(obj: Feeling) -> datetime:
        return obj.contact.opened_at

    @staticmethod
    def resolve_channel(obj: Feeling) -> str:
        return obj.contact.channel

    @staticmethod
    def resolve_emotion(obj: Feeling) -> str | None:
        return obj.emotion or None


class CardOut(Schema):
    @staticmethod
    def resolve_address_form(obj: Card) -> str:
        return obj.register

    customer: CustomerOut
    display_name: str
    address_form: str = Field(description="how to address the customer: u, je, or empty when unknown")
    timeline: list[TimelineItemOut]
    total_contacts: int
    last_discussed: LastDiscussedOut | None
    open_contacts: list[TimelineItemOut]
    promises: list[PromiseOut]
    details: list[DetailOut]
    life_events: list[DetailOut]
    feelings: list[FeelingOut] = Field(
        description="how the customer felt in their newest contacts, oldest first"
    )
    feeling_trend: str = Field(
        description="better, worse, negative, positive, calm, mixed, or empty when too little is known"
    )


@router.get("", response=list[SearchHitOut])
def search_customers(request: HttpRequest, q: str = "", limit: int = 20) -> list[object]:
    """Search by name, postcode + huisnummer, customer number, phone, e-mail or chat id."""
    require_perm(request, "customers.view_customer")
    hits: list[object] = list(customer_search(q, limit=max(1, min(limit, 50))))
    if q.strip():  # who searched and how many came back (not what for: a phone number is personal data)
        audit_from_request(
            request,
            action="customer.search",
            object_type="customer",
            object_id="",
            details={"hits": len(hits)},
        )
    return hits


@router.post("", response={201: CustomerOut})
def create_customer(request: HttpRequest, payload: CustomerIn) -> Status[Any]:
    require_perm(request, "customers.add_customer")
    customer = services.customer_create(
        first_name=payload.first_name,
        last_name=payload.last_name,
        customer_number=payload.customer_number,
        identities=[(i.kind, i.value) for i in payload.identities],
        actor=current_user(request),
    )
    audit_customer(request, "customer.create", customer.pk)
    return Status(201, customer)


@router.get("/{customer_id}", response=CardOut)
def read_customer(request: HttpRequest, customer_id: DbId) -> Card:
    """The customer with the gezien-kaart: timeline, last discussed, promises, details."""
    require_perm(request, "customers.view_customer")
    card = customer_card(get_or_404(Customer, customer_id))
    audit_customer(request, "customer.view", customer_id)
    return card


@router.patch("/{customer_id}", response=CustomerOut)
def change_customer(request: HttpRequest, customer_id: DbId, payload: CustomerPatchIn) -> Customer:
    require_perm(request, "customers.change_customer")
    customer = services.customer_update(
        customer=get_or_404(Customer, customer_id),
        first_name=payload.first_name,
        last_name=payload.last_name,
        actor=current_user(request),
    )
    audit_customer(request, "customer.update", customer_id, field="name")
    return customer


@router.post("/{customer_id}/identities", response={201: IdentityOut})
def add_identity(request: HttpRequest, customer_id: DbId, payload: IdentityIn) -> Status[Any]:
    require_perm(request, "customers.add_identity")
    customer = get_or_404(Customer, customer_id)
    identity = services.identity_add(
        customer=customer, kind=payload.kind, value=payload.value, actor=current_user(request)
    )
    audit_customer(request, "customer.update", customer_id, field="identity", change="add")
    return Status(201, identity)


@router.delete("/{customer_id}/identities/{identity_id}", response={204: None})
def remove_identity(request: HttpRequest, customer_id: DbId, identity_id: DbId) -> Status[Any]:
    require_perm(request, "customers.delete_identity")
    identity = find_or_404(
        Identity.objects.filter(customer_id=customer_id).select_related("customer"),
        identity_id,
        _("Deze identiteit hoort niet bij deze klant."),
    )
    services.identity_remove(identity=identity, actor=current_user(request))
    audit_customer(request, "customer.update", customer_id, field="identity", change="remove")
    return Status(204, None)


@router.get("/{customer_id}/details", response=list[DetailOut])
def list_details(request: HttpRequest, customer_id: DbId) -> list[RememberedDetail]:
    require_perm(request, "customers.view_customer")
    customer = get_or_404(Customer, customer_id)
    details = list(customer.details.select_related("created_by", "updated_by"))
    audit_customer(request, "customer.view", customer_id, part="details")
    return details


@router.post("/{customer_id}/details", response={201: DetailOut})
def add_detail(request: HttpRequest, customer_id: DbId, payload: DetailIn) -> Status[Any]:
    require_perm(request, "customers.add_remembereddetail")
    detail = services.detail_add(
        customer=get_or_404(Customer, customer_id),
        kind=payload.kind,
        text=payload.text,
        register=payload.address_form,
        due_at=payload.due_at,
        actor=current_user(request),
    )
    audit_customer(request, "customer.update", customer_id, field="detail", change="add", detail_id=detail.pk)
    return Status(201, detail)


def _detail(customer_id: DbId, detail_id: DbId) -> RememberedDetail:
    return find_or_404(
        RememberedDetail.objects.filter(customer_id=customer_id),
        detail_id,
        _("Dit detail hoort niet bij deze klant."),
    )


@router.patch("/{customer_id}/details/{detail_id}", response=DetailOut)
def change_detail(
    request: HttpRequest, customer_id: DbId, detail_id: DbId, payload: DetailPatchIn
) -> RememberedDetail:
    require_perm(request, "customers.change_remembereddetail")
    with transaction.atomic():
        detail = services.detail_update(
            detail=_detail(customer_id, detail_id),
            text=payload.text,
            register=payload.address_form,
            due_at=payload.due_at,
            done=payload.done,
            actor=current_user(request),
        )
        audit_customer(
            request, "customer.update", customer_id, field="detail", change="edit", detail_id=detail_id
        )
        return detail


@router.delete("/{customer_id}/details/{detail_id}", response={204: None})
def remove_detail(request: HttpRequest, customer_id: DbId, detail_id: DbId) -> Status[Any]:
    require_perm(request, "customers.delete_remembereddetail")
    services.detail_remove(detail=_detail(customer_id, detail_id), actor=current_user(request))
    audit_customer(
        request, "customer.update", customer_id, field="detail", change="remove", detail_id=detail_id
    )
    return Status(204, None)
