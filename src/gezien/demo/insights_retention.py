"""Churn risk in the demo: every recent customer's risk computed (Samira Aarab, on her fifth contact
about the same late delivery, and Ronald Kramer, angry on every call about his internet, come out hoog
with their reasons in words), and one follow-up by the team lead, so the retention list shows
"opgevolgd". Idempotent.

Expects the demo organisation (`demo.loader.load_demo`) with its facts built, and works best after
`load_resolution_demo` (matters: the unresolved repeats) and `load_rootcause_demo` (the problem the
late-delivery wave caused); without them those parts of the score are simply absent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from gezien.accounts.models import User
from gezien.customers.models import Customer
from gezien.insights.retention.models import CustomerRisk, FollowUpOutcome, RetentionFollowUp, RiskLevel
from gezien.insights.retention.risk import risks_catch_up, risks_refresh_all
from gezien.insights.rollups import insights_catch_up

FOLLOW_UP = (
    "Samira gebeld: excuses gemaakt voor de vijf keer, de Galaxy gaat vandaag met spoed de deur uit en ze "
    "krijgt een maand abonnement terug. Ze blijft, maar wil morgen de track-and-trace zien."
)


def load_retention_demo(now: datetime | None = None) -> dict[str, int]:
    """Compute the demo customers' churn risks and add the team lead's follow-up on Samira. Returns counts."""
    now = now or timezone.now()
    insights_catch_up()
    risks_catch_up(now=now)
    computed = risks_refresh_all(now=now)
    samira = Customer.objects.filter(first_name="Samira", last_name="Aarab").first()
    lead = User.objects.filter(username="teamlead").first()
    made = 0
    if samira is not None and not RetentionFollowUp.objects.filter(customer=samira).exists():
        RetentionFollowUp.objects.create(
            customer=samira,
            by=lead,
            note=FOLLOW_UP,
            outcome=FollowUpOutcome.REACHED,
            at=now - timedelta(minutes=5),
        )
        made = 1
    high = CustomerRisk.objects.filter(level=RiskLevel.HIGH).count()
    return {"opzegrisico_berekend": computed, "opzegrisico_hoog": high, "opvolgingen": made}
