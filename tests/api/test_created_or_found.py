"""201 or 200 is the service's answer, not a look before it: the services that create at most once return
`(obj, created)`, and where two deliveries race the one whose row the database refused says "found"."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from gezien.assist import services as assist_services
from gezien.contacts import services as contact_services
from gezien.contacts.models import Contact, Message
from gezien.customers.models import Customer
from tests.conftest import ApiClient


@pytest.fixture
def contact(customer: Customer) -> Contact:
    return contact_services.contact_open(
        channel="chat", identities=[("phone", "06-12345678")], text="Waar blijft mijn pakket?"
    ).contact


def test_a_hint_action_is_created_once_and_then_found(contact: Contact, agent: User) -> None:
    first, created = assist_services.hint_act(contact=contact, hint="repeat", action="dismissed", user=agent)
    again, created_again = assist_services.hint_act(
        contact=contact, hint="repeat", action="dismissed", user=agent, note="al gezien"
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.note == "al gezien"


def test_a_protocol_is_started_once_and_then_found(contact: Contact, agent: User) -> None:
    first, created = assist_services.protocol_start(contact=contact, protocol="illness", actor=agent)
    again, created_again = assist_services.protocol_start(contact=contact, protocol="illness", actor=agent)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk


def test_a_message_delivered_twice_is_stored_once(contact: Contact) -> None:
    kwargs: dict[str, Any] = {"contact": contact, "author": "customer", "text": "Nog", "external_id": "m-1"}
    first, created = contact_services.message_deliver(**kwargs)
    again, created_again = contact_services.message_deliver(**kwargs)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Message.objects.filter(external_id="m-1").count() == 1


def test_a_delivery_that_loses_the_race_answers_found_not_created(
    contact: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other delivery's row is not visible yet when this one looks, so only the unique constraint
    can tell: the service reports what the database decided."""
    first, _created = contact_services.message_deliver(
        contact=contact, author="customer", text="Nog iets", external_id="m-2"
    )
    looks = iter([None, first])  # not yet there; then, after the refused insert, there
    monkeypatch.setattr(contact_services, "_delivered_before", lambda *_args: next(looks))
    again, created = contact_services.message_deliver(
        contact=contact, author="customer", text="Nog iets", external_id="m-2"
    )
    assert created is False
    assert again.pk == first.pk
    assert Message.objects.filter(external_id="m-2").count() == 1


def test_the_api_answers_201_then_200_for_the_same_delivery(api: ApiClient, contact: Contact) -> None:
    body = {"text": "Is er al nieuws?", "external_id": "<abc@mail>"}
    first = api.post(f"/api/contacts/{contact.pk}/messages", body)
    again = api.post(f"/api/contacts/{contact.pk}/messages", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json_body["id"] == first.json_body["id"]
    protocol = api.post(f"/api/contacts/{contact.pk}/protocols", {"protocol": "bereavement"})
    protocol_again = api.post(f"/api/contacts/{contact.pk}/protocols", {"protocol": "bereavement"})
    assert (protocol.status_code, protocol_again.status_code) == (201, 200)
