"""The pages of the queue (/desk/, and its table polled by htmx) and the incoming call (/desk/call/)."""

from __future__ import annotations

from typing import TypedDict

from django.forms import Form

from gezien.accounts.models import User
from gezien.contacts import selectors
from gezien.contacts.models import Channel
from gezien.contacts.selectors import QueueEntry
from gezien.phone.live import phone_agents
from gezien.phone.models import Call
from gezien.phone.selectors import CallPopup, call_popup, ringing_calls
from gezien.planning.live import LiveScope, waiting_counts
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
    popup: CallPopup | None  # the ringing call the agent takes ("Aannemen" in its pop-up)


def queue_channel(asked: str | None) -> str:
    """The channel filter asked for, or "" (every channel) for an unknown one."""
    return asked if asked in Channel.values else ""


def queue_table(channel: str) -> QueueTable:
    """The contacts in the queue (of one channel, or all) and per channel how many wait with nobody on
    them: the live board's count (a call whose caller hung up long ago is abandoned, not waiting)."""
    return {
        "entries": selectors.queue(channel=channel or None),
        "channel": channel,
        "channels": Channel.choices,
        "counts": waiting_counts(LiveScope(None)),  # as the live board counts them (issue 20)
    }


def queue_page(channel: str) -> QueuePage:
    """The queue with the form to log an incoming call."""
    return {**queue_table(channel), "call_form": IncomingCallForm()}


def incoming_call_page(form: Form, call: Call | None = None) -> IncomingCallPage:
    return {"form": form, "popup": call_popup(call) if call is not None else None}


def ringing_popups(agent: User) -> list[CallPopup]:
    """The pop-ups of the inbound calls ringing now, when `agent` is one they ring for."""
    calls = ringing_calls()
    if not calls or agent.pk not in phone_agents():
        return []
    return [call_popup(call) for call in calls]


def call_popup_part(call: Call) -> CallPopup:
    """The pop-up of a ringing call (the desk's live panel fetches it)."""
    return call_popup(call)
