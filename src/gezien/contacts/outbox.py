"""The outbox of contact changes: what a transaction changed is written in it as one row, and handled
off the request, in batches.

Handling a batch (`outbox_handle`): claim the oldest rows for a while (`GEZIEN_OUTBOX_LEASE_SECONDS`),
analyse their new messages and store the signals, tell the listeners on new signals (protocols,
routing, ...) and on changed contacts (figures, matters, presence, ...) once each, then delete the
rows. A process that stops halfway leaves its rows behind; once their claim runs out the next drain
handles them again, so nothing is lost. Listeners therefore run at least once: each is idempotent (a
stale mark is an upsert, a protocol or a routing decision is made once per contact, a survey offered
once); only an effect outside the database (a survey mail sent just before the stop) can repeat.

Who drains (`docs/decisions/0009-outbox.md`):
- `gezien serve` on the embedded default (`GEZIEN_ANALYSIS_INLINE`): a thread in the server process,
  woken by every commit that wrote a row, and every second for rows written by other processes; after
  each drain it also runs SQLite's WAL checkpoint, so that no request's commit has to;
- `gezien worker` elsewhere (it polls every `WORKER_POLL_S`);
- any other process where the serving process does the work (`gezien demo-data`, a script, the tests):
  right after the commit, in the committing thread; `outbox_drain()` drains on demand.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from gezien.contacts.analysing import messages_analyse_new, new_signals_listeners
from gezien.contacts.models import Message, OutboxEntry
from gezien.core.sqlite import wal_checkpoint

logger = logging.getLogger(__name__)

ChangedListener = Callable[[list[int]], None]
_listeners: list[ChangedListener] = []

BATCH = 200  # rows per transaction: bounds how long one batch holds SQLite's write lock
SERVER_POLL_S = 1.0  # the server's thread looks for rows from other processes this often
WORKER_POLL_S = 0.25  # the worker hears of no commit: it looks this often
# A batch costs ~10 ms however small (a query or two per listener), a contact in it ~0.5 ms: under load
# the thread gathers what comes in for this long after its previous batch started, so that batches
# grow with the load instead of costing a batch per contact. Alone, a contact is handled at once.
GATHER_S = 0.1
# The WAL checkpoint after a drain, at most this often: under load a drain runs every GATHER_S, and each
# checkpoint copies the hot pages (the outbox's, the contacts') again. Once a second is what an idle
# server did already (the poll); the log holds a second of writes at most.
CHECKPOINT_S = 1.0
# The drain thread's share of the process's time while it handles a batch (`_Pacer`): after each step it
# rests three times as long as the step's CPU took, so that a batch of ~15 ms of Python is spread over
# ~60 ms, and the requests beside it keep three quarters of the GIL instead of half. It needs ~12 % at
# the highest rate one thread serves (~0.35 ms per contact beside ~2.5 ms per request).
PACE_SHARE = 0.25
PACE_MIN_S = 0.0002  # a step shorter than this rests with the next one
PACE_MAX_S = 0.02  # the longest rest after one step
# A drain round rests for at most this long in all: what pacing adds to "in place" (signals, protocols,
# routing within 1 s) stays bounded on a machine so busy that a batch's CPU takes several times longer.
PACE_BUDGET_S = 0.1
_INSERT = "INSERT INTO {table} ({contacts}, {messages}) VALUES (%s, %s)"

# `draining`: this thread is handling rows (a commit inside must not recurse); `again`: a listener wrote
# rows meanwhile, so the drain goes on.
_local = threading.local()


def outbox_listen(listener: ChangedListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def outbox_add(contact_ids: Iterable[int], messages: Iterable[Message] = ()) -> None:
    """One outbox row in the caller's transaction: these contacts changed, these messages are new."""
    ids = sorted({int(i) for i in contact_ids if i is not None})
    if not ids:
        return
    new = sorted({m.pk for m in messages if m.pk is not None})
    with connection.cursor() as cursor:  # plain SQL: on the hot path the ORM costs ten times as much
        cursor.execute(_insert_sql(), [_text(ids), _text(new)])
    transaction.on_commit(outbox_after_commit)


