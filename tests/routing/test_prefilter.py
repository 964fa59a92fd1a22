"""Routing builds the full picture of a contact only for those that could need a skill: the one-query
check before it must let through every contact a rule would fire for, and stop the ordinary ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gezien.accounts.models import User
from gezien.assist.models import ContactProtocol, Incident
from gezien.contacts.models import Contact, ContactReason, Status
from gezien.contacts.selectors import contact_with_signals, contact_with_thread
from gezien.contacts.services import contact_set_reason, contact_set_status, contact_take
from gezien.customers.models import Customer
from gezien.routing.selectors import maybe_needing
from gezien.routing.services import contact_needs_now, contacts_route

Opener = Callable[..., Contact]
PHONE = [("phone", "0612345678")]


def could(contact: Contact) -> bool:
    return maybe_needing([contact.pk], timezone.now()) == [contact.pk]


def needs(contact: Contact) -> bool:
    now = timezone.now()
    full = contact_needs_now(contact_with_thread(contact.pk), now)
    # Routing loads less of the thread (`contact_with_signals`): the needs it finds are the same.
    assert contact_needs_now(contact_with_signals(contact.pk), now) == full
    return bool(full)


def test_an_ordinary_contact_costs_routing_one_query(open_contact: Opener, customer: Customer) -> None:
    contact = open_contact("Wat kost een extra simkaart?", identities=PHONE)
    assert not could(contact) and not needs(contact)
    with CaptureQueriesContext(connection) as queries:
        contacts_route([contact.pk])
    assert len(queries.captured_queries) == 1


def test_the_words_of_the_customer_let_it_through(open_contact: Opener) -> None:
    for text in (
        "Mijn moeder ligt in het ziekenhuis.",
        "Mijn man is overleden.",
        "Jullie zijn een stelletje klootzakken",
        "Dit is belachelijk, ik ben woedend!",
    ):
        contact = open_contact(text)
        assert could(contact) and needs(contact), text


def test_a_protocol_lets_it_through(open_contact: Opener, agent: User) -> None:
    contact = open_contact("Ik wil graag iets regelen.")
    assert not could(contact)
    ContactProtocol.objects.create(
        contact=contact, protocol="illness", started_by=agent, started_at=timezone.now()
    )
    assert could(contact) and needs(contact)


def test_an_incident_in_an_earlier_contact_lets_it_through(
    open_contact: Opener, customer: Customer, agent: User
) -> None:
    earlier = open_contact("Hallo", identities=PHONE)
    contact = open_contact("Ik wil graag iets regelen.", identities=PHONE)
    assert not could(contact)
    Incident.objects.create(contact=earlier, agent=agent, source="reported")
    assert could(contact) and needs(contact)


def test_a_third_contact_with_a_reason_lets_it_through(
    open_contact: Opener, customer: Customer, reason: ContactReason
) -> None:
    for days_ago in (5, 2):
        earlier = open_contact(
            "Waar blijft mijn pakket?", identities=PHONE, at=timezone.now() - timedelta(days=days_ago)
        )
        contact_set_reason(contact=earlier, reason=reason)
    contact = open_contact("Nog een vraag over mijn pakket.", identities=PHONE)
    assert not could(contact)  # no matter yet: no reason, no repeat in the words
    contact_set_reason(contact=contact, reason=reason)
    assert could(contact) and needs(contact)


def test_too_few_or_too_old_earlier_contacts_stop_it(
    open_contact: Opener, customer: Customer, reason: ContactReason, settings
) -> None:  # type: ignore[no-untyped-def]
    old = open_contact("Waar blijft mijn pakket?", identities=PHONE, at=timezone.now() - timedelta(days=40))
    contact_set_reason(contact=old, reason=reason)
    recent = open_contact("Waar blijft mijn pakket?", identities=PHONE)
    contact_set_reason(contact=recent, reason=reason)
    contact = open_contact("Al de derde keer dat ik bel over mijn pakket!", identities=PHONE)
    assert not could(contact)
    settings.GEZIEN_REPEAT_WINDOW_DAYS = 60
    assert could(contact)


def test_held_or_closed_contacts_are_not_routed(open_contact: Opener, agent: User) -> None:
    held = open_contact("Mijn man is overleden.")
    contact_take(contact=held, actor=agent)
    closed = open_contact("Mijn man is overleden.")
    contact_set_status(contact=closed, status=Status.CLOSED)
    assert maybe_needing([held.pk, closed.pk], timezone.now()) == []
    assert maybe_needing([], timezone.now()) == []
