"""A contact's thread is read in a fixed number of queries: the parts it has (signal corrections,
attachments, events) are read, the parts it lacks cost no query of their own, now or when read."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gezien.accounts.models import User
from gezien.contacts.attachments import attachment_store
from gezien.contacts.corrections import signal_correct
from gezien.contacts.models import Contact
from gezien.contacts.selectors import contact_with_thread
from gezien.contacts.services import contact_event_add, contact_open, message_add
from tests.attachment_data import PDF

pytestmark = pytest.mark.django_db


def _read(contact_id: int) -> tuple[Contact, list[Any], int]:
    with CaptureQueriesContext(connection) as ran:
        contact = contact_with_thread(contact_id)
        parts = [
            (
                m.text,
                [c.signal for c in m.signal_corrections.all()],
                [a.filename for a in m.attachments.all()],
            )
            for m in contact.messages.all()
        ]
        parts.append([e.kind for e in contact.events.all()])
    return contact, parts, len(ran.captured_queries)


def test_a_thread_without_corrections_attachments_or_events_reads_them_as_empty_in_three_queries() -> None:
    contact = contact_open(channel="chat", text="Waar blijft mijn pakket?").contact
    message_add(contact=contact, author="customer", text="Hallo?")
    _contact, parts, queries = _read(contact.pk)
    assert parts == [("Waar blijft mijn pakket?", [], []), ("Hallo?", [], []), []]
    assert queries == 3  # the look at which parts exist, the contact, its messages


def test_a_thread_with_every_part_reads_each_of_them(attachment_files: Any, agent: User) -> None:
    contact = contact_open(
        channel="email", identities=[("email", "an@example.nl")], text="Zie bijlage"
    ).contact
    first = contact.messages.get()
    second = message_add(contact=contact, author="customer", text="Nog iets")
    signal_correct(message=second, signal="anger", value=True, actor=agent)
    attachment_store(contact=contact, message=first, data=PDF, filename="offerte.pdf", uploaded_by=agent)
    contact_event_add(contact=contact, kind="reason", actor=agent, reason="factuur")
    loaded, parts, queries = _read(contact.pk)
    assert parts == [("Zie bijlage", [], ["offerte.pdf"]), ("Nog iets", ["anger"], []), ["reason"]]
    assert loaded.events.get().actor == agent
    assert queries <= 7  # the look, the contact, messages, corrections, attachments, events, their actors
