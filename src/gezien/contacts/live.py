"""What the desk is told the moment a contact changes (`gezien.core.live`, sent after the commit):

- `contact.{id}` (the agents looking at the contact): `message` {id} for every new message, notes and
  system lines included (event id = the message's id: a reconnecting desk catches up from the database),
  and `status` {status, agent: {id, name}|null} when its status or its agent changes;
- `desk` (every signed-in agent): `queue` {contact_id, change: "new"|"assigned"|"closed"|"message"};
- `agent.{user_id}`: `assigned` {contact_id, channel, title} when a contact is given to them.

Cheap by design: no query of its own on the hot path (opening a contact publishes one queue event)."""

from __future__ import annotations

from django.db import transaction

from gezien.accounts.models import User
from gezien.contacts.models import Contact, Message, Status
from gezien.core.live import live_publish

DESK = "desk"
QUEUE_STATUSES = (Status.OPEN, Status.WAITING_US)


def contact_topic(contact_id: int) -> str:
    return f"contact.{contact_id}"


def agent_topic(user_id: int) -> str:
    return f"agent.{user_id}"


def queue_told(contact_id: int, change: str) -> None:
    live_publish(DESK, "queue", {"contact_id": contact_id, "change": change})


def message_told(message: Message) -> None:
    live_publish(contact_topic(message.contact_id), "message", {"id": message.pk}, event_id=message.pk)
    queue_told(message.contact_id, "message")


def status_told(contact: Contact, previous: str | None = None) -> None:
    """The contact's status (and agent) as it is now; the queue hears of a close or a return to it."""
    status, agent_id = contact.status, contact.assigned_agent_id
    agent = contact.assigned_agent if Contact.assigned_agent.is_cached(contact) else None

    def publish() -> None:  # after the commit: the agent's name costs no query inside the transaction
        nonlocal agent
        if agent is None and agent_id is not None:
            agent = User.objects.filter(pk=agent_id).first()
        named = {"id": agent.pk, "name": agent.display_name} if agent is not None else None
        live_publish(contact_topic(contact.pk), "status", {"status": status, "agent": named})

    transaction.on_commit(publish)
    if contact.status == Status.CLOSED:
        queue_told(contact.pk, "closed")
    elif contact.status in QUEUE_STATUSES and previous is not None and previous not in QUEUE_STATUSES:
        queue_told(contact.pk, "new")


def assigned_told(contact: Contact, agent: User, *, tell_agent: bool = True) -> None:
    """`agent` has the contact now (`tell_agent`: someone else gave it to them, so they hear of it)."""
    if tell_agent:
        title = contact.subject or contact.summary
        live_publish(
            agent_topic(agent.pk),
            "assigned",
            {"contact_id": contact.pk, "channel": contact.channel, "title": title},
        )
    queue_told(contact.pk, "assigned")
    status_told(contact)
