"""The outbox of contact changes: what a transaction changed is written in it as one row, and handled
off the request, in batches.

Handling a batch (`outbox_handle`) is one transaction: analyse the batch's new messages and store their
signals, tell the listeners on new signals (protocols, routing, ...) and on changed contacts (figures,
matters, presence, ...) once each, and delete the rows. A process that stops halfway leaves the rows
(and none of the batch's effects) behind for the next drain; nothing is lost and nothing is half done.
Effects outside the database (a survey mail) may happen twice then: listeners are idempotent in the
database and run at least once.

Who drains (`docs/decisions/0009-outbox.md`):
- `gezien serve` on the embedded default (`GEZIEN_ANALYSIS_INLINE`): a thread in the server process,
  woken by every commit that wrote a row, and every second for rows written by other processes;
- `gezien worker` elsewhere (it polls every `WORKER_POLL_S`);
- any other process where the serving process does the work (`gezien demo-data`, a script, the tests):
  right after the commit, in the committing thread; `outbox_drain()` drains on demand.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from gezien.contacts.analysing import messages_analyse_new, new_signals_listeners
from gezien.contacts.models import Message, OutboxEntry

logger = logging.getLogger(__name__)

ChangedListener = Callable[[list[int]], None]
_listeners: list[ChangedListener] = []

BATCH = 200  # rows per transaction: bounds how long one batch holds SQLite's write lock
SERVER_POLL_S = 1.0  # the server's thread looks for rows from other processes this often
WORKER_POLL_S = 0.25  # the worker hears of no commit: it looks this often
_INSERT = "INSERT INTO {table} ({contacts}, {messages}) VALUES (%s, %s)"

_local = threading.local()  # `draining`: this thread is handling rows (a commit inside must not recurse)


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
    drainer = _drainer
    if drainer is not None and drainer.pid == os.getpid() and drainer.thread.is_alive():
        drainer.wake.set()
    elif settings.GEZIEN_ANALYSIS_INLINE and not getattr(_local, "draining", False):
        try:
            outbox_drain()
        except Exception:  # the change is committed; its rows stay for the next drain
            logger.exception("Handling the outbox after a commit failed; its rows stay for later.")


def outbox_drain(batch: int = BATCH) -> int:
    """Handle waiting rows, batch by batch, until none is left (rows that listeners write meanwhile
    included). Returns how many rows were handled."""
    done, _local.draining = 0, True
    try:
        while handled := outbox_handle(batch):
            done += handled
    finally:
        _local.draining = False
    return done


def outbox_handle(size: int = BATCH) -> int:
    """Handle the oldest `size` rows nobody else is handling, in one transaction; returns how many."""
    with transaction.atomic():
        rows = list(
            OutboxEntry.objects.select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", "contact_ids", "message_ids")[:size]
        )
        if not rows:
            return 0
        contacts = sorted({i for _pk, text, _m in rows for i in _ids(text)})
        analysed = messages_analyse_new(sorted({i for _pk, _c, text in rows for i in _ids(text)}))
        _tell(contacts, analysed)
        OutboxEntry.objects.filter(pk__in=[pk for pk, _c, _m in rows]).delete()
    return len(rows)


def _tell(contact_ids: list[int], analysed: list[int]) -> None:
    """Every listener once, with the contacts it listens for: those with new signals, then those that
    changed. Each in a savepoint: a failing listener is logged and undoes nothing of the others."""
    calls: dict[ChangedListener, set[int]] = {}
    for listener in new_signals_listeners():
        calls.setdefault(listener, set()).update(analysed)
    for listener in _listeners:
        calls.setdefault(listener, set()).update(contact_ids)
    for listener, ids in calls.items():
        if not ids:
            continue
        try:
            with transaction.atomic():
                listener(sorted(ids))
        except Exception:
            logger.exception("A listener on changed contacts failed for %s.", sorted(ids))


class _Drainer:
    """A daemon thread that drains the outbox when woken and every `poll_s`."""

    def __init__(self, poll_s: float) -> None:
        self.pid = os.getpid()
        self.poll_s = poll_s
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="gezien-outbox", daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.wake.wait(self.poll_s)
            self.wake.clear()
            try:
                outbox_drain()
            except Exception:  # the database is away or locked: the rows stay, try again later
                logger.exception("Draining the outbox failed; its rows stay and are tried again.")
                self.stop.wait(self.poll_s)
            finally:
                close_old_connections()


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
