"""Reads for honest resolution: a matter with its contacts across channels, a customer's matters, and
the links the desk proposes ("hoort dit bij dezelfde kwestie als #123?")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet

from gezien.contacts.models import Contact, Matter
from gezien.insights.resolution.rules import family_id, reason_tree, window_end

PROPOSALS = 5


def matters_with_contacts() -> QuerySet[Matter]:
    contacts = Contact.objects.select_related("reason", "assigned_agent").order_by("opened_at", "pk")
    return Matter.objects.select_related("reason", "customer").prefetch_related(
        Prefetch("contacts", queryset=contacts)
    )


def matter_detail(matter_id: int) -> Matter | None:
    """The matter with its customer, reason and contacts (oldest first): three queries."""
    return matters_with_contacts().filter(pk=matter_id).first()


def customer_matters(customer_id: int, limit: int = 100) -> list[Matter]:
    """The customer's matters, newest first, with their contacts: three queries."""
    return list(matters_with_contacts().filter(customer_id=customer_id)[:limit])


def settles_at(matter: Matter) -> datetime | None:
    """When an open matter will count as resolved if nobody comes back (None while a contact is open)."""
    if matter.state != Matter.State.OPEN:
        return None
    contacts = list(matter.contacts.all())
    if not contacts or any(c.closed_at is None for c in contacts):
        return None
    last = max(max(c.closed_at for c in contacts if c.closed_at), matter.last_contact_at)
    return window_end(last)


@dataclass(frozen=True)
class Proposal:
    """Another contact of the same customer about the same reason family that is not in this contact's
    matter: link this contact to its matter (or it to this contact's matter when it has none)."""

    other: Contact
    matter_id: int | None  # the other contact's matter, if any


def link_proposals(contact: Contact) -> list[Proposal]:
    """Up to PROPOSALS contacts of the same customer about the same reason family, within the repeat
    window around this contact, that are in another matter or none; newest first. Two queries."""
    if contact.customer_id is None or contact.reason_id is None:
        return []
    reasons = reason_tree()
    family = family_id(contact.reason_id, reasons)
    same = [pk for pk in reasons if family_id(pk, reasons) == family]
    window = timedelta(days=settings.GEZIEN_REPEAT_WINDOW_DAYS)
    others = (
        Contact.objects.filter(
            customer_id=contact.customer_id,
            reason_id__in=same,
            opened_at__gte=contact.opened_at - window,
            opened_at__lte=contact.opened_at + window,
        )
        .exclude(pk=contact.pk)
        .select_related("reason")
        .order_by("-opened_at", "-pk")
    )
    if contact.matter_id is not None:
        others = others.exclude(matter_id=contact.matter_id)
    return [Proposal(o, o.matter_id) for o in others[:PROPOSALS]]


def matter_sizes(matter_ids: list[int]) -> dict[int, int]:
    rows = Contact.objects.filter(matter_id__in=matter_ids).values("matter_id").annotate(n=Count("pk"))
    return {r["matter_id"]: r["n"] for r in rows}
