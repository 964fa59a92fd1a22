"""Shared helpers for the honest-resolution tests: a customer reachable on every channel, the reason
family "Levering", and a working-day calendar of weekdays only (Monday to Friday, Dutch holidays)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase

from gezien.contacts.handling import contact_set_reason, contact_set_status
from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.services import TranscriptTurn, contact_open
from gezien.core.calendar import default_calendar
from gezien.customers.models import Customer
from gezien.customers.services import customer_create

AMS = ZoneInfo("Europe/Amsterdam")


def at(y: int, mo: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=AMS)


@pytest.fixture
def weekdays(settings: Any) -> Iterator[None]:
    settings.GEZIEN_OPENING_HOURS = "ma-vr 08:00-18:00"
    settings.GEZIEN_HOLIDAYS_EXTRA = "bevrijdingsdag"
    settings.GEZIEN_RESOLUTION_WORKING_DAYS = 5
    default_calendar.cache_clear()
    yield
    default_calendar.cache_clear()


@pytest.fixture
def family(db: None) -> dict[str, ContactReason]:
    levering = ContactReason.objects.create(code="levering", name="Levering")
    return {
        "levering": levering,
        "vertraagd": ContactReason.objects.create(
            code="levering_vertraagd", name="Levering vertraagd", parent=levering
        ),
        "factuur": ContactReason.objects.create(code="factuur", name="Factuur"),
    }


@pytest.fixture
def annie(db: None) -> Customer:
    return customer_create(
        first_name="Annie",
        last_name="Jansen",
        identities=[("phone", "06-12345678"), ("email", "annie@example.nl"), ("chat", "annie-chat")],
    )


IDENTITY = {
    "phone": ("phone", "06-12345678"),
    "email": ("email", "annie@example.nl"),
    "chat": ("chat", "annie-chat"),
}


def committed() -> Any:
    """Run what would run after the commit, as each desk action commits on its own."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def contact(
    channel: str,
    opened: datetime,
    reason: ContactReason | None,
    *,
    closed: datetime | None = None,
    identity: tuple[str, str] | None = None,
    text: str = "Waar blijft mijn pakket?",
    seconds: float | None = None,
) -> Contact:
    """A contact of Annie (or of `identity`), with its reason, closed at `closed`."""
    ident = identity or IDENTITY[channel]
    turns = []
    if seconds is not None:
        turns = [
            TranscriptTurn("customer", text, 0.0, seconds / 2),
            TranscriptTurn("agent", "Ik kijk het voor u na.", seconds / 2, seconds),
        ]
    with committed():
        opened_contact = contact_open(
            channel=channel,
            identities=[ident],
            text="" if turns else text,
            transcript=turns,
            at=opened,
        ).contact
    if reason is not None:
        with committed():
            contact_set_reason(contact=opened_contact, reason=reason)
    if closed is not None:
        with committed():
            contact_set_status(contact=opened_contact, status="closed", at=closed)
    opened_contact.refresh_from_db()
    return opened_contact
