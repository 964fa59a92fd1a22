"""Channels that send. A channel whose replies must leave the desk (e-mail, later chat) registers a
sender in its `AppConfig.ready()`; an agent's reply on a contact of that channel is handed to it inside
the reply's own transaction, so the reply and its `Delivery` (queued) commit or roll back together and
the sender's worker picks it up after the commit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from gezien.accounts.models import User
from gezien.contacts.models import Attachment, Contact, Message


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


@dataclass(frozen=True)
class ChannelLive:
    """What a live channel (chat) does when the desk tells it an agent types or has read."""

    on_typing: Callable[[Contact, User], None] | None = None
    on_read: Callable[[Contact, int], None] | None = None


_LIVE: dict[str, ChannelLive] = {}


def channel_live_register(
    channel: str,
    *,
    on_typing: Callable[[Contact, User], None] | None = None,
    on_read: Callable[[Contact, int], None] | None = None,
) -> None:
    """Let a live channel hear that an agent types on, or has read up to a message of, its contacts."""
    _LIVE[channel] = ChannelLive(on_typing=on_typing, on_read=on_read)


def agent_typing_tell(contact: Contact, agent: User) -> None:
    """The desk: `agent` is typing a reply on `contact` (a chat customer sees "... typt")."""
    hooks = _LIVE.get(contact.channel)
    if hooks is not None and hooks.on_typing is not None:
        hooks.on_typing(contact, agent)


def agent_read_tell(contact: Contact, up_to_message_id: int) -> None:
    """The desk: an agent has read `contact`'s messages up to this id (a chat customer sees "gelezen")."""
    hooks = _LIVE.get(contact.channel)
    if hooks is not None and hooks.on_read is not None:
        hooks.on_read(contact, up_to_message_id)