def _text(ids: Iterable[int]) -> str:
    return " ".join(map(str, ids))


def _ids(text: str) -> list[int]:
    return [int(part) for part in text.split()]


def outbox_waiting_contacts() -> list[int]:
    """The contacts that rows still waiting in the outbox name: what no listener has heard of yet."""
    texts = OutboxEntry.objects.values_list("contact_ids", flat=True)
    return sorted({i for text in texts for i in _ids(text)})


def _insert_sql() -> str:
    meta, quote = OutboxEntry._meta, connection.ops.quote_name
    return _INSERT.format(
        table=quote(meta.db_table),
        contacts=quote(meta.get_field("contact_ids").column),
        messages=quote(meta.get_field("message_ids").column),
    )


def outbox_after_commit() -> None:
    """A transaction wrote a row and committed: wake this process's drain thread, or (without one,
    where no worker drains) handle it now."""
    if getattr(_local, "draining", False):  # a listener's change: the drain handling it goes on
        _local.again = True
        return
    drainer = _drainer
    if drainer is not None and drainer.pid == os.getpid() and drainer.thread.is_alive():
        drainer.wake.set()
    elif settings.GEZIEN_ANALYSIS_INLINE:
        try:
            outbox_drain()
        except Exception:  # the change is committed; its rows stay for the next drain
            logger.exception("Handling the outbox after a commit failed; its rows stay for later.")


def outbox_drain(batch: int = BATCH, pacer: _Pacer | None = None) -> int:
    """Handle waiting rows, batch by batch, until none is left (rows that listeners write meanwhile
    included). Returns how many rows were handled. With a `pacer` (the server's drain thread) the
    drain rests between its steps; once a batch comes back full it is catching up on a backlog (rows a
    stopped process left), and goes on without resting."""
    done, _local.draining, _local.pacer = 0, True, pacer
    try:
        while True:
            _local.again = False
            handled = outbox_handle(batch)
            done += handled
            if handled >= batch:
                _local.pacer = None
            if handled < batch and not _local.again:
                break
    finally:
        _local.draining, _local.pacer = False, None
    return done


class _Pacer:
    """Spreads the drain thread's Python over time, so that requests keep most of the GIL meanwhile.

    CPython hands the GIL between two busy threads every switch interval, half and half: while the drain
    thread works through a batch (the analysis, every listener: ~15 ms of Python every 0.1 s at 400
    opens/s) the requests in flight run at half speed, and the eight queued behind them each wait that
    much longer; that burst is the tail of the hot path (docs/performance.md, "Open-contact tail").
    After each step of the batch (outside any transaction: SQLite's write lock is never held while
    resting) the thread sleeps in proportion to the CPU the step took, so that its share of the time
    stays at `share`, until it has rested `budget_s` in all (then it goes on without resting)."""

    def __init__(self, share: float = PACE_SHARE, budget_s: float = PACE_BUDGET_S) -> None:
        self.rest_per_cpu = (1 - share) / share
        self.budget_s = budget_s
        self.mark = time.thread_time()

    def rest(self) -> None:
        used = time.thread_time() - self.mark
        if used < PACE_MIN_S or self.budget_s <= 0:
            return
        sleep = min(PACE_MAX_S, used * self.rest_per_cpu, self.budget_s)
        self.budget_s -= sleep
        time.sleep(sleep)
        self.mark = time.thread_time()


def outbox_rest() -> None:
    """Between two steps of a batch: rest if this thread's drain is paced (never inside a transaction).
    A listener that handles its contacts one by one (routing, protocols) calls it between two."""
    pacer: _Pacer | None = getattr(_local, "pacer", None)
    if pacer is not None and not connection.in_atomic_block:
        pacer.rest()


def outbox_handle(size: int = BATCH) -> int:
    """Handle the oldest `size` rows nobody else holds; returns how many. The rows are claimed in one
    short transaction and deleted in another once every listener has heard of them. In between the
    listeners run as they would after any commit, each statement on its own: a batch never holds
    SQLite's write lock for longer than a statement, so requests do not queue behind it."""
    rows = _claim(size)
    if not rows:
        return 0
    outbox_rest()
    contacts = sorted({i for _pk, text, _m in rows for i in _ids(text)})
    analysed = messages_analyse_new(sorted({i for _pk, _c, text in rows for i in _ids(text)}))
    outbox_rest()
    _tell(contacts, analysed)
    _delete([pk for pk, _c, _m in rows])
    outbox_rest()
    return len(rows)


