"""Channels that send. A channel whose replies must leave the desk (e-mail, later chat) registers a
sender in its `AppConfig.ready()`; an agent's reply on a contact of that channel is handed to it inside
the reply's own transaction, so the reply and its `Delivery` (queued) commit or roll back together and
the sender's worker picks it up after the commit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from gezien.contacts.models import Attachment, Message


@dataclass(frozen=True)
class ReplyExtras:
    """What an agent may add to a reply besides its text."""

    cc: tuple[str, ...] = ()
    attachments: Sequence[Attachment] = field(default_factory=tuple)


Sender = Callable[[Message, ReplyExtras], None]
_SENDERS: dict[str, Sender] = {}


def sender_register(channel: str, sender: Sender) -> None:
    """Let `sender` send the agent replies on `channel` (one sender per channel)."""
    _SENDERS[channel] = sender


def sender_for(channel: str) -> Sender | None:
    return _SENDERS.get(channel)
