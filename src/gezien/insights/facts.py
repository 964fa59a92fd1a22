"""Keeping one row of figures per contact (`ContactFact`) current.

Each insight module contributes its columns with `@fact_contributor`: a function that gets a batch of
contacts (with `reason`, `reason.parent` loaded) and the time, and returns {contact id: {column: value}}
for the columns it owns. Contributors batch their own queries, so refreshing 500 contacts costs a
fixed handful of queries per contributor, not per contact.

Contacts become stale when they change (`contacts.changes`) or get signals; any module whose data
feeds a fact (a survey answer, a matter settling) calls `facts_mark_stale(ids)` too. Stale facts are
rebuilt by the periodic tick (`gezien.core.tick`, run by `gezien worker`), and before any
dashboard is read (`insights_catch_up()`), so figures are never older than the last read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gezien.contacts.models import Contact
from gezien.core.stale import stale_drain, stale_mark
from gezien.insights.models import ContactFact, StaleDay, StaleFact

Contributor = Callable[[Sequence[Contact], datetime], Mapping[int, Mapping[str, Any]]]
_contributors: list[Contributor] = []

BATCH = 500


def fact_contributor(fn: Contributor) -> Contributor:
    """Register a contributor of fact columns (once; the order of registration is the order applied)."""
    if fn not in _contributors:
        _contributors.append(fn)
    return fn


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def reason_department_id(contact: Contact) -> int | None:
    reason = contact.reason
    if reason is None:
        return None
    if reason.department_id is not None:
        return reason.department_id
    parent = reason.parent
    return parent.department_id if parent is not None else None


def _base(contact: Contact, now: datetime) -> dict[str, Any]:
    return {
        "day": local_day(contact.opened_at),
        "opened_at": contact.opened_at,
        "closed_at": contact.closed_at,
        "channel": contact.channel,
        "status": contact.status,
        "priority": contact.priority,
        "team_id": contact.team_id,
        "agent_id": contact.assigned_agent_id,
        "reason_id": contact.reason_id,
        "department_id": reason_department_id(contact),
        "customer_id": contact.customer_id,
        "matter_id": contact.matter_id,
        "refreshed_at": now,
    }


_FIELDS = [f.name for f in ContactFact._meta.concrete_fields if f.name != "contact"]


def facts_refresh(contact_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Rebuild the facts of these contacts (a contact that no longer exists loses its fact) and mark
    the days they touch for their rollups. Returns the number of facts written."""
    ids = sorted(set(contact_ids))
    now = now or timezone.now()
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _refresh_batch(ids[start : start + BATCH], now)
    return written


def _refresh_batch(ids: list[int], now: datetime) -> int:
    contacts = list(Contact.objects.filter(pk__in=ids).select_related("reason", "reason__parent"))
    rows: dict[int, dict[str, Any]] = {c.pk: _base(c, now) for c in contacts}
    for contributor in _contributors:
        for contact_id, columns in contributor(contacts, now).items():
            if contact_id in rows:
                rows[contact_id].update(columns)
    with transaction.atomic():
        old_days = set(ContactFact.objects.filter(pk__in=ids).values_list("day", flat=True))
        gone = set(ids) - set(rows)
        if gone:
            ContactFact.objects.filter(pk__in=gone).delete()
        facts = [ContactFact(contact_id=cid, **cols) for cid, cols in rows.items()]
        ContactFact.objects.bulk_create(
            facts, update_conflicts=True, unique_fields=["contact"], update_fields=_FIELDS
        )
        days_mark_stale(old_days | {f.day for f in facts}, now)
    return len(rows)


def days_mark_stale(days: Iterable[date], now: datetime | None = None) -> None:
    stale_mark(StaleDay, days, now)


def facts_mark_stale(contact_ids: Sequence[int]) -> None:
    """Note that these contacts' figures must be rebuilt: one small insert. The periodic tick
    (`gezien worker` runs it) or the next dashboard read rebuilds them, so the hot path of an incoming
    message never pays for the figures."""
    stale_mark(StaleFact, contact_ids)


def stale_facts_refresh(limit: int | None = None) -> int:
    """Rebuild stale facts, oldest first (at most `limit`). A contact that changes again while this
    runs stays stale, so no change is lost."""
    return stale_drain(StaleFact, facts_refresh, limit=limit, batch=BATCH)


def facts_rebuild_all() -> int:
    """Rebuild every contact's fact (after loading data in bulk, or a change in how figures count)."""
    StaleFact.objects.all().delete()
    ids = list(Contact.objects.order_by("pk").values_list("pk", flat=True))
    return facts_refresh(ids)
