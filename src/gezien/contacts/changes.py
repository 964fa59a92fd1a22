"""Who wants to know when contacts changed: apps that build on contacts (insights keeps its figures
current this way) without contacts knowing them.

Services call `contacts_changed(ids)` inside their transaction; the listeners hear about each contact
once, after the commit, and never when it rolls back. A failing listener is logged and undoes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)

ChangedListener = Callable[[list[int]], None]
_listeners: list[ChangedListener] = []


def on_contacts_changed(listener: ChangedListener) -> None:
    """Have `listener(contact_ids)` called after a transaction that changed these contacts commits."""
    if listener not in _listeners:
        _listeners.append(listener)


def contacts_changed(contact_ids: Iterable[int]) -> None:
    ids = sorted({int(i) for i in contact_ids if i is not None})
    if ids and _listeners:
        transaction.on_commit(lambda: _tell(ids))


def _tell(contact_ids: list[int]) -> None:
    for listener in list(_listeners):
        try:
            listener(contact_ids)
        except Exception:
            logger.exception("A listener on changed contacts failed for %s.", contact_ids)
