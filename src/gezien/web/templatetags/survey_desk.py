"""{% survey_block contact %}: the survey block on the contact page (sent, refused with why, answered)."""

from __future__ import annotations

from typing import Any

from django import template

from gezien.contacts.models import Contact
from gezien.insights.surveys.selectors import contact_survey
from gezien.web.signal_display import highlight

register = template.Library()


@register.inclusion_tag("surveys/_contact_block.html")
def survey_block(contact: Contact) -> dict[str, Any]:
    survey = contact_survey(contact)
    response = survey.response
    comment_html = None
    if response is not None and response.comment:
        evidence = (response.comment_analysis or {}).get("evidence") or []
        comment_html = highlight(response.comment, evidence)
    return {"survey": survey, "contact": contact, "comment_html": comment_html}
