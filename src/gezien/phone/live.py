"""What the desk hears of a call (`gezien.core.live`, after the commit):

- `agent.{user_id}` of each available phone agent: `call` {call_id, state: "ringing"} when an inbound
  call starts ringing (the desk fetches the pop-up, `desk:call_popup`);
- `agent.{user_id}` of the agent who answered: `call` {call_id, state: "answered", contact_id} (their
  desk opens the contact);
- `desk` (everyone): `call` {call_id, state} on every change (pop-ups of a call that stopped ringing go,
  the live board counts again)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from gezien.contacts.live import DESK, agent_topic
from gezien.contacts.models import Channel
from gezien.core.live import live_publish
from gezien.phone.models import Call, CallState
from gezien.routing.selectors import available


def phone_agents() -> list[int]:
    """The people a ringing call pops up for: those routing would give a call now."""
    return [c.user_id for c in available(skills=(), experience=0, channel=Channel.PHONE, now=timezone.now())]


def call_told(call: Call, *, ringing_for: bool) -> None:
    call_id, state, contact_id, agent_id = call.pk, call.state, call.contact_id, call.agent_id

    def publish() -> None:
        data: dict[str, object] = {"call_id": call_id, "state": state}
        if ringing_for:
            for user_id in phone_agents():
                live_publish(agent_topic(user_id), "call", data)
        if state == CallState.ANSWERED and agent_id is not None and contact_id is not None:
            live_publish(agent_topic(agent_id), "call", {**data, "contact_id": contact_id})
        live_publish(DESK, "call", data)

    transaction.on_commit(publish)
