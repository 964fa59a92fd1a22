"""The matter block on the contact page: which matter this contact belongs to, the other contacts in it,
the proposed links and the customer's "opgelost?" answer. Four small queries."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from gezien.insights.resolution import selectors

register = template.Library()


@register.inclusion_tag("web/resolution/_contact_matter.html", takes_context=True)
def contact_matter(context: template.Context, contact: Any) -> dict[str, Any]:
    matter = selectors.matter_detail(contact.matter_id) if contact.matter_id else None
    proposals = selectors.link_proposals(contact)
    request = context.get("request")
    return {
        "contact": contact,
        "matter": matter,
        "others": [c for c in matter.contacts.all() if c.pk != contact.pk] if matter else [],
        "settles_at": selectors.settles_at(matter) if matter else None,
        "proposals": proposals,
        "days": settings.GEZIEN_RESOLUTION_WORKING_DAYS,
        "csrf_token": context.get("csrf_token"),
        "can_handle": bool(request and request.user.has_perm("contacts.handle_contact")),
    }
