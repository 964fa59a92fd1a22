"""Privacy (GDPR): a customer's data as one archive (subject-access request), erasure on request with
an optional second approver, and redacting part of a message. docs/privacy.md.

- GET /api/customers/{id}/export: a zip (manifest.json, one JSON per kind, files/, mails/), streamed.
- POST /api/customers/{id}/erase: erased now (200), or with GEZIEN_ERASE_APPROVERS=2 a pending request
  (202) that another manager approves with POST /api/customers/{id}/erase/approve (200), or withdraws
  with POST /api/customers/{id}/erase/cancel.
- POST /api/messages/{id}/redact: {"start": 10, "end": 29} or {"text": "4111 1111 1111 1111"}.

Export and erasure: managers and admins (`privacy.export_customer`, `privacy.erase_customer`; not team
leads: a request of a customer about all their data is the privacy officer's, not a team's).
Redaction: everyone who handles contacts (`privacy.redact_message`).
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.api.auth import require_perm
from gezien.api.common import DbId, get_or_404
from gezien.api.input import In
from gezien.customers.models import Customer
from gezien.privacy import erase, exporting, redact
from gezien.privacy.audited import Actor
from gezien.privacy.models import ErasureRequest

router = Router(tags=["privacy"])


class ErasureOut(Schema):
    id: int
    customer_id: int
    state: str = Field(description="pending (waits for a second manager), done or cancelled")
    requested_by: str | None
    requested_at: datetime
    approved_by: str | None
    done_at: datetime | None
    counts: dict[str, int] = Field(description="what was erased, per kind (numbers only)")

    @staticmethod
    def resolve_requested_by(obj: ErasureRequest) -> str | None:
        return obj.requested_by.get_username() if obj.requested_by else None

    @staticmethod
    def resolve_approved_by(obj: ErasureRequest) -> str | None:
        return obj.approved_by.get_username() if obj.approved_by else None


class RedactIn(In):
    start: int | None = Field(default=None, ge=0, le=10_000_000, description="first character to hide")
    end: int | None = Field(default=None, ge=1, le=10_000_000, description="just after the last one")
    text: str | None = Field(default=None, min_length=1, max_length=10_000, description="or: these words")


class RedactionOut(Schema):
    message_id: int
    text: str = Field(description="the message's text as it is now stored")
    spans: int
    chars: int


@router.get(
    "/customers/{customer_id}/export",
    response={200: None},
    openapi_extra={
        "responses": {200: {"description": "application/zip", "content": {"application/zip": {}}}}
    },
)
def customer_export(request: HttpRequest, customer_id: DbId) -> StreamingHttpResponse:
    """Everything about the customer as a zip archive, streamed (a subject-access request)."""
    require_perm(request, "privacy.export_customer")
    customer = get_or_404(Customer, customer_id)
    return exporting.export_response(request, customer, via="api")


@router.post("/customers/{customer_id}/erase", response={200: ErasureOut, 202: ErasureOut})
def customer_erase(request: HttpRequest, customer_id: DbId) -> Status[Any]:
    """Erase the customer's personal data (200), or ask a second manager to approve it (202)."""
    require_perm(request, "privacy.erase_customer")
    result = erase.erase_request(customer_id=customer_id, actor=Actor.of(request))
    return Status(200 if result.done else 202, result.request)


@router.post("/customers/{customer_id}/erase/approve", response=ErasureOut)
def customer_erase_approve(request: HttpRequest, customer_id: DbId) -> ErasureRequest:
    """A second manager approves the pending erasure: it is carried out now."""
    require_perm(request, "privacy.erase_customer")
    return erase.erase_approve(customer_id=customer_id, actor=Actor.of(request)).request


@router.post("/customers/{customer_id}/erase/cancel", response=ErasureOut)
def customer_erase_cancel(request: HttpRequest, customer_id: DbId) -> ErasureRequest:
    """Withdraw the pending erasure request."""
    require_perm(request, "privacy.erase_customer")
    return erase.erase_cancel(customer_id=customer_id, actor=Actor.of(request))


@router.post("/messages/{message_id}/redact", response=RedactionOut)
def message_redact(request: HttpRequest, message_id: DbId, payload: RedactIn) -> dict[str, Any]:
    """Make part of a message unreadable: the characters [start, end), or every place `text` occurs."""
    require_perm(request, "privacy.redact_message")
    done = redact.message_redact(
        message_id=message_id,
        actor=Actor.of(request),
        start=payload.start,
        end=payload.end,
        text=payload.text,
    )
    return {
        "message_id": done.message.pk,
        "text": done.message.text,
        "spans": done.spans,
        "chars": done.chars,
    }
