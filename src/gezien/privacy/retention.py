"""The retention period: contacts closed longer ago than GEZIEN_RETENTION_DAYS lose their personal
data (`scrub.contacts_scrub`), a batch at a time on the tick, each batch one transaction with one audit
entry `customer.anonymise` per customer (counts only). Off (0) by default: how long an organisation
keeps its contacts is its own decision, and anonymising cannot be undone.

Call recordings have a period of their own, shorter by default (GEZIEN_RECORDING_RETENTION_DAYS, 90):
`recordings_retention_tick` deletes a recording, its analysis and its file that many days after it was
stored, with one audit entry `recording.expire` per customer (counts only); the contact stays."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gezien.contacts.models import Contact, Status
from gezien.phone.models import Recording
from gezien.privacy.audited import Actor, audit
from gezien.privacy.models import AnonymisedContact
from gezien.privacy.scrub import contacts_scrub, recordings_delete

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


def recordings_retention_tick(now: datetime | None = None, *, days: int | None = None) -> int:
    """Delete up to BATCHES_PER_TICK batches of recordings stored longer ago than the recordings'
    retention period (files after each commit). Returns how many."""
    days = settings.GEZIEN_RECORDING_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    total = 0
    actor = Actor(None, "tick")
    for _batch in range(BATCHES_PER_TICK):
        with transaction.atomic():
            due = list(
                Recording.objects.filter(created_at__lt=cutoff)
                .select_related("contact")
                .only("pk", "file", "contact_id", "contact__customer_id")
                .order_by("created_at", "pk")[:BATCH]
            )
            if not due:
                break
            by_customer: dict[int | None, list[Recording]] = defaultdict(list)
            for recording in due:
                by_customer[recording.contact.customer_id].append(recording)
            for customer_id, recordings in by_customer.items():
                counts: Counter[str] = Counter()
                recordings_delete(recordings, counts)
                audit(
                    actor,
                    action="recording.expire",
                    object_type="customer" if customer_id is not None else "contact",
                    object_id=customer_id if customer_id is not None else recordings[0].contact_id,
                    customer_id=customer_id,
                    details={"retention_days": days, **counts},
                )
            total += len(due)
    return total
