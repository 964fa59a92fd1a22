"""Writing to the audit log: one INSERT per entry, in the caller's transaction when there is one (a
change rolled back leaves no entry), else at once. The chain is sealed later (`chain.audit_seal`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from gezien.audit.models import AuditEntry
from gezien.core.client import client_address

Details = Mapping[str, str | int | bool | None]

_LIMITS = {"actor_name": 150, "source": 64, "object_type": 64, "object_id": 64}


def _checked(details: Details | None) -> dict[str, str | int | bool | None]:
    """Flat ids, counts and field names only: a nested or other value is a programming error."""
    out: dict[str, str | int | bool | None] = {}
    for key, value in (details or {}).items():
        if not isinstance(key, str) or not (value is None or isinstance(value, str | int | bool)):
            raise TypeError(
                f"audit details take str keys and str/int/bool/None values, not {key!r}: {value!r}"
            )
        out[key] = value
    return out


def audit_record(
    *,
    action: str,
    actor_id: int | None,
    actor_name: str,
    source: str,
    object_type: str,
    object_id: str | int,
    customer_id: int | None = None,
    details: Details | None = None,
) -> None:
    """Append one entry: `action` is "<object>.<verb>" (customer.view, contact.update, ...)."""
    if not action or "." not in action or len(action) > 64:
        raise ValueError(f"an audit action is '<object>.<verb>' (at most 64 characters), not {action!r}")
    AuditEntry.objects.create(
        action=action,
        actor_id=actor_id,
        actor_name=actor_name[: _LIMITS["actor_name"]],
        source=source[: _LIMITS["source"]],
        object_type=object_type[: _LIMITS["object_type"]],
        object_id=str(object_id)[: _LIMITS["object_id"]],
        customer_id=customer_id,
        details=_checked(details),
    )


def request_actor(request: HttpRequest) -> tuple[int | None, str]:
    """The signed-in person of a request (desk session or API token) as (id, name); (None, "") if none."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None, ""
    name = getattr(user, "display_name", "") or user.get_username()
    return int(user.pk), str(name)


def audit_from_request(
    request: HttpRequest,
    *,
    action: str,
    object_type: str,
    object_id: str | int,
    customer_id: int | None = None,
    details: Details | None = None,
) -> None:
    """`audit_record` with the actor and the client address taken from the request."""
    actor_id, actor_name = request_actor(request)
    audit_record(
        action=action,
        actor_id=actor_id,
        actor_name=actor_name,
        source=client_address(request),
        object_type=object_type,
        object_id=object_id,
        customer_id=customer_id,
        details=details,
    )


def audit_contact(
    request: HttpRequest, action: str, contact: Any, **details: str | int | bool | None
) -> None:
    """One entry about a contact (anything with `pk` and `customer_id`): a page or answer that shows it, or
    a change of it. Its customer is the entry's customer."""
    audit_from_request(
        request,
        action=action,
        object_type="contact",
        object_id=contact.pk,
        customer_id=contact.customer_id,
        details=details,
    )


def audit_customer(
    request: HttpRequest, action: str, customer_id: int, **details: str | int | bool | None
) -> None:
    """One entry about a customer: their page or card, or a change of their details."""
    audit_from_request(
        request,
        action=action,
        object_type="customer",
        object_id=customer_id,
        customer_id=customer_id,
        details=details,
    )
