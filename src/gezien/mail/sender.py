"""Sending off the request where no worker runs (the embedded SQLite default, `GEZIEN_ANALYSIS_INLINE`).

`gezien serve` starts a sender thread in the served process (`mail_sender_start`, from
`gezien.config.serving`). After a reply's commit, `outgoing.delivery_dispatch` hands the delivery's id to
it (`mail_sender_submit`) and the request returns at once: the agent never waits for an SMTP server, slow
or away. The thread sends one delivery at a time with `delivery.delivery_send` (which claims it, so a
periodic job running beside it never sends it twice).

Nothing is lost when the process stops with ids still waiting in the thread's queue: each delivery was
committed as queued before its id was handed over, and the periodic job `mail_deliveries` sends what is
due. A process that forks after starting the thread (a pre-forking server) starts its own in the child
on the first hand-over.
"""

from __future__ import annotations

import logging
import os
import queue
import threading

from django.db import close_old_connections

from gezien.mail.delivery import delivery_send

logger = logging.getLogger(__name__)

_WAKE_S = 0.5  # how often an idle thread looks at its stop event


class _Sender:
    def __init__(self) -> None:
        self.pid = os.getpid()
        self.queue: queue.SimpleQueue[int] = queue.SimpleQueue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="gezien-mail-sender", daemon=True)

    def alive(self) -> bool:
        return self.pid == os.getpid() and self.thread.is_alive() and not self.stop.is_set()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                delivery_id = self.queue.get(timeout=_WAKE_S)
            except queue.Empty:
                continue
            try:
                delivery_send(delivery_id)
            except Exception:  # the database is away: the delivery stays queued for the periodic job
                logger.exception(
                    "Sending delivery %s failed; it stays queued for the periodic job.", delivery_id
                )
            finally:
                close_old_connections()


_sender: _Sender | None = None
_wanted = False  # this process (or the one it forked from) serves requests: send on a thread
_lock = threading.Lock()


def mail_sender_start() -> None:
    """Send dispatched deliveries on a thread of this process from now on (once per process)."""
    global _sender, _wanted
    with _lock:
        _wanted = True
        if _sender is None or not _sender.alive():
            _sender = _Sender()
            _sender.thread.start()


def mail_sender_stop(timeout_s: float = 5.0) -> None:
    """Stop this process's sender thread after the mail it is sending; ids still waiting stay queued
    in the database for the periodic job."""
    global _sender, _wanted
    with _lock:
        sender, _sender, _wanted = _sender, None, False
    if sender is not None:
        sender.stop.set()
        sender.thread.join(timeout_s)


def mail_sender_submit(delivery_id: int) -> bool:
    """Hand a committed, queued delivery to this process's sender thread; False where none runs here."""
    if not _wanted:
        return False
    sender = _sender
    if sender is None or not sender.alive():  # a forked child of the process that started it
        mail_sender_start()
        sender = _sender
    assert sender is not None
    sender.queue.put(delivery_id)
    return True
