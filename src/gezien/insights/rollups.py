"""Daily rollups of the facts per dimension, and reading them back for any period.

A day's rollups are rebuilt whole from that day's facts (a few grouped queries on an indexed day), so
they never drift from the facts; `StaleDay` says which days need it. Reading a period sums its days,
so a dashboard over a year reads at most 365 rows per value of a dimension, whatever the history.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from gezien.core.stale import stale_drain
from gezien.insights.cx import CALMER_BY, NEGATIVE_AT
from gezien.insights.facts import stale_facts_refresh
from gezien.insights.models import ContactFact, DailyRollup, Dimension, StaleDay

# The column of ContactFact each dimension groups by.
DIMENSION_COLUMN: dict[str, str | tuple[str, str] | None] = {
    Dimension.ALL: None,
    Dimension.TEAM: "team_id",
    Dimension.AGENT: "agent_id",
    Dimension.CHANNEL: "channel",
    Dimension.REASON: "reason_id",
    Dimension.DEPARTMENT: "department_id",
    Dimension.PRIORITY: "priority",
    Dimension.TEAM_CHANNEL: ("team_id", "channel"),
    Dimension.TEAM_REASON: ("team_id", "reason_id"),
    Dimension.TEAM_AGENT: ("team_id", "agent_id"),
}

_HAS_EMOTION = Q(emotion_end__isnull=False)
_NPS_PAIR = Q(nps__isnull=False, emotion_end__isnull=False)
_CSAT_PAIR = Q(csat__isnull=False, emotion_end__isnull=False)


def _sum(expr: Any, condition: Q | None = None) -> Any:
    return Coalesce(Sum(expr, filter=condition), 0, output_field=None)


def _fsum(expr: Any, condition: Q | None = None) -> Any:
    from django.db.models import FloatField

    return Coalesce(Sum(expr, filter=condition, output_field=FloatField()), 0.0, output_field=FloatField())


def _count(condition: Q | None = None) -> Any:
    return Count("contact_id", filter=condition)


AGGREGATES: dict[str, Any] = {
    "contacts": _count(),
    "closed": _count(Q(closed_at__isnull=False)),
    "customers": Count("customer_id", distinct=True),
    "emotion_n": _count(_HAS_EMOTION),
    "emotion_start_sum": _fsum("emotion_start", _HAS_EMOTION),
    "emotion_peak_sum": _fsum("emotion_peak", _HAS_EMOTION),
    "emotion_end_sum": _fsum("emotion_end", _HAS_EMOTION),
    "emotion_gain_sum": _fsum("emotion_gain", _HAS_EMOTION),
    "calmer": _count(Q(emotion_gain__gt=CALMER_BY, emotion_end__lt=NEGATIVE_AT)),  # as cx.left_calmer
    "negative": _count(Q(negative=True)),
    "churn_risk": _count(Q(churn__gte=0.5)),
    "abuse": _count(Q(abuse=True)),
    "handling_n": _count(Q(handling_seconds__isnull=False)),
    "handling_sum": _sum("handling_seconds"),
    "repeats": _count(Q(is_repeat=True)),
    "naive_n": _count(~Q(naive_resolved="pending")),
    "naive_yes": _count(Q(naive_resolved="yes")),
    "honest_n": _count(Q(first_of_matter=True) & ~Q(honest_resolved="pending")),
    "honest_yes": _count(Q(first_of_matter=True, honest_resolved="yes")),
    "sla_fr_n": _count(~Q(sla_first_response="pending")),
    "sla_fr_breached": _count(Q(sla_first_response="no")),
    "first_response_sum": _sum("first_response_seconds", ~Q(sla_first_response="pending")),
    "sla_res_n": _count(~Q(sla_resolution="pending")),
    "sla_res_breached": _count(Q(sla_resolution="no")),
    "nps_n": _count(Q(nps__isnull=False)),
    "nps_promoters": _count(Q(nps__gte=9)),
    "nps_detractors": _count(Q(nps__lte=6)),
    "nps_sum": _sum("nps"),
    "csat_n": _count(Q(csat__isnull=False)),
    "csat_sum": _sum("csat"),
    "csat_satisfied": _count(Q(csat__gte=4)),
    "nps_pair_n": _count(_NPS_PAIR),
    "nps_x": _fsum("emotion_end", _NPS_PAIR),
    "nps_y": _fsum("nps", _NPS_PAIR),
    "nps_xx": _fsum(F("emotion_end") * F("emotion_end"), _NPS_PAIR),
    "nps_yy": _fsum(F("nps") * F("nps"), _NPS_PAIR),
    "nps_xy": _fsum(F("emotion_end") * F("nps"), _NPS_PAIR),
    "csat_pair_n": _count(_CSAT_PAIR),
    "csat_x": _fsum("emotion_end", _CSAT_PAIR),
    "csat_y": _fsum("csat", _CSAT_PAIR),
    "csat_xx": _fsum(F("emotion_end") * F("emotion_end"), _CSAT_PAIR),
    "csat_yy": _fsum(F("csat") * F("csat"), _CSAT_PAIR),
    "csat_xy": _fsum(F("emotion_end") * F("csat"), _CSAT_PAIR),
}
SUMMABLE = [name for name in AGGREGATES if name != "customers"]


def _key(values: dict[str, Any], columns: tuple[str, ...]) -> str:
    parts = [values.pop(c) for c in columns]
    return ":".join("" if p is None else str(p) for p in parts)


def _rows(facts: QuerySet[ContactFact], dim: str) -> list[DailyRollup]:
    column = DIMENSION_COLUMN[dim]
    columns: tuple[str, ...] = () if column is None else (column,) if isinstance(column, str) else column
    rows = []
    for values in facts.order_by().values("day", *columns).annotate(**AGGREGATES):
        key = _key(values, columns)
        rows.append(DailyRollup(day=values.pop("day"), dim=dim, key=key, **values))
    return rows


# A key of PostgreSQL's advisory locks of their own for rollup days (any constant unlikely to collide).
_ROLLUP_LOCK_SPACE = 0x67657A  # "gez"


def _lock_day(day: date) -> None:
    """Two processes rebuilding the same day (two dashboards read at once) take turns: on PostgreSQL the
    second would otherwise insert beside rows it cannot see being deleted. SQLite writes one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_ROLLUP_LOCK_SPACE, day.toordinal()])


