"""Helpers for assist tests: open contacts with real (rules-only, inline) analysis and read their assist."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.assist.selectors import Assist, contact_assist, contact_for_assist
from gezien.contacts.models import Contact, ContactReason
from gezien.contacts.services import contact_open, message_add


@pytest.fixture(autouse=True)
def _inline_analysis(settings: Any) -> None:
    """Analyse right after the commit on every database (with DATABASE_URL a worker would do it)."""
    settings.GEZIEN_ANALYSIS_INLINE = True


@pytest.fixture
def say(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Add a message as the desk does, with its analysis run on commit (inline, as on SQLite)."""

    def add(contact: Contact, text: str, author: str = "customer", agent: Any = None) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return message_add(contact=contact, author=author, text=text, agent=agent)

    return add


@pytest.fixture
def open_contact(customer: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., Contact]:
    """Open a contact for the `customer` fixture (or unidentified with `known=False`) with customer texts."""

    def make(
        *texts: str,
        channel: str = "chat",
        known: bool = True,
        at: datetime | None = None,
        reason: ContactReason | None = None,
        status: str | None = None,
    ) -> Contact:
        identities = [("phone", "06-12345678")] if known else [("phone", "06-87654321")]
        with django_capture_on_commit_callbacks(execute=True):
            first = texts[0] if texts else ""
            contact = contact_open(channel=channel, identities=identities, text=first, at=at).contact
            for text in texts[1:]:
                message_add(contact=contact, author="customer", text=text)
        if reason is not None or status is not None:
            Contact.objects.filter(pk=contact.pk).update(
                reason=reason or contact.reason,
                status=status or contact.status,
                closed_at=(at or timezone.now()) + timedelta(minutes=5) if status == "closed" else None,
            )
        return Contact.objects.get(pk=contact.pk)

    return make


@pytest.fixture
def assist_of(agent: Any) -> Callable[[Contact], Assist]:
    def read(contact: Contact) -> Assist:
        found, card = contact_for_assist(contact.pk)
        return contact_assist(found, card, agent)

    return read
