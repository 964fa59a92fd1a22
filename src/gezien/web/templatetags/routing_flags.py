"""Template tags for routing: the queue's flags, read for all of its rows in one query."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.translation import gettext

from gezien.contacts.selectors import QueueEntry
from gezien.routing.models import RoutingDecision
from gezien.routing.reasons import need_why, needs_why
from gezien.routing.selectors import decisions_for

register = template.Library()


@register.simple_tag
def routing_decisions(entries: Iterable[QueueEntry]) -> dict[int, RoutingDecision]:
    """`{% routing_decisions entries as routed %}`: the routing decisions of the queue's contacts by id."""
    return decisions_for(entry.contact.pk for entry in entries)


@register.filter
def flag_label(flag: str) -> str:
    """A routing flag in the reader's language: the flag is stored as its Dutch label, which is its
    message id ("boze klant" -> "angry customer")."""
    return gettext(str(flag))


@register.filter
def routing_why(decision: RoutingDecision) -> str:
    """Why routing decided this, in the reader's language: every need's reasons in one line."""
    return needs_why(decision.needs)


@register.filter(name="need_why")
def need_why_filter(need: dict[str, object]) -> str:
    """One stored need's reasons in the reader's language ("overlijden: 'overleden'")."""
    return need_why(need)
