"""Template tags for the telephone system's commands in the desk: the "Bel" button beside a customer's
phone number (for an agent with an extension) and warm transfer of the call going on a phone contact."""

from __future__ import annotations

from typing import Any

from django import template

from gezien.contacts.models import Contact
from gezien.phone.adapters import configured_name
from gezien.phone.models import Call, CallState, Extension

register = template.Library()


@register.simple_tag(takes_context=True)
def my_phone(context: Any) -> Extension | None:
    """`{% my_phone as phone %}`: the signed-in person's extension, when a telephone system is configured
    (else None: no button that can only fail). Read once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated or not configured_name():
        return None
    if not hasattr(request, "_gezien_phone"):
        request._gezien_phone = Extension.objects.filter(user=user).first()
    found: Extension | None = request._gezien_phone
    return found


@register.simple_tag
def call_going_on(contact: Contact) -> Call | None:
    """`{% call_going_on contact as call %}`: the answered call of a phone contact, while it lasts."""
    return (
        Call.objects.select_related("agent")
        .filter(contact=contact, state=CallState.ANSWERED)
        .order_by("-rang_at")
        .first()
    )


@register.simple_tag
def colleagues_with_phone(call: Call) -> list[Extension]:
    """`{% colleagues_with_phone call as phones %}`: whom the call can go to (everyone with an extension
    but its agent)."""
    return list(
        Extension.objects.select_related("user")
        .filter(user__is_active=True)
        .exclude(user_id=call.agent_id or 0)
    )
