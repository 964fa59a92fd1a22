"""Contacts routed at the same moment cannot overfill one agent: the candidates' profiles are locked
before their open contacts are counted. Real threads, real commits (transaction=True)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.models import Contact
from gezien.contacts.services import contact_open
from gezien.routing.models import RoutingDecision, RoutingProfile
from gezien.routing.services import contact_route
from tests.routing.conftest import BEREAVEMENT

pytestmark = pytest.mark.django_db(transaction=True)


def test_contacts_routed_at_once_respect_one_agents_capacity(
    inline: None, skilled: Callable[..., User], settings: Any
) -> None:
    settings.GEZIEN_ROUTING_CAPACITY = 2
    naomi = skilled("naomi", away=True)
    waiting = [contact_open(channel="chat", text=BEREAVEMENT).contact.pk for _ in range(6)]
    assert RoutingDecision.objects.filter(outcome="flagged").count() == 6  # nobody there yet
    RoutingProfile.objects.filter(user=naomi).update(last_seen_at=timezone.now())

    start = threading.Barrier(len(waiting))
    failures: list[BaseException] = []

    def route(contact_id: int) -> None:
        try:
            start.wait()
            for _attempt in range(500):
                try:
                    contact_route(contact=contact_id)
                    return
                except OperationalError as exc:
                    # SQLite runs one write transaction at a time; its in-memory test database answers
                    # a second writer "table is locked" at once instead of waiting as the file does.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
            raise AssertionError("still locked")
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=route, args=(pk,)) for pk in waiting]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    assert Contact.objects.filter(assigned_agent=naomi).count() == 2
    assert RoutingDecision.objects.filter(outcome="assigned", agent=naomi).count() == 2
    assert RoutingDecision.objects.filter(outcome="flagged").count() == 4
