"""Running spike detection (`spikes.py`) on the stored contacts and keeping the spikes it finds.

Counts come from `ContactFact` (reason_id, opened_at), restricted by `day` so the `fact_day` index
bounds the scan to the window plus N earlier weeks; one grouped query per window length gives every
reason's count in the window and in each of the N shifted windows at once (a CASE on opened_at).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from gezien.contacts.models import ContactReason
from gezien.insights.facts import local_day
from gezien.insights.models import ContactFact
from gezien.insights.rollups import insights_catch_up
from gezien.insights.rootcause.models import Spike
from gezien.insights.rootcause.spikes import SpikeTest, WindowCounts, explain, spikes_test

WINDOW_HOURS = (24, 72)


def _window_end(now: datetime) -> datetime:
    """Windows end on the hour, so a run at 10:05 and one at 10:50 test (and store) the same window."""
    return now.replace(minute=0, second=0, microsecond=0)


def window_counts(end: datetime, hours: int, weeks: int) -> list[WindowCounts]:
    """Per reason: the count in [end - hours, end) and in the same span 1..weeks weeks earlier."""
    spans = [
        (end - timedelta(hours=hours) - timedelta(weeks=k), end - timedelta(weeks=k))
        for k in range(weeks + 1)
    ]
    earliest = spans[-1][0]
    bucket = Case(
        *[When(opened_at__gte=s, opened_at__lt=e, then=Value(k)) for k, (s, e) in enumerate(spans)],
        default=Value(-1),
        output_field=IntegerField(),
    )
    rows = (
        ContactFact.objects.filter(
            reason_id__isnull=False,
            day__gte=local_day(earliest) - timedelta(days=1),
            day__lte=local_day(end) + timedelta(days=1),
        )
        .filter(Q(opened_at__gte=earliest, opened_at__lt=end))
        .annotate(bucket=bucket)
        .values("reason_id", "bucket")
        .annotate(n=Count("contact_id"))
    )
    per_reason: dict[int, list[int]] = {}
    for row in rows:
        if row["bucket"] < 0:
            continue
        per_reason.setdefault(row["reason_id"], [0] * (weeks + 1))[row["bucket"]] = row["n"]
    return [WindowCounts(rid, hours, c[0], tuple(c[1:])) for rid, c in sorted(per_reason.items())]


def spikes_detect(now: datetime | None = None) -> list[Spike]:
    """Test every reason in the last 24 and 72 hours against its own weekday-hour baseline and store
    the spikes that fire. Idempotent per reason and window: running again in the same hour updates
    the same rows; a spike still running (an open one for the same reason whose window overlaps) is
    updated to the newest window instead of repeated. Returns the spikes stored or updated."""
    now = now or timezone.now()
    insights_catch_up()
    end = _window_end(now)
    weeks = max(1, settings.GEZIEN_SPIKE_WEEKS)
    windows = [w for hours in WINDOW_HOURS for w in window_counts(end, hours, weeks)]
    tests = spikes_test(
        windows,
        alpha=settings.GEZIEN_SPIKE_ALPHA_PER_MILLE / 1000,
        min_count=settings.GEZIEN_SPIKE_MIN_COUNT,
    )
    fired = [t for t in tests if t.fired]
    best: dict[int, SpikeTest] = {}
    for test in sorted(fired, key=lambda t: t.p_adjusted):  # the strongest window per reason
        best.setdefault(test.counts.key, test)
    reasons = ContactReason.objects.in_bulk(list(best))
    stored = []
    with transaction.atomic():
        for reason_id, test in best.items():
            stored.append(_store(reasons[reason_id], test, end, now))
    return stored


def _store(reason: ContactReason, test: SpikeTest, end: datetime, now: datetime) -> Spike:
    start = end - timedelta(hours=test.counts.hours)
    figures = {
        "observed": test.counts.observed,
        "expected": round(test.counts.expected, 2),
        "p_value": test.p_adjusted,
        "explanation": explain(str(reason.name), test),
    }
    same = Spike.objects.filter(reason=reason, window_start=start, window_end=end).first()
    running = same or (
        Spike.objects.filter(reason=reason, dismissed=False, window_end__gt=start)
        .order_by("-window_end")
        .first()
    )
    if running is None:
        return Spike.objects.create(
            reason=reason, window_start=start, window_end=end, detected_at=now, **figures
        )
    if running.window_end <= end:  # never move a spike back in time when an old hour is re-run
        clash = Spike.objects.filter(reason=reason, window_start=start, window_end=end).exclude(pk=running.pk)
        if not clash.exists():
            running.window_start, running.window_end = start, end
            for name, value in figures.items():
                setattr(running, name, value)
            running.save()
    return running
