"""The contacts' side of the planning history: every rebuilt contact fact marks its local day, and the
tick (or a planning read, through `planning.history.history_catch_up`) counts marked days into quarters
again from the facts. It lives in insights because it reads insights' facts; planning owns the tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from gezien.contacts.models import Contact
from gezien.core.stale import stale_drain, stale_mark
from gezien.insights.models import ContactFact
from gezien.insights.rollups import insights_catch_up
from gezien.planning.history import intervals_upsert
from gezien.planning.intervals import day_bounds, local_day, quarter_floor
from gezien.planning.models import HistoryStaleDay, Source, VolumeInterval


def history_mark_days(contacts: Sequence[Contact], now: datetime) -> Mapping[int, Mapping[str, Any]]:
    """Fact contributor: contributes no columns, marks the days of these contacts for counting again."""
    stale_mark(HistoryStaleDay, {local_day(c.opened_at) for c in contacts}, now)
    return {}


def history_count_day(day: date) -> int:
    """Count one local day's contacts into quarters again (replacing what was counted before)."""
    start, end = day_bounds(day)
    sums: dict[tuple[str, datetime], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    facts = ContactFact.objects.filter(day=day).values_list("opened_at", "channel", "handling_seconds")
    for opened_at, channel, handling in facts.iterator(chunk_size=2000):
        bucket = sums[(channel, quarter_floor(opened_at))]
        bucket[0] += 1
        if handling is not None and handling >= 0:
            bucket[1] += 1
            bucket[2] += handling
    with transaction.atomic():
        VolumeInterval.objects.filter(source=Source.CONTACTS, start__gte=start, start__lt=end).delete()
        # An upsert: two ticks counting the same day at once end with one row per quarter.
        return intervals_upsert(Source.CONTACTS, sums)


def volume_catch_up(limit: int | None = 31) -> int:
    """Bring the facts up to date (which marks the days of changed contacts), then count the marked
    days again (at most `limit` per call; a day marked again meanwhile stays marked). Cheap when nothing
    changed: three reads. Returns the number of days counted."""
    insights_catch_up()

    def count(days: Sequence[date]) -> None:
        for day in days:
            history_count_day(day)

    return stale_drain(HistoryStaleDay, count, limit=limit, batch=1, order=("-day",))


def handling_recent(now: datetime, window: timedelta, min_samples: int) -> dict[str, float]:
    """Mean handling time per channel of the contacts that came in over `window` (the live board's
    arrival window; it reads this through its hook); when the window has fewer than `min_samples` closed
    ones, today's so far. One query: the window's figures are a filtered aggregate beside the day's."""
    recent = Q(opened_at__gt=now - window, opened_at__lte=now)  # past midnight too
    today = Q(day=timezone.localtime(now).date())
    rows = (
        ContactFact.objects.filter(today | recent, handling_seconds__gt=0)
        .values("channel")
        .annotate(
            n=Count("contact_id", filter=today),
            mean=Avg("handling_seconds", filter=today),
            n_recent=Count("contact_id", filter=recent),
            mean_recent=Avg("handling_seconds", filter=recent),
        )
        .values_list("channel", "n", "mean", "n_recent", "mean_recent")
    )
    means: dict[str, float] = {}
    for channel, n, mean, n_recent, mean_recent in rows:
        if n_recent >= min_samples and mean_recent:
            means[channel] = float(mean_recent)
        elif n >= min_samples and mean:
            means[channel] = float(mean)
    return means
