"""The pages of the queue (/desk/, and its table polled by htmx) and the incoming call (/desk/call/)."""

from __future__ import annotations

from typing import TypedDict

from django.forms import Form

from gezien.contacts import selectors
from gezien.contacts.models import Channel
from gezien.contacts.selectors import QueueEntry
from gezien.web.forms import IncomingCallForm
from gezien.web.pages.shapes import Choices


class QueueTable(TypedDict):
    entries: list[QueueEntry]
    channel: str  # the channel shown ("" for every channel)
    channels: Choices
    counts: dict[str, int]


class QueuePage(QueueTable):
    call_form: Form


class IncomingCallPage(TypedDict):
    form: Form


def queue_channel(asked: str | None) -> str:
    """The channel filter asked for, or "" (every channel) for an unknown one."""
    return asked if asked in Channel.values else ""


def queue_table(channel: str) -> QueueTable:
    """The waiting contacts (of one channel, or all) and the counts per channel."""
    return {
        "entries": selectors.queue(channel=channel or None),
        "channel": channel,
        "channels": Channel.choices,
        "counts": selectors.queue_counts(),
    }


def queue_page(channel: str) -> QueuePage:
    """The queue with the form to log an incoming call."""
    return {**queue_table(channel), "call_form": IncomingCallForm()}


def incoming_call_page(form: Form) -> IncomingCallPage:
    return {"form": form}
