"""Template tags for service levels: the queue's timers in two queries, a contact's without any."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import timezone

from gezien.contacts.models import Contact, Priority
from gezien.contacts.selectors import QueueEntry
from gezien.insights.sla.timers import (
    ContactTimers,
    contact_timers,
    first_reply_in,
    policies_by_key,
    timers_for,
)

register = template.Library()


@register.simple_tag
def sla_timers(entries: Iterable[QueueEntry]) -> dict[int, ContactTimers]:
    """`{% sla_timers entries as timers %}`: the SLA timers of the queue's contacts by id (policies and
    first replies read once for the whole page)."""
    return timers_for((entry.contact for entry in entries), timezone.now())


@register.simple_tag
def sla_contact_timers(contact: Contact) -> ContactTimers:
    """`{% sla_contact_timers contact as sla %}` on the contact page, whose messages are loaded already."""
    policy = policies_by_key().get((contact.channel, contact.priority))
    return contact_timers(contact, policy, first_reply_in(contact), timezone.now())


@register.simple_tag
def sla_priorities() -> list[tuple[str, str]]:
    return [(p.value, str(p.label)) for p in Priority]
