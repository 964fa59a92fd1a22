"""The retention period: contacts closed longer ago than GEZIEN_RETENTION_DAYS are anonymised by the
tick, once, in batches; newer and open ones are left alone; off by default."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.audit.models import AuditEntry
from gezien.contacts.models import Contact, Message
from gezien.contacts.services import contact_open
from gezien.core.tick import tick
from gezien.customers.models import Customer
from gezien.privacy.models import AnonymisedContact
from gezien.privacy.retention import retention_tick

pytestmark = pytest.mark.django_db


def _contact(text: str, *, closed_days_ago: int | None) -> Contact:
    opened_at = timezone.now() - timedelta(days=(closed_days_ago or 0) + 1)
    contact = contact_open(
        channel="email", identities=[("email", "a.jansen@ziggo.nl")], text=text, at=opened_at
    ).contact
    if closed_days_ago is not None:
        Contact.objects.filter(pk=contact.pk).update(
            status="closed", closed_at=timezone.now() - timedelta(days=closed_days_ago), waiting_since=None
        )
    return contact


def test_old_closed_contacts_are_anonymised_once(customer: Customer, settings: Any) -> None:
    settings.GEZIEN_RETENTION_DAYS = 730
    old = _contact("Oude klacht van Annie over de wasmachine", closed_days_ago=800)
    recent = _contact("Nieuwe vraag over de levering", closed_days_ago=10)
    still_open = _contact("Open vraag van lang geleden", closed_days_ago=None)
    Contact.objects.filter(pk=still_open.pk).update(opened_at=timezone.now() - timedelta(days=900))

    assert tick()["privacy_retention"] == 1  # registered on the tick

    assert Message.objects.get(contact=old).text == "[verwijderd]"
    assert Contact.objects.get(pk=old.pk).summary == ""
    assert Contact.objects.get(pk=old.pk).customer_id == customer.pk  # the figures still count it
    assert Message.objects.get(contact=recent).text == "Nieuwe vraag over de levering"
    assert Message.objects.get(contact=still_open).text == "Open vraag van lang geleden"
    assert list(AnonymisedContact.objects.values_list("contact_id", flat=True)) == [old.pk]
    assert retention_tick() == 0  # done once
    (entry,) = AuditEntry.objects.filter(action="customer.anonymise")
    assert (entry.source, entry.customer_id, entry.details["contacts"], entry.details["retention_days"]) == (
        "tick",
        customer.pk,
        1,
        730,
    )
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen"  # the customer stays


def test_off_by_default(customer: Customer, settings: Any) -> None:
    assert settings.GEZIEN_RETENTION_DAYS == 0
    old = _contact("Oude klacht", closed_days_ago=5000)
    assert retention_tick() == 0
    assert Message.objects.get(contact=old).text == "Oude klacht"


def test_many_contacts_go_in_batches(
    customer: Customer, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gezien.privacy import retention

    settings.GEZIEN_RETENTION_DAYS = 30
    for index in range(7):
        _contact(f"Klacht {index}", closed_days_ago=40 + index)
    monkeypatch.setattr(retention, "BATCH", 2)
    monkeypatch.setattr(retention, "BATCHES_PER_TICK", 2)
    assert retention_tick() == 4
    assert retention_tick() == 3
    assert set(Message.objects.values_list("text", flat=True)) == {"[verwijderd]"}
