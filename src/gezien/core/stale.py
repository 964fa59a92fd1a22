"""The stale-mark queue, one way for every figure that catches up: a change writes a mark (one small
upsert, cheap enough for the hot path), and a catch-up drains the marks in batches.

A mark table is a model whose primary key is the thing to redo (a contact id, a day, a customer id)
with a `since` column. Marking again while a rebuild runs moves `since` forward (an upsert), and the
drain deletes only the marks not newer than what it read, so a change made meanwhile stays marked and
is never lost."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

BATCH = 500


def stale_mark(model: type[models.Model], keys: Iterable[Any], now: datetime | None = None) -> int:
    """Mark these keys stale (None is skipped). Returns how many keys were marked.

    One upsert (INSERT ... ON CONFLICT (key) DO UPDATE SET since), written out rather than built by
    `bulk_create(update_conflicts=True)`: the outbox runs it after every batch of new contacts, and the
    ORM compiled it anew each time (~0.5 ms of Python for a statement SQLite runs in ~30 µs)."""
    unique = sorted({k for k in keys if k is not None})
    if not unique:
        return 0
    now = now or timezone.now()
    key, since = model._meta.pk, model._meta.get_field("since")
    assert isinstance(since, models.Field)
    head, tail = _mark_sql(model)
    moment = since.get_db_prep_save(now, connection)
    with transaction.atomic(savepoint=False) if len(unique) > MARK_ROWS else nullcontext():
        for start in range(0, len(unique), MARK_ROWS):
            chunk = unique[start : start + MARK_ROWS]
            params: list[Any] = []
            for value in chunk:
                params += [key.get_db_prep_save(value, connection), moment]
            with connection.cursor() as cursor:
                cursor.execute(head + ", ".join(["(%s, %s)"] * len(chunk)) + tail, params)
    return len(unique)


MARK_ROWS = 400  # rows per statement: 800 parameters, within every SQLite's limit
_MARK_SQL: dict[tuple[type[models.Model], str], tuple[str, str]] = {}


def _mark_sql(model: type[models.Model]) -> tuple[str, str]:
    """The upsert's head and its ON CONFLICT clause for `model`, on this database."""
    found = _MARK_SQL.get((model, connection.vendor))
    if found is None:
        meta, ops = model._meta, connection.ops
        key, since = meta.pk, meta.get_field("since")
        assert isinstance(since, models.Field) and key.column and since.column
        table, columns = (
            ops.quote_name(meta.db_table),
            f"{ops.quote_name(key.column)}, {ops.quote_name(since.column)}",
        )
        conflict = ops.on_conflict_suffix_sql([key, since], OnConflict.UPDATE, [since.column], [key.column])
        found = _MARK_SQL[(model, connection.vendor)] = (
            f"INSERT INTO {table} ({columns}) VALUES ",  # noqa: S608 -- names only
            f" {conflict}",
        )
    return found


def stale_drain(
    model: type[models.Model],
    redo: Callable[[Sequence[Any]], object],
    *,
    limit: int | None = None,
    batch: int = BATCH,
    order: Sequence[str] = ("since",),
) -> int:
    """Redo the marked keys, a batch at a time in `order` (at most `limit` keys), removing each batch's
    marks after `redo(keys)` returned. Returns how many keys were redone; cheap when nothing is marked."""
    key = model._meta.pk.attname
    marks = model.objects.order_by(*order, key)  # type: ignore[attr-defined]
    done = 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        stale = list(marks.values_list(key, "since")[:size])
        if not stale:
            break
        keys = [k for k, _since in stale]
        redo(keys)
        by_since: dict[datetime, list[Any]] = defaultdict(list)
        for k, since in stale:  # marks come in bulk with one `since` each: a few deletes per batch
            by_since[since].append(k)
        for since, same in by_since.items():
            model.objects.filter(**{f"{key}__in": same, "since__lte": since}).delete()  # type: ignore[attr-defined]
        done += len(keys)
    return done
