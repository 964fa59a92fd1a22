"""The desk is told what changes to contacts, after the commit: a new contact in the queue, a message
on the contact (with its id, for catching up), an assignment to the agent it was given to, a close."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.contacts import handling, services
from gezien.contacts.models import Author, Contact, MessageKind, Status
from gezien.core.live import LiveEvent, live_bus

pytestmark = pytest.mark.django_db(transaction=True)  # events leave after the commit


def told(topics: list[str], action: Callable[[], Any]) -> dict[str, list[LiveEvent]]:
    """What each topic's subscribers are told while `action` runs (in a thread, as a request would)."""

    async def scenario() -> dict[str, list[LiveEvent]]:
        subscriptions = {topic: live_bus().subscribe([topic]) for topic in topics}
        try:
            await asyncio.get_running_loop().run_in_executor(None, action)
            await asyncio.sleep(0.05)  # the events were handed to this loop from the thread
            found: dict[str, list[LiveEvent]] = {}
            for topic, subscription in subscriptions.items():
                found[topic] = []
                while not subscription.queue.empty():
                    event = subscription.queue.get_nowait()
                    assert event is not None
                    found[topic].append(event)
            return found
        finally:
            for subscription in subscriptions.values():
                live_bus().unsubscribe(subscription)

    return asyncio.run(scenario())


def _open() -> Contact:
    return services.contact_open(channel="chat", text="Waar blijft mijn pakket?", subject="Pakket").contact


def test_a_new_contact_and_its_messages_reach_the_queue_and_the_contact(
    make_user: Callable[..., User],
) -> None:
    agent = make_user("sanne", "agent")
    opened: list[Contact] = []
    events = told(["desk"], lambda: opened.append(_open()))
    contact = opened[0]
    assert [(e.event, dict(e.data)) for e in events["desk"]] == [
        ("queue", {"contact_id": contact.pk, "change": "new"})
    ]

    def talk() -> None:
        services.message_add(contact=contact, author=Author.CUSTOMER, text="Hallo?")
        services.message_add(
            contact=contact, author=Author.AGENT, agent=agent, text="Notitie", kind=MessageKind.NOTE
        )

    events = told([f"contact.{contact.pk}", "desk"], talk)
    ids = list(contact.messages.order_by("pk").values_list("pk", flat=True))[-2:]
    assert [(e.event, dict(e.data), e.id) for e in events[f"contact.{contact.pk}"]] == [
        ("message", {"id": ids[0]}, ids[0]),
        ("message", {"id": ids[1]}, ids[1]),  # notes too: the desk shows them
    ]
    assert [dict(e.data)["change"] for e in events["desk"]] == ["message", "message"]


def test_an_assignment_tells_the_agent_and_the_desk_and_a_close_leaves_the_queue(
    make_user: Callable[..., User],
) -> None:
    agent = make_user("sanne", "agent", first_name="Sanne", last_name="Smit")
    lead = make_user("petra", "teamlead")
    contact = _open()
    topics = [f"agent.{agent.pk}", f"agent.{lead.pk}", f"contact.{contact.pk}", "desk"]
    events = told(topics, lambda: handling.contact_assign(contact=contact, agent=agent, actor=lead))
    assert [(e.event, dict(e.data)) for e in events[f"agent.{agent.pk}"]] == [
        ("assigned", {"contact_id": contact.pk, "channel": "chat", "title": "Pakket"})
    ]
    assert events[f"agent.{lead.pk}"] == []
    assert [dict(e.data) for e in events[f"contact.{contact.pk}"]] == [
        {"status": "open", "agent": {"id": agent.pk, "name": "Sanne Smit"}}
    ]
    assert [dict(e.data)["change"] for e in events["desk"]] == ["assigned"]

    events = told(
        topics, lambda: handling.contact_set_status(contact=contact, status=Status.CLOSED, actor=agent)
    )
    assert [dict(e.data)["status"] for e in events[f"contact.{contact.pk}"]] == ["closed"]
    assert [dict(e.data)["change"] for e in events["desk"]] == ["closed"]
    assert events[f"agent.{agent.pk}"] == []

    # Taking one yourself tells the desk, not yourself.
    other = _open()
    events = told(topics, lambda: handling.contact_take(contact=other, actor=agent))
    assert events[f"agent.{agent.pk}"] == []
    assert [dict(e.data) for e in events["desk"]] == [{"contact_id": other.pk, "change": "assigned"}]


def test_nothing_is_told_of_a_change_that_is_refused(make_user: Callable[..., User]) -> None:
    contact = _open()
    handling.contact_set_status(contact=contact, status=Status.CLOSED)

    def refused() -> None:
        with pytest.raises(Exception, match="gesloten"):
            handling.contact_assign(contact=contact, agent=make_user("sanne", "agent"))

    events = told([f"contact.{contact.pk}", "desk"], refused)
    assert events == {f"contact.{contact.pk}": [], "desk": []}
