"""Who wants to know when contacts changed: apps that build on contacts (insights keeps its figures
current this way) without contacts knowing them.

Services call `contacts_changed(ids, analyse=messages)` inside their transaction: that writes one
outbox row in the same transaction, so the change and the news of it commit (or roll back) together.
The rows are handled off the request, in batches (`contacts.outbox`): new messages are analysed, then
every listener hears about the batch's contacts once. A listener never hears of a rolled-back change;
a failing one is logged and undoes nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable

from gezien.contacts.models import Message
from gezien.contacts.outbox import ChangedListener, outbox_add, outbox_listen


def on_contacts_changed(listener: ChangedListener) -> None:
    """Have `listener(contact_ids)` called after a transaction that changed these contacts commits
    (off the request, in a batch with other contacts; at least once, in the batch's transaction)."""
    outbox_listen(listener)


def contacts_changed(contact_ids: Iterable[int], *, analyse: Iterable[Message] = ()) -> None:
    """Note, in the caller's transaction, that these contacts changed and these new messages want
    analysing. Handled once the transaction has committed; never when it rolls back."""
    outbox_add(contact_ids, analyse)
