"""API: promises to customers (R7, "ik houd dit zelf in de gaten") and life events remembered on the
customer's card (R8), taken from a contact; the open promises, soonest due first."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.accounts.models import User
from gezien.api.auth import require_perm
from gezien.api.common import BoundedLimitOffset, CustomerBrief, DbId, Moment, contact_or_404, find_or_404
from gezien.api.customers import DetailOut
from gezien.api.input import In
from gezien.api.schemas import username_of
from gezien.assist import services
from gezien.customers import services as customer_services
from gezien.customers.models import DetailKind, RememberedDetail

router = Router(tags=["assist"])

HANDLE = "contacts.handle_contact"


class OpenPromiseOut(Schema):
    id: int
    customer: CustomerBrief
    text: str
    due_at: datetime
    overdue: bool
    done_at: datetime | None
    created_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_overdue(obj: RememberedDetail) -> bool:
        return obj.done_at is None and obj.due_at is not None and obj.due_at < timezone.now()

    @staticmethod
    def resolve_created_by(obj: RememberedDetail) -> str | None:
        return username_of(obj.created_by)


class OwnershipIn(In):
    text: str = Field(min_length=1, max_length=2000, description="the promise, e.g. 'Terugbellen over ...'")
    due_at: Moment = Field(description="when it is due; in the future")


class RememberIn(In):
    text: str = Field(min_length=1, max_length=2000)


class PromiseFilter(In):
    overdue: bool = Field(default=False, description="only those past their due time")
    mine: bool = Field(default=False, description="only those you made")


@router.post("/contacts/{contact_id}/ownership", response={201: DetailOut})
def take_ownership(request: HttpRequest, contact_id: DbId, payload: OwnershipIn) -> Status[Any]:
    """R7, "ik houd dit zelf in de gaten": take the contact and promise the customer something by
    `due_at`. The promise is kept on the customer's card (and listed under /promises)."""
    require_perm(request, HANDLE)
    require_perm(request, "customers.add_remembereddetail")
    promise = services.ownership_take(
        contact=contact_or_404(contact_id),
        agent=current_user(request),
        due_at=payload.due_at,
        text=payload.text,
    )
    return Status(201, promise)


@router.post("/contacts/{contact_id}/remember-event", response={201: DetailOut})
def remember_event(request: HttpRequest, contact_id: DbId, payload: RememberIn) -> Status[Any]:
    """R8: remember a death or illness on the customer's card, so that nobody asks again."""
    require_perm(request, HANDLE)
    require_perm(request, "customers.add_remembereddetail")
    detail = services.life_event_remember(
        contact=contact_or_404(contact_id), text=payload.text, actor=current_user(request)
    )
    return Status(201, detail)


def _open_promises(user: User, *, overdue: bool, mine: bool) -> QuerySet[RememberedDetail]:
    promises = RememberedDetail.objects.filter(kind=DetailKind.PROMISE, done_at__isnull=True)
    if overdue:
        promises = promises.filter(due_at__lt=timezone.now())
    if mine:
        promises = promises.filter(created_by=user)
    return promises.select_related("customer", "created_by").order_by("due_at", "id")


@router.get("/promises", response=list[OpenPromiseOut])
@paginate(BoundedLimitOffset)
def list_promises(request: HttpRequest, filters: Query[PromiseFilter]) -> QuerySet[RememberedDetail]:
    """Open promises (toezeggingen) to customers, the soonest due first."""
    require_perm(request, HANDLE)
    require_perm(request, "customers.view_customer")
    return _open_promises(current_user(request), overdue=filters.overdue, mine=filters.mine)


@router.post("/promises/{detail_id}/done", response=OpenPromiseOut)
def keep_promise(request: HttpRequest, detail_id: DbId) -> RememberedDetail:
    """Mark a promise kept (saying it again keeps the first moment)."""
    require_perm(request, HANDLE)
    require_perm(request, "customers.change_remembereddetail")
    promise = find_or_404(
        RememberedDetail.objects.filter(kind=DetailKind.PROMISE).select_related("customer", "created_by"),
        detail_id,
        _("Deze toezegging bestaat niet."),
    )
    return customer_services.detail_update(detail=promise, done=True, actor=current_user(request))