# Days rebuilt together: one grouped query per dimension for all of them (grouped by day, so each day's
# rows are what a query of its own would give). Day by day, catching up the demo's 110 stale days cost
# 1,100 queries whose compiling alone took most of a minute.
REFRESH_DAYS = 31


def rollups_refresh_days(days: Iterable[date]) -> int:
    """Rebuild the rollups of these days from their facts. Returns the number of rows written."""
    written = 0
    ordered = sorted(set(days))
    for start in range(0, len(ordered), REFRESH_DAYS):
        chunk = ordered[start : start + REFRESH_DAYS]
        facts = ContactFact.objects.filter(day__in=chunk)
        rows = [row for dim in DIMENSION_COLUMN for row in _rows(facts, dim)]
        with transaction.atomic():
            for day in chunk:  # in order, so two rebuilds of overlapping days never wait on each other
                _lock_day(day)
            DailyRollup.objects.filter(day__in=chunk).delete()
            DailyRollup.objects.bulk_create(rows, batch_size=500)
        written += len(rows)
    return written


def rollups_rebuild_all() -> int:
    """Rebuild every rollup from the facts: one grouped query per dimension over all days."""
    with transaction.atomic():
        StaleDay.objects.all().delete()
        DailyRollup.objects.all().delete()
        written = 0
        for dim in DIMENSION_COLUMN:
            rows = _rows(ContactFact.objects.all(), dim)
            DailyRollup.objects.bulk_create(rows, batch_size=1000)
            written += len(rows)
    return written


def stale_days_refresh() -> int:
    # A day touched again meanwhile stays stale.
    return stale_drain(StaleDay, rollups_refresh_days, order=("day",), batch=10_000)


_catching_up = threading.local()


def insights_catch_up(limit: int | None = None) -> int:
    """Bring facts and rollups up to date. Cheap when nothing changed (two empty reads). Every read of
    the rollups calls it first, so no page, export or endpoint has to (a fact contributor reading
    rollups while facts are rebuilt does not start a second catch-up)."""
    if getattr(_catching_up, "busy", False):
        return 0
    _catching_up.busy = True
    try:
        done = stale_facts_refresh(limit)
        stale_days_refresh()
    finally:
        _catching_up.busy = False
    return done


def _rollups(
    start: date, end: date, dim: str, keys: Iterable[str] | None, key_prefix: str
) -> QuerySet[DailyRollup]:
    insights_catch_up()
    rows = DailyRollup.objects.filter(dim=dim, day__gte=start, day__lte=end)
    if keys is not None:
        rows = rows.filter(key__in=list(keys))
    if key_prefix:
        rows = rows.filter(key__startswith=key_prefix)
    return rows


def period_totals(
    start: date,
    end: date,
    dim: str = Dimension.ALL,
    keys: Iterable[str] | None = None,
    *,
    key_prefix: str = "",
) -> dict[str, dict[str, float]]:
    """The summed rollups of [start, end] per key of `dim` ({"": {...}} for ALL)."""
    rows = _rollups(start, end, dim, keys, key_prefix)
    totals: dict[str, dict[str, float]] = {}
    for values in rows.order_by().values("key").annotate(**{n: Sum(n) for n in SUMMABLE}):
        totals[values.pop("key")] = {k: v or 0 for k, v in values.items()}
    return totals


def series(
    start: date,
    end: date,
    dim: str = Dimension.ALL,
    keys: Iterable[str] | None = None,
    *,
    key_prefix: str = "",
) -> QuerySet[DailyRollup]:
    """The daily rollups of [start, end] for `dim` (and these keys), oldest first."""
    return _rollups(start, end, dim, keys, key_prefix).order_by("day", "key")
