"""Writes for service levels: a contact's priority, and the policies managers keep."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gezien.contacts.models import Channel, Contact, ContactEvent, Priority, Status
from gezien.contacts.services import contact_event_add
from gezien.core.errors import Conflict, Invalid
from gezien.insights.facts import facts_mark_stale
from gezien.insights.sla.models import SlaPolicy

if TYPE_CHECKING:
    from gezien.accounts.models import User

MAX_MINUTES = 366 * 24 * 60


@transaction.atomic
def contact_set_priority(*, contact: Contact, priority: str, actor: User | None) -> Contact:
    """Set how urgent a contact is (normaal, hoog, spoed): its SLA targets follow, counted from when
    it opened. Recorded in the contact's history; a closed contact keeps its priority."""
    if priority not in Priority.values:
        raise Invalid(_("Kies normaal, hoog of spoed."), field="priority")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status == Status.CLOSED:
        raise Conflict(_("Dit contact is al gesloten."), field="priority")
    if contact.priority != priority:
        previous = contact.priority
        contact.priority = priority
        contact.save(update_fields=["priority", "updated_at"])
        contact_event_add(
            contact=contact,
            kind=ContactEvent.Kind.PRIORITY,
            actor=actor,
            previous=previous,
            priority=priority,
        )
    return contact


def _minutes(value: int | None, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
        raise Invalid(_("Een norm is een aantal minuten van 1 tot 527040, of leeg."), field=field)
    return value


@transaction.atomic
def sla_policy_save(
    *,
    channel: str,
    priority: str,
    first_response_minutes: int | None,
    resolution_minutes: int | None,
    warn_share: float = 0.8,
    active: bool = True,
) -> SlaPolicy:
    """Create or change the policy of a channel and priority. Every contact of that channel and priority
    is counted again under it (figures always follow the current policy, so a period never mixes two)."""
    if channel not in Channel.values:
        raise Invalid(_("Onbekend kanaal."), field="channel")
    if priority not in Priority.values:
        raise Invalid(_("Kies normaal, hoog of spoed."), field="priority")
    first = _minutes(first_response_minutes, "first_response_minutes")
    resolution = _minutes(resolution_minutes, "resolution_minutes")
    if not isinstance(warn_share, int | float) or not 0.05 <= float(warn_share) <= 0.99:
        raise Invalid(_("Waarschuw bij een deel tussen 0,05 en 0,99 van de tijd."), field="warn_share")
    policy, _created = SlaPolicy.objects.update_or_create(
        channel=channel,
        priority=priority,
        defaults={
            "first_response_minutes": first,
            "resolution_minutes": resolution,
            "warn_share": float(warn_share),
            "active": bool(active),
        },
    )
    ids = list(Contact.objects.filter(channel=channel, priority=priority).values_list("pk", flat=True))
    transaction.on_commit(lambda: facts_mark_stale(ids))
    return policy
