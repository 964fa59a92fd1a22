"""/api/webhooks: subscriptions to events out (admins), and each subscription's delivery log."""

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import BoundedLimitOffset, DbId, find_or_404
from gezien.api.input import In
from gezien.audit.log import audit_from_request
from gezien.core.errors import Invalid
from gezien.webhooks import selectors, services
from gezien.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

router = Router(tags=["webhooks"])

EventLiteral = Literal[
    "contact.created", "message.created", "contact.assigned", "contact.closed", "survey.answered"
]


class SubscriptionIn(In):
    url: str = Field(max_length=1000, description="http(s) address the events are POSTed to")
    events: list[EventLiteral] = Field(min_length=1, max_length=5)
    secret: str | None = Field(
        default=None, min_length=16, max_length=200, description="signs every body; empty: one is made"
    )
    active: bool = True
    description: str = Field(default="", max_length=200)


class SubscriptionPatchIn(In):
    url: str | None = Field(default=None, max_length=1000)
    events: list[EventLiteral] | None = Field(default=None, min_length=1, max_length=5)
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    active: bool | None = None
    description: str | None = Field(default=None, max_length=200)


class SubscriptionOut(Schema):
    id: int
    url: str
    events: list[str]
    active: bool
    description: str
    secret_hint: str = Field(description="the last four characters of the secret")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_secret_hint(obj: WebhookSubscription) -> str:
        return f"…{obj.secret[-4:]}"


class SubscriptionCreatedOut(SubscriptionOut):
    secret: str = Field(description="shown this once: keep it to check the signatures")


class AttemptOut(Schema):
    number: int
    at: datetime
    status_code: int | None = Field(description="the receiver's HTTP status; null when none came")
    duration_ms: float
    error: str
    response: str = Field(description="the start of the receiver's answer")


class WebhookDeliveryOut(Schema):
    id: str = Field(description="the X-Gezien-Delivery header")
    event: str
    event_id: str = Field(description="the id in the body; the same for every subscription")
    contact_id: int | None
    state: str = Field(description="pending, delivered or failed")
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[AttemptOut]
    body: str = Field(description="the JSON as sent (and signed)")

    @staticmethod
    def resolve_id(obj: WebhookDelivery) -> str:
        return str(obj.uuid)

    @staticmethod
    def resolve_event(obj: WebhookDelivery) -> str:
        return obj.event.name

    @staticmethod
    def resolve_event_id(obj: WebhookDelivery) -> str:
        return str(obj.event.uuid)

    @staticmethod
    def resolve_contact_id(obj: WebhookDelivery) -> int | None:
        return obj.event.contact_id

    @staticmethod
    def resolve_body(obj: WebhookDelivery) -> str:
        return obj.event.body

    @staticmethod
    def resolve_attempt_log(obj: WebhookDelivery) -> list[WebhookAttempt]:
        return list(obj.attempt_log.all())


def _subscription(subscription_id: int) -> WebhookSubscription:
    return find_or_404(WebhookSubscription.objects.all(), subscription_id, _("Deze webhook bestaat niet."))


@router.get("/webhooks", response=list[SubscriptionOut])
def list_subscriptions(request: HttpRequest) -> QuerySet[WebhookSubscription]:
    require_perm(request, "webhooks.view_webhooksubscription")
    return selectors.subscriptions()


@router.post("/webhooks", response={201: SubscriptionCreatedOut})
def add_subscription(request: HttpRequest, payload: SubscriptionIn) -> Status[Any]:
    """Subscribe a URL to events. The answer carries the secret, this once."""
    require_perm(request, "webhooks.add_webhooksubscription")
    subscription = services.subscription_add(
        url=payload.url,
        events=payload.events,
        secret=payload.secret,
        active=payload.active,
        description=payload.description,
        actor=current_user(request),
    )
    audit_from_request(
        request,
        action="settings.change",
        object_type="webhook_subscription",
        object_id=subscription.pk,
        details={"change": "create"},
    )
    return Status(201, subscription)


@router.get("/webhooks/{subscription_id}", response=SubscriptionOut)
def read_subscription(request: HttpRequest, subscription_id: DbId) -> WebhookSubscription:
    require_perm(request, "webhooks.view_webhooksubscription")
    return _subscription(subscription_id)


@router.patch("/webhooks/{subscription_id}", response=SubscriptionOut)
def change_subscription(
    request: HttpRequest, subscription_id: DbId, payload: SubscriptionPatchIn
) -> WebhookSubscription:
    """Change what is given; `active: false` stops sending (pending deliveries fail at their next try)."""
    require_perm(request, "webhooks.change_webhooksubscription")
    subscription = _subscription(subscription_id)
    changes = {name: getattr(payload, name) for name in payload.model_fields_set}
    if any(value is None for value in changes.values()):
        field = next(name for name, value in changes.items() if value is None)
        raise Invalid(_("Dit veld mag niet leeg zijn."), field=field)
    result = services.subscription_change(subscription=subscription, **changes)
    audit_from_request(
        request,
        action="settings.change",
        object_type="webhook_subscription",
        object_id=subscription_id,
        details={"change": "update"},
    )
    return result


@router.delete("/webhooks/{subscription_id}", response={204: None})
def remove_subscription(request: HttpRequest, subscription_id: DbId) -> Status[None]:
    require_perm(request, "webhooks.delete_webhooksubscription")
    services.subscription_remove(subscription=_subscription(subscription_id))
    audit_from_request(
        request,
        action="settings.change",
        object_type="webhook_subscription",
        object_id=subscription_id,
        details={"change": "delete"},
    )
    return Status(204, None)


@router.get("/webhooks/{subscription_id}/deliveries", response=list[WebhookDeliveryOut])
@paginate(BoundedLimitOffset)
def list_deliveries(request: HttpRequest, subscription_id: DbId) -> QuerySet[WebhookDelivery]:
    """The delivery log, newest first: every attempt with its status code, duration and error."""
    require_perm(request, "webhooks.view_webhooksubscription")
    return selectors.deliveries_of(_subscription(subscription_id))
