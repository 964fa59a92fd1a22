"""The survey columns of a contact's fact: the NPS or CSAT score its survey was answered with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from gezien.contacts.models import Contact
from gezien.insights.facts import fact_contributor
from gezien.insights.surveys.models import SurveyKind, SurveyResponse


@fact_contributor
def survey_facts(contacts: Sequence[Contact], now: datetime) -> Mapping[int, Mapping[str, Any]]:
    """One query per batch: {contact id: {"nps": score or None, "csat": score or None}}."""
    rows = SurveyResponse.objects.filter(invitation__contact_id__in=[c.pk for c in contacts]).values_list(
        "invitation__contact_id", "kind", "score"
    )
    out: dict[int, dict[str, Any]] = {}
    for contact_id, kind, score in rows:
        out[contact_id] = {
            "nps": score if kind == SurveyKind.NPS else None,
            "csat": score if kind == SurveyKind.CSAT else None,
        }
    return out
