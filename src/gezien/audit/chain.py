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
import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from gezien.audit.models import AuditCheckpoint, AuditEntry

logger = logging.getLogger(__name__)

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


def chain_verify(*, full: bool = False) -> tuple[bool, int | None]:
    """Walk the sealed entries in chain order, recomputing each hash: (True, None) when intact, else
    (False, id of the first entry at fault: the changed one, or the one after a removed or inserted one;
    for a cut-off end, the last entry left). Starts at the newest checkpoint unless `full`, after
    checking that its entry is still there unchanged; an intact walk that got further leaves a new one."""
    stray = AuditEntry.objects.filter(seq__isnull=True).exclude(hash="", prev_hash="").order_by("id").first()
    start, prev = 1, GENESIS
    marks = AuditCheckpoint.objects.order_by("-seq")
    mark = None if full else marks.first()
    if mark is not None:
        kept = AuditEntry.objects.filter(seq=mark.seq).values_list("id", "hash").first()
        if kept is None or kept[1] != mark.hash:
            return chain_verify(full=True)  # where it breaks, from the start
        start, prev = mark.seq + 1, mark.hash
    ok, bad, last = _walk(start, prev)
    if not ok:
        return False, bad
    if full:
        for seq, digest in marks.values_list("seq", "hash"):
            if last is None or seq > last[0] or not AuditEntry.objects.filter(seq=seq, hash=digest).exists():
                return False, _last_id()  # the log ends before a place it once reached: cut off
    if stray is not None:  # a hash on an entry that has no place in the chain: it was not sealed here
        return False, stray.pk
    if last is not None and (full or mark is None or last[0] > mark.seq):
        AuditCheckpoint.objects.update_or_create(seq=last[0], defaults={"hash": last[1], "full": full})
        logger.info("audit chain intact up to entry %s, hash %s", last[0], last[1])
    return True, None


FULL_EVERY = timedelta(days=1)


def audit_check(now: datetime) -> tuple[bool, int | None]:
    """The tick's look at the chain: seal what waits, then walk from the newest checkpoint, and from the
    first entry once a day (what changed before a checkpoint shows there). A broken chain is logged as
    an error; the desk's audit page shows where."""
    audit_seal()
    full = not AuditCheckpoint.objects.filter(full=True, at__gte=now - FULL_EVERY).exists()
    ok, bad = chain_verify(full=full)
    if not ok:
        logger.error("The audit log's hash chain is broken at entry %s.", bad)
    return ok, bad


def _walk(start: int, prev: str) -> tuple[bool, int | None, tuple[int, str] | None]:
    """(intact, first entry at fault, (seq, hash) of the last entry walked) from place `start` on."""
    expected_seq, last = start, None
    query = AuditEntry.objects.filter(seq__gte=start).order_by("seq")
    for row in query.values_list(*FIELDS, "prev_hash", "hash").iterator(chunk_size=2000):
        fields, prev_hash, digest = row[: len(FIELDS)], row[-2], row[-1]
        if fields[1] != expected_seq or prev_hash != prev or entry_hash(prev, fields) != digest:
            return False, int(fields[0]), last
        expected_seq, prev, last = expected_seq + 1, digest, (int(fields[1]), digest)
    return True, None, last


def _last_id() -> int | None:
    return AuditEntry.objects.filter(seq__isnull=False).order_by("-seq").values_list("id", flat=True).first()