def _delete(pks: list[int]) -> None:
    """Delete handled rows: plain SQL (the ORM's `delete()` compiled it anew after every batch)."""
    meta, quote = OutboxEntry._meta, connection.ops.quote_name
    marks = ", ".join(["%s"] * len(pks))
    sql = f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, pks)


def _claim(size: int) -> list[tuple[int, str, str]]:
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutboxEntry.objects.select_for_update(skip_locked=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("pk")
            .values_list("pk", "contact_ids", "message_ids")[:size]
        )
        if rows:
            until = now + timedelta(seconds=settings.GEZIEN_OUTBOX_LEASE_SECONDS)
            OutboxEntry.objects.filter(pk__in=[pk for pk, _c, _m in rows]).update(claimed_until=until)
    return rows


def _tell(contact_ids: list[int], analysed: list[int]) -> None:
    """Every listener once, with the contacts it listens for: those with new signals, then those that
    changed. A failing listener is logged and undoes nothing of the others."""
    calls: dict[ChangedListener, set[int]] = {}
    for listener in new_signals_listeners():
        calls.setdefault(listener, set()).update(analysed)
    for listener in _listeners:
        calls.setdefault(listener, set()).update(contact_ids)
    for listener, ids in calls.items():
        if not ids:
            continue
        try:
            # Inside a transaction (a test's), a savepoint keeps a failing listener's writes out of it.
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
                listener(sorted(ids))
        except Exception:
            logger.exception("A listener on changed contacts failed for %s.", sorted(ids))
        outbox_rest()


class _Drainer:
    """A daemon thread that drains the outbox when woken and every `poll_s`."""

    def __init__(self, poll_s: float) -> None:
        self.pid = os.getpid()
        self.poll_s = poll_s
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="gezien-outbox", daemon=True)
        self.started = 0.0  # when the previous batch started (monotonic)
        self.checkpointed = 0.0  # when the previous WAL checkpoint ran (monotonic)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.wake.wait(self.poll_s)
            self.wake.clear()
            gather = self.started + GATHER_S - time.monotonic()
            if gather > 0:
                self.stop.wait(gather)
            self.started = time.monotonic()
            try:
                outbox_drain(pacer=_Pacer())
                self._checkpoint()
            except Exception:  # the database is away or locked: the rows stay, try again later
                logger.exception("Draining the outbox failed; its rows stay and are tried again.")
                self.stop.wait(self.poll_s)
            finally:
                close_old_connections()

    def _checkpoint(self) -> None:
        """Here, rather than in the request whose commit fills the log; at most every CHECKPOINT_S (the
        poll, every poll_s, runs the one after the last write)."""
        now = time.monotonic()
        if now - self.checkpointed >= CHECKPOINT_S:
            self.checkpointed = now
            wal_checkpoint(connection)


_drainer: _Drainer | None = None
_start_lock = threading.Lock()


def outbox_thread_start(poll_s: float = SERVER_POLL_S) -> None:
    """Drain the outbox on a thread of this process (once per process; a forked child starts its own).
    It drains what earlier processes left behind at once."""
    global _drainer
    with _start_lock:
        if _drainer is not None and _drainer.pid == os.getpid() and _drainer.thread.is_alive():
            return
        _drainer = _Drainer(poll_s)
        _drainer.thread.start()
        _drainer.wake.set()


def outbox_thread_stop(timeout_s: float = 5.0) -> None:
    """Stop this process's drain thread (after the batch it is handling)."""
    global _drainer
    with _start_lock:
        drainer, _drainer = _drainer, None
    if drainer is not None:
        drainer.stop.set()
        drainer.wake.set()
        drainer.thread.join(timeout_s)


def outbox_waiting() -> int:
    """How many rows wait to be handled."""
    return OutboxEntry.objects.count()
