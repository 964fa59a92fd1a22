"""Reading the audit log: the entries (newest first) and whether the chain is intact. Both seal what
is waiting first, so what they show is in the chain."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from gezien.audit.chain import audit_seal, chain_verify
from gezien.audit.models import AuditEntry


def audit_entries(
    customer_id: int | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEntry]:
    """The entries matching every filter given, newest first. `action` is an exact action
    ("contact.view") or a prefix ending in a dot ("contact." for every contact action); `since` is
    inclusive, `until` exclusive."""
    audit_seal()
    entries = AuditEntry.objects.all()
    if customer_id is not None:
        entries = entries.filter(customer_id=customer_id)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if action:
        entries = (
            entries.filter(action__startswith=action)
            if action.endswith(".")
            else entries.filter(action=action)
        )
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    return entries.order_by("-id")


def audit_verify(*, full: bool = False) -> tuple[bool, int | None]:
    """(ok, first_bad_id): whether the chain is intact, and where it breaks. From the newest checkpoint
    on (cheap: what was added since the last look), or from the first entry with `full`."""
    audit_seal()
    return chain_verify(full=full)
