"""End to end: a contact opened by a channel is analysed after its commit, and routing decides right
then (off the request, by the outbox: the server's thread on SQLite, the worker otherwise; here, with
nothing else running, right after the commit). Real commits (transaction=True)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.contacts.models import Contact, ContactEvent
from gezien.contacts.outbox import outbox_drain
from gezien.contacts.services import contact_open
from gezien.routing.models import RoutingDecision
from gezien.routing.reasons import needs_why
from gezien.routing.services import ROUTED_EVENT
from tests.routing.conftest import BEREAVEMENT

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_bereavement_text_lands_with_the_skilled_agent(inline: None, skilled: Callable[..., User]) -> None:
    skilled("mark", ["techniek"])
    naomi = skilled("naomi", ["gevoelige_gesprekken"])
    opened = contact_open(channel="email", identities=[("email", "weduwe@example.nl")], text=BEREAVEMENT)
    contact = Contact.objects.get(pk=opened.contact.pk)
    assert contact.assigned_agent == naomi
    assert needs_why(RoutingDecision.objects.get(contact=contact).needs) == "overlijden: 'overleden'"
    mine = contact.events.filter(kind__in=[ContactEvent.Kind.ASSIGNED, ROUTED_EVENT])
    assert list(mine.values_list("kind", flat=True)) == [ContactEvent.Kind.ASSIGNED, ROUTED_EVENT]


def test_with_a_worker_routing_follows_the_outbox_drain(settings: Any, skilled: Callable[..., User]) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = False
    naomi = skilled("naomi", ["gevoelige_gesprekken"])
    contact = contact_open(channel="chat", text=BEREAVEMENT).contact
    assert Contact.objects.get(pk=contact.pk).assigned_agent is None  # no signals yet: nothing to decide on
    outbox_drain()  # what `gezien worker` does
    assert Contact.objects.get(pk=contact.pk).assigned_agent == naomi


def test_a_failing_routing_never_costs_the_message_or_its_signals(
    inline: None, skilled: Callable[..., User], settings: Any, caplog: Any
) -> None:
    skilled("naomi", ["gevoelige_gesprekken"])
    del settings.GEZIEN_ROUTING_CAPACITY  # a broken configuration: routing raises
    contact = contact_open(channel="chat", text=BEREAVEMENT).contact
    assert contact.messages.get().signals.life_events == "bereavement"
    assert Contact.objects.get(pk=contact.pk).assigned_agent is None
    assert "Routing contact" in caplog.text
