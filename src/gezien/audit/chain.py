"""The hash chain: each sealed entry's `hash` is sha256 over the previous entry's hash and the entry's
canonical JSON (its place `seq` among them), so a changed, removed or inserted entry breaks it.

Entries are written unsealed (one INSERT, no lock: the desk's hot paths never wait on the chain) and
sealed here in batches, in id order among those committed, by one sealer at a time: on the periodic
tick and before every read of the log (`selectors`). Why the place is `seq` and not the id: on
PostgreSQL ids are handed out at insert and committed in another order, so a lower id can appear after
a higher one was sealed (docs/decisions/0013-audit-log.md)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from gezien.audit.models import AuditEntry

GENESIS = "0" * 64  # the `prev_hash` of the first entry
SEAL_BATCH = 2000
_PG_LOCK = 0x6175_6469_74  # "audit": the advisory lock of the one sealer on PostgreSQL

# The fields the hash covers, in the order `values_list` reads them (id first, hashes last).
FIELDS = (
    "id",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "source",
    "action",
    "object_type",
    "object_id",
    "customer_id",
    "details",
)


def canonical(row: Iterable[Any]) -> str:
    """The entry as JSON with sorted keys and no spaces, its time in UTC to the microsecond."""
    record = dict(zip(FIELDS, row, strict=True))
    at: datetime = record["at"]
    record["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, row: Iterable[Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(row)).encode()).hexdigest()


def _head() -> tuple[int, str]:
    last = AuditEntry.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    return (last[0] or 0, last[1]) if last else (0, GENESIS)


def audit_seal() -> int:
    """Seal every committed unsealed entry into the chain, oldest id first; how many were sealed. Cheap
    when there is nothing to seal (one indexed read, no write lock)."""
    waiting = AuditEntry.objects.filter(seq__isnull=True, hash="", prev_hash="")
    if not waiting.exists():
        return 0
    sealed = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK])
            # On SQLite the transaction is BEGIN IMMEDIATE: it already holds the one write lock.
            seq, prev = _head()
            rows = list(waiting.order_by("id").values_list(*FIELDS)[:SEAL_BATCH])
            if not rows:
                return sealed
            updates = []
            for row in rows:
                seq += 1
                digest = entry_hash(prev, (row[0], seq, *row[2:]))
                updates.append((seq, prev, digest, row[0]))
                prev = digest
            with connection.cursor() as cursor:  # one prepared UPDATE per entry (a CASE over 2,000 is slow)
                cursor.executemany(
                    "UPDATE audit_auditentry SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s", updates
                )
            sealed += len(rows)
        if len(rows) < SEAL_BATCH:
            return sealed


def chain_verify() -> tuple[bool, int | None]:
    """Walk the sealed entries in chain order, recomputing each hash: (True, None) when intact, else
    (False, id of the first entry at fault: the changed one, or the one after a removed or inserted one)."""
    stray = AuditEntry.objects.filter(seq__isnull=True).exclude(hash="", prev_hash="").order_by("id").first()
    expected_seq, prev = 1, GENESIS
    query = AuditEntry.objects.filter(seq__isnull=False).order_by("seq")
    for row in query.values_list(*FIELDS, "prev_hash", "hash").iterator(chunk_size=2000):
        fields, prev_hash, digest = row[: len(FIELDS)], row[-2], row[-1]
        if fields[1] != expected_seq or prev_hash != prev or entry_hash(prev, fields) != digest:
            return False, int(fields[0])
        expected_seq, prev = expected_seq + 1, digest
    if stray is not None:  # a hash on an entry that has no place in the chain: it was not sealed here
        return False, stray.pk
    return True, None
