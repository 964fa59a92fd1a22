"""Writes of retention: recording a follow-up ("opgevolgd") on a customer at risk."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.contacts.services import clean_text
from gezien.core.errors import Forbidden, Invalid
from gezien.customers.models import Customer
from gezien.insights.retention.models import FollowUpOutcome, RetentionFollowUp
from gezien.insights.retention.selectors import may_follow_up
from gezien.insights.scope import insight_scope

NOTE_CHARS = 2000


@transaction.atomic
def follow_up_add(
    *,
    customer: Customer,
    by: User,
    note: str,
    outcome: str = FollowUpOutcome.OPEN,
    at: datetime | None = None,
) -> RetentionFollowUp:
    """Record that `by` followed up `customer`: managers for anyone, team leads for their team's customers."""
    if not may_follow_up(insight_scope(by), customer.pk):
        raise Forbidden(_("Deze klant hoort niet bij jouw team."))
    text = clean_text(note, field="note", allow_empty=True).strip()
    if not text:
        raise Invalid(_("Schrijf kort wat je hebt gedaan."), field="note")
    if len(text) > NOTE_CHARS:
        raise Invalid(_("De notitie is te lang (hoogstens 2000 tekens)."), field="note")
    if outcome not in FollowUpOutcome.values:
        raise Invalid(_("Onbekende uitkomst."), field="outcome")
    return RetentionFollowUp.objects.create(
        customer=customer, by=by, note=text, outcome=outcome, at=at or timezone.now()
    )
