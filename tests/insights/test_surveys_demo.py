"""The demo's surveys follow the desk's rule and are idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from gezien.contacts.handling import contact_set_status
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from gezien.demo.insights_surveys import load_surveys_demo
from gezien.insights.surveys.models import SurveyInvitation, SurveySkip

pytestmark = pytest.mark.django_db


def test_demo_surveys_skip_the_bereaved_and_add_nothing_the_second_time(
    customer: Customer, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.GEZIEN_SURVEY_SEND = "off"  # as loaded in bulk: nobody offered a survey yet
    made = []
    for text in (
        "Mijn man is vorige maand overleden, ik wil zijn abonnement opzeggen.",
        "Hoe zet ik wifi aan?",
    ):
        with django_capture_on_commit_callbacks(execute=True):
            contact = contact_open(
                channel="email", identities=[("email", "a.jansen@ziggo.nl")], text=text
            ).contact
            contact_set_status(contact=contact, status="closed")
        made.append(contact)
    counts = load_surveys_demo(timezone.now())
    assert counts["invitations"] == 1 and counts["skipped_bereavement"] == 1
    assert SurveySkip.objects.get(contact=made[0]).reason == "bereavement"
    assert SurveyInvitation.objects.get().contact == made[1]
    assert load_surveys_demo(timezone.now()) == {"invitations": 0, "answers": 0, "skipped": 0}
