"""The SLA columns of ContactFact, and the next deadline of each open contact (`SlaDeadline`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from gezien.contacts.models import Contact
from gezien.insights.sla.models import SlaDeadline
from gezien.insights.sla.timers import BREACHED, MET, timers_for


def sla_facts(contacts: Sequence[Contact], now: datetime) -> Mapping[int, Mapping[str, Any]]:
    """first_response_seconds / resolution_seconds: opening-hour seconds until the first reply or the
    closing; for a timer that breached without either, the time waited so far (so the mean first
    response never leaves out the slowest). sla_*: yes = met, no = breached, pending = running or no
    target. Three queries per batch (policies, first replies, deadlines) plus the deadline upsert."""
    timers = timers_for(contacts, now)
    out: dict[int, dict[str, Any]] = {}
    deadlines: list[SlaDeadline] = []
    for contact_id, t in timers.items():
        fr, res = t.first_response, t.resolution
        out[contact_id] = {
            "first_response_seconds": fr.used_seconds if fr.done_at or fr.state == BREACHED else None,
            "resolution_seconds": res.used_seconds if res.state in (MET, BREACHED) or res.done_at else None,
            "sla_first_response": fr.outcome,
            "sla_resolution": res.outcome,
        }
        upcoming = t.next_deadline()
        if upcoming is not None:
            deadlines.append(SlaDeadline(contact_id=contact_id, warn_at=upcoming[0], due_at=upcoming[1]))
    keep = {d.contact_id for d in deadlines}
    SlaDeadline.objects.filter(contact_id__in=[c.pk for c in contacts if c.pk not in keep]).delete()
    if deadlines:
        SlaDeadline.objects.bulk_create(
            deadlines,
            update_conflicts=True,
            unique_fields=["contact_id"],
            update_fields=["warn_at", "due_at"],
        )
    return out
