"""The contact page's link to its habit read, for the people who may see it (the agent, their lead)."""

from __future__ import annotations

from typing import Any

from django import template

from gezien.coaching.models import ContactRead
from gezien.coaching.selectors import read_or_none

register = template.Library()


@register.simple_tag(takes_context=True)
def habit_read_for(context: dict[str, Any], contact: Any) -> ContactRead | None:
    """The contact's read when it is closed, read, and the viewer may see it; else None."""
    user = context.get("user")
    if user is None or getattr(contact, "status", "") != "closed":
        return None
    if not (
        user.has_perm("coaching.view_own_reads")
        or user.has_perm("coaching.view_team_reads")
        or user.has_perm("coaching.view_all_reads")
    ):
        return None
    return read_or_none(user, contact.pk)
