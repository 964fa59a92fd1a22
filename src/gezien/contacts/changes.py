"""Who wants to know when contacts changed: apps that build on contacts (insights keeps its figures
current this way) without contacts knowing them.

Services call `contacts_changed(ids, analyse=messages)` inside their transaction: that writes one
outbox row in the same transaction, so the change and the news of it commit (or roll back) together.
The rows are handled off the request, in batches (`contacts.outbox`): new messages are analysed, then
every listener hears about the batch's contacts once. A listener never hears of a rolled-back change;
a failing one is logged and undoes nothing else.

Beside them, what happened to a contact as an outside system would name it (`happened`: a contact
opened, a message added, a contact assigned or closed) is told inside the service's transaction, to the
listeners registered with `on_happening` (webhooks records its events this way, so an event commits or
rolls back with its change and is never lost after the commit). Such a listener writes rows and nothing
else: it runs on the hot path, and an error in it undoes the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gezien.contacts.models import Contact, Message
from gezien.contacts.outbox import ChangedListener, outbox_add, outbox_listen

if TYPE_CHECKING:
    from gezien.accounts.models import User

# What `happened` tells: the names an outside system knows them by.
CONTACT_CREATED = "contact.created"
MESSAGE_CREATED = "message.created"
CONTACT_ASSIGNED = "contact.assigned"
CONTACT_CLOSED = "contact.closed"
HAPPENINGS = (CONTACT_CREATED, MESSAGE_CREATED, CONTACT_ASSIGNED, CONTACT_CLOSED)


@dataclass(frozen=True)
class Happening:
    """One thing that happened to a contact: `message` for message.created (and the first message of
    contact.created), `actor` who did it (None: the customer or the system)."""

    kind: str
    contact: Contact
    message: Message | None = None
    actor: User | None = None


HappeningListener = Callable[[Happening], None]
_happening_listeners: list[HappeningListener] = []


def on_contacts_changed(listener: ChangedListener) -> None:
    """Have `listener(contact_ids)` called after a transaction that changed these contacts commits
    (off the request, in a batch with other contacts; at least once, in the batch's transaction)."""
    outbox_listen(listener)


def contacts_changed(contact_ids: Iterable[int], *, analyse: Iterable[Message] = ()) -> None:
    """Note, in the caller's transaction, that these contacts changed and these new messages want
    analysing. Handled once the transaction has committed; never when it rolls back."""
    outbox_add(contact_ids, analyse)


def on_happening(listener: HappeningListener) -> None:
    """Have `listener(happening)` called inside the transaction of every service that opens, adds a
    message to, assigns or closes a contact."""
    if listener not in _happening_listeners:
        _happening_listeners.append(listener)


def happened(
    kind: str, contact: Contact, *, message: Message | None = None, actor: User | None = None
) -> None:
    """Tell the listeners, in the caller's transaction, that `kind` (one of `HAPPENINGS`) happened."""
    if not _happening_listeners:
        return
    happening = Happening(kind, contact, message, actor)
    for listener in _happening_listeners:
        listener(happening)
