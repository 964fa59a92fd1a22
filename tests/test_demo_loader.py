"""The demo organisation, loaded into the real database through the loader `gezien demo-data` uses."""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from gezien.contacts.models import Contact, Message
from gezien.contacts.selectors import queue
from gezien.customers.models import Customer
from gezien.demo.loader import DEMO_LOGINS, LoadReport, load_demo
from tests.conftest import ApiClient


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[LoadReport]:
    """Loaded once for the module (a few seconds); each test still runs in its own rolled-back transaction."""
    with django_db_blocker.unblock():
        report = load_demo(password="demo-wachtwoord")
    yield report
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _in_transaction(db: None) -> None:
    """Every test here sees the demo and rolls back what it writes."""


def test_demo_has_the_four_logins_with_their_roles(demo: LoadReport) -> None:
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login)
        assert user.check_password("demo-wachtwoord")
        assert (
            user.groups.get().name
            == {"agent": "agent", "teamlead": "teamlead", "manager": "manager", "admin": "admin"}[login]
        )


def test_demo_fills_every_channel_and_the_queue(demo: LoadReport) -> None:
    assert 250 <= Customer.objects.count() <= 400
    assert 1500 <= Contact.objects.count() <= 2500
    assert set(Contact.objects.values_list("channel", flat=True)) == {"phone", "chat", "email", "webform"}
    waiting = Counter(entry.contact.channel for entry in queue())
    assert set(waiting) == {"phone", "chat", "email", "webform"}
    assert Message.objects.filter(kind="transcript").exists()
    assert Contact.objects.filter(recognition="unidentified").exists()


def test_every_demo_message_but_the_system_ones_has_its_signals(demo: LoadReport) -> None:
    from gezien.contacts.models import MessageSignals

    assert demo.counts["geanalyseerd"] == Message.objects.exclude(author="system").count() > 0
    roles = dict(MessageSignals.objects.values_list("message__author", "role").distinct())
    assert roles == {"customer": "customer", "agent": "agent"}
    assert MessageSignals.objects.exclude(top_emotion="").exists()


def test_loading_twice_changes_nothing(demo: LoadReport) -> None:
    before = (
        Customer.objects.count(),
        Contact.objects.count(),
        Message.objects.count(),
        User.objects.count(),
    )
    again = load_demo(password="demo-wachtwoord")
    assert not again.created
    assert (
        Customer.objects.count(),
        Contact.objects.count(),
        Message.objects.count(),
        User.objects.count(),
    ) == before
    assert "agent" in again.describe()


def test_the_api_recognises_a_demo_customer_by_phone(demo: LoadReport) -> None:
    from gezien.accounts.tokens import token_create

    identity = Customer.objects.order_by("pk").first().identities.get(kind="phone")
    client = ApiClient(token_create(user=User.objects.get(username="agent"))[1])
    body = client.post(
        "/api/contacts",
        {"channel": "phone", "identity": {"kind": "phone", "value": identity.display}, "text": "Hallo"},
    ).json_body
    assert body["recognition"] == "recognised"
    assert body["customer"]["id"] == identity.customer_id
