"""The stale-mark queue, one way for every figure that catches up: a change writes a mark (one small
upsert, cheap enough for the hot path), and a catch-up drains the marks in batches.

A mark table is a model whose primary key is the thing to redo (a contact id, a day, a customer id)
with a `since` column. Marking again while a rebuild runs moves `since` forward (an upsert), and the
drain deletes only the marks not newer than what it read, so a change made meanwhile stays marked and
is never lost."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

BATCH = 500


def stale_mark(model: type[models.Model], keys: Iterable[Any], now: datetime | None = None) -> int:
    """Mark these keys stale (None is skipped). Returns how many keys were marked."""
    unique = {k for k in keys if k is not None}
    if not unique:
        return 0
    key = model._meta.pk.attname
    now = now or timezone.now()
    model.objects.bulk_create(  # type: ignore[attr-defined]
        [model(**{key: k, "since": now}) for k in unique],
        update_conflicts=True,
        unique_fields=[key],
        update_fields=["since"],
        batch_size=1000,
    )
    return len(unique)


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
