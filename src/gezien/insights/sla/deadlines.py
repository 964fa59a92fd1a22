"""Counting a timer that breaches while nothing happens to its contact.

A fact is rebuilt when its contact changes; an e-mail nobody answers does not change, yet its
first-response target breaches at a known moment. The fact refresh writes that moment per open
contact (`SlaDeadline`); the periodic tick (and every SLA report read) calls `sla_mark_breached_stale`,
which marks the contacts whose deadline passed stale, so their facts and rollups catch up.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from gezien.insights.facts import facts_mark_stale
from gezien.insights.sla.models import SlaDeadline

BATCH = 5000


def sla_mark_breached_stale(now: datetime | None = None) -> int:
    """Mark stale the contacts whose SLA deadline passed (one indexed read per batch); returns how many.
    The rebuilt fact either decides the timer (breached) or writes the contact's next deadline."""
    now = now or timezone.now()
    marked = 0
    while True:
        ids = list(
            SlaDeadline.objects.filter(due_at__lte=now)
            .order_by("due_at")
            .values_list("contact_id", flat=True)[:BATCH]
        )
        if not ids:
            return marked
        facts_mark_stale(ids)
        # A refresh that already wrote a later deadline for one of them keeps it.
        SlaDeadline.objects.filter(contact_id__in=ids, due_at__lte=now).delete()
        marked += len(ids)
