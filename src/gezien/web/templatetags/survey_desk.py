"""{% survey_block contact %}: the survey block on the contact page (sent, refused with why, answered)."""

from __future__ import annotations

from typing import Any

from django import template

from gezien.contacts.models import Contact
from gezien.insights.surveys.selectors import contact_survey

register = template.Library()


@register.inclusion_tag("surveys/_contact_block.html")
def survey_block(contact: Contact) -> dict[str, Any]:
    return {"survey": contact_survey(contact), "contact": contact}
