"""The insights part of the demo organisation, loaded after its contacts are analysed: matters and the
late-delivery wave's follow-ups, departments and the board's problems, priorities, survey answers,
the figures (facts and rollups) and churn risks. Every step is idempotent."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from gezien.demo.insights_resolution import load_resolution_demo
from gezien.demo.insights_retention import load_retention_demo
from gezien.demo.insights_rootcause import load_rootcause_demo
from gezien.demo.insights_sla import load_sla_demo
from gezien.demo.insights_surveys import load_surveys_demo
from gezien.insights.facts import facts_rebuild_all
from gezien.insights.models import ContactFact
from gezien.insights.rollups import insights_catch_up, rollups_rebuild_all


def insights_demo_missing() -> bool:
    """True when the insights part never finished (no figures at all)."""
    return not ContactFact.objects.exists()


def load_insights_demo(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts: dict[str, int] = {}
    # Matters first: the wave's follow-up contacts are part of what the board links and counts.
    counts.update(load_resolution_demo(now))
    counts.update(load_rootcause_demo(now))
    counts["prioriteiten"] = load_sla_demo()
    # Survey answers follow how customers felt at the end: that needs the figures.
    counts["cijfers"] = facts_rebuild_all()
    counts.update(load_surveys_demo(now))
    insights_catch_up()
    rollups_rebuild_all()
    counts.update(load_retention_demo(now))
    return counts
