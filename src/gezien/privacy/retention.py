"""The retention period: contacts closed longer ago than GEZIEN_RETENTION_DAYS lose their personal
data (`scrub.contacts_scrub`), a batch at a time on the tick, each batch one transaction with one audit
entry `customer.anonymise` per customer (counts only). Off (0) by default: how long an organisation
keeps its contacts is its own decision, and anonymising cannot be undone."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gezien.contacts.models import Contact, Status
from gezien.privacy.audited import Actor, audit
from gezien.privacy.models import AnonymisedContact
from gezien.privacy.scrub import contacts_scrub

BATCH = 200
BATCHES_PER_TICK = 10


def _due(cutoff: datetime) -> list[tuple[int, int | None]]:
    done = AnonymisedContact.objects.values("contact_id")
    return list(
        Contact.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff)
        .exclude(pk__in=done)
        .order_by("closed_at", "pk")
        .values_list("pk", "customer_id")[:BATCH]
    )


def retention_tick(now: datetime | None = None, *, days: int | None = None) -> int:
    """Anonymise up to BATCHES_PER_TICK batches of contacts past the retention period. Returns how many."""
    days = settings.GEZIEN_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    total = 0
    actor = Actor(None, "tick")
    for _batch in range(BATCHES_PER_TICK):
        with transaction.atomic():
            due = _due(cutoff)
            if not due:
                break
            by_customer: dict[int | None, list[int]] = defaultdict(list)
            for contact_id, customer_id in due:
                by_customer[customer_id].append(contact_id)
            for customer_id, contact_ids in by_customer.items():
                counts: Counter[str] = contacts_scrub(contact_ids)
                audit(
                    actor,
                    action="customer.anonymise",
                    object_type="customer" if customer_id is not None else "contact",
                    object_id=customer_id if customer_id is not None else contact_ids[0],
                    customer_id=customer_id,
                    details={"retention_days": days, **counts},
                )
            total += len(due)
    return total
