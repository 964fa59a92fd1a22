"""The audit log (issue 17): `GET /api/audit`, admins only, newest first, paged like every list."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from gezien.api.auth import require_perm
from gezien.api.common import BoundedLimitOffset, DbId, Moment
from gezien.api.input import In
from gezien.audit.selectors import audit_entries

router = Router(tags=["audit"])

VIEW_AUDIT = "audit.view_auditentry"


class AuditFilter(In):
    customer_id: DbId | None = Field(None, description="entries about this customer")
    actor_id: DbId | None = Field(None, description="entries by this person (user id)")
    action: str | None = Field(
        None, max_length=64, description="an action (contact.view), or a prefix ending in a dot (contact.)"
    )
    since: Moment | None = Field(None, description="from this moment on (inclusive)")
    until: Moment | None = Field(None, description="before this moment")


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str = Field(description="the person's name when it was written (kept if they leave)")
    source: str = Field(description='the client address, or "cli", "tick", "worker", "admin"')
    action: str = Field(description='"<object>.<verb>": contact.view, customer.update, audit.export, ...')
    object_type: str
    object_id: str
    customer_id: int | None
    details: dict[str, Any] = Field(description="ids, counts and field names; never personal data")
    hash: str = Field(description="sha256 of the entry chained to the one before (docs/security.md)")


@router.get("/audit", response=list[AuditEntryOut])
@paginate(BoundedLimitOffset)
def list_audit(request: HttpRequest, filters: Query[AuditFilter]) -> Any:
    """Who read or changed what, when and from where. Admins only."""
    require_perm(request, VIEW_AUDIT)
    entries: Any = audit_entries(
        customer_id=filters.customer_id,
        actor_id=filters.actor_id,
        action=filters.action,
        since=filters.since,
        until=filters.until,
    )
    return entries
