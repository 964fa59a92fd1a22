"""The audit log's core: one INSERT per entry in the caller's transaction, the append-only table, and the
hash chain that shows a changed, removed or inserted entry (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from gezien.audit.chain import GENESIS, audit_seal, entry_hash
from gezien.audit.log import audit_from_request, audit_record
from gezien.audit.models import AuditCheckpoint, AuditEntry
from gezien.audit.selectors import audit_entries, audit_verify

pytestmark = pytest.mark.django_db


def _record(n: int, **kwargs: Any) -> None:
    for i in range(n):
        audit_record(
            action=kwargs.get("action", "contact.view"),
            actor_id=kwargs.get("actor_id", 7),
            actor_name="Sanne de Vries",
            source="127.0.0.1",
            object_type="contact",
            object_id=100 + i,
            customer_id=kwargs.get("customer_id", 3),
            details={"messages": i, "channel": "chat", "flag": True, "none": None},
        )


@contextmanager
def _unguarded() -> Iterator[None]:
    """What someone with the database's owner rights could do: lift the append-only triggers (inside
    the test's transaction, so they are back after it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    yield


def _raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_an_entry_is_one_insert_and_waits_unsealed() -> None:
    with CaptureQueriesContext(connection) as queries:
        _record(1)
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(writes) == 1 and writes[0].startswith("INSERT INTO")
    entry = AuditEntry.objects.get()
    assert (entry.seq, entry.hash, entry.prev_hash) == (None, "", "")
    assert (entry.actor_id, entry.action, entry.object_id, entry.customer_id) == (7, "contact.view", "100", 3)


def test_an_entry_of_a_rolled_back_change_is_gone_with_it() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        _record(1)
        raise RuntimeError("the change fails")
    assert not AuditEntry.objects.exists()


def test_details_hold_flat_values_only() -> None:
    with pytest.raises(TypeError):
        audit_record(
            action="contact.view",
            actor_id=None,
            actor_name="",
            source="cli",
            object_type="contact",
            object_id=1,
            details={"text": ["a", "list"]},  # type: ignore[dict-item]
        )
    with pytest.raises(ValueError, match="object"):
        audit_record(action="view", actor_id=None, actor_name="", source="cli", object_type="x", object_id=1)
    assert not AuditEntry.objects.exists()


def test_from_request_takes_the_person_and_the_address(make_user: Any, settings: Any) -> None:
    person = make_user("admin1", "admin", first_name="Ada", last_name="Beheer")
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.4")
    request.user = person
    audit_from_request(request, action="customer.view", object_type="customer", object_id=5, customer_id=5)
    settings.GEZIEN_TRUSTED_PROXIES = 1  # behind one proxy: the address it saw, not what the client wrote
    audit_from_request(request, action="customer.view", object_type="customer", object_id=5, customer_id=5)
    first, second = AuditEntry.objects.order_by("id")
    assert (first.actor_id, first.actor_name, first.source) == (person.pk, "Ada Beheer", "10.0.0.9")
    assert second.source == "192.0.2.4"


def test_the_database_refuses_update_and_delete() -> None:
    _record(2)
    first = AuditEntry.objects.order_by("id").first()
    assert first is not None
    for sql in (
        "UPDATE audit_auditentry SET action = 'contact.update' WHERE id = %s",
        "UPDATE audit_auditentry SET details = '{}' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
        # Sealing by hand with a made-up hash and a changed actor: only the seal columns may change.
        "UPDATE audit_auditentry SET seq = 1, prev_hash = 'x', hash = 'y', actor_id = 1 WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw(sql, [first.pk])
    audit_seal()
    for sql in (
        "UPDATE audit_auditentry SET hash = 'f00' WHERE id = %s",  # a sealed entry is sealed once
        "UPDATE audit_auditentry SET seq = NULL, prev_hash = '', hash = '' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw(sql, [first.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 2
    assert audit_verify() == (True, None)


def test_the_chain_links_each_entry_to_the_one_before() -> None:
    _record(3)
    assert audit_seal() == 3
    assert audit_seal() == 0
    _record(2)
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.seq for e in entries[:3]] == [1, 2, 3] and entries[3].seq is None
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:3]] == [e.hash for e in entries[:2]]
    assert audit_verify() == (True, None)  # a read seals what waits first
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_a_changed_entry_breaks_the_chain_there() -> None:
    _record(5)
    audit_seal()
    third = AuditEntry.objects.get(seq=3)
    with _unguarded():
        _raw("UPDATE audit_auditentry SET actor_name = 'Iemand anders' WHERE id = %s", [third.pk])
    assert audit_verify() == (False, third.pk)


def test_a_removed_entry_breaks_the_chain_after_it() -> None:
    _record(5)
    audit_seal()
    third, fourth = AuditEntry.objects.get(seq=3), AuditEntry.objects.get(seq=4)
    with _unguarded():
        _raw("DELETE FROM audit_auditentry WHERE id = %s", [third.pk])
    assert audit_verify() == (False, fourth.pk)
    # Closing the gap in the numbering does not hide it: the next entry's link names the removed one.
    with _unguarded():
        for seq in (4, 5):
            _raw("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [seq - 1, seq])
    assert audit_verify() == (False, fourth.pk)


def test_an_entry_inserted_out_of_order_breaks_the_chain() -> None:
    _record(4)
    audit_seal()
    second, third = AuditEntry.objects.get(seq=2), AuditEntry.objects.get(seq=3)
    with _unguarded():
        for seq in (4, 3):  # make room at place 3 and put a forged entry there, linked to place 2
            _raw("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [seq + 1, seq])
        forged = AuditEntry.objects.create(action="contact.view", object_type="contact", object_id="1")
        row = (forged.pk, 3, forged.at, None, "", "", "contact.view", "contact", "1", None, {})
        _raw(
            "UPDATE audit_auditentry SET seq = 3, prev_hash = %s, hash = %s WHERE id = %s",
            [second.hash, entry_hash(second.hash, row), forged.pk],
        )
    assert audit_verify() == (False, third.pk)


def test_an_entry_with_a_hash_but_no_place_in_the_chain_is_found() -> None:
    _record(2)
    audit_seal()
    with _unguarded():
        forged = AuditEntry.objects.create(action="contact.view", object_type="contact", object_id="1")
        _raw("UPDATE audit_auditentry SET prev_hash = 'a', hash = 'b' WHERE id = %s", [forged.pk])
    assert audit_verify() == (False, forged.pk)


def test_entries_are_filtered_and_newest_first() -> None:
    _record(2, customer_id=1, actor_id=7)
    _record(1, customer_id=2, actor_id=8, action="customer.view")
    assert [e.customer_id for e in audit_entries()] == [2, 1, 1]
    assert audit_entries(customer_id=1).count() == 2
    assert audit_entries(actor_id=8).get().action == "customer.view"
    assert audit_entries(action="customer.").count() == 1
    assert audit_entries(action="contact.view").count() == 2
    newest = audit_entries().first()
    assert newest is not None and newest.seq == 3  # read entries are in the chain
    assert audit_entries(since=newest.at).count() >= 1 and audit_entries(until=newest.at).count() <= 2


def test_emptying_the_tables_keeps_the_guard() -> None:
    """`flush` (and the tests between transactional tests) empties the log; the triggers stay."""
    from django.core.management.color import no_style

    _record(2)
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), ["audit_auditentry"]))
    assert not AuditEntry.objects.exists()
    _record(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM audit_auditentry")


def test_the_periodic_tick_seals_what_waits() -> None:
    from gezien.core.tick import tick

    _record(3)
    assert tick()["audit_seal"] == (True, None)
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()


def test_a_look_starts_at_the_last_checkpoint_and_the_daily_walk_from_the_first_entry() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from gezien.audit.chain import audit_check

    _record(5)
    assert audit_verify() == (True, None)  # leaves a checkpoint at the newest entry
    mark = AuditCheckpoint.objects.get()
    assert mark.seq == 5 and mark.hash == AuditEntry.objects.get(seq=5).hash
    _record(2)
    assert audit_verify() == (True, None)
    assert list(AuditCheckpoint.objects.values_list("seq", flat=True)) == [7, 5]
    third = AuditEntry.objects.get(seq=3)
    with _unguarded():
        _raw("UPDATE audit_auditentry SET actor_name = 'Iemand anders' WHERE id = %s", [third.pk])
    assert audit_verify(full=True) == (False, third.pk)
    # The tick walks from the first entry once a day: the first tick of a day finds it.
    assert audit_check(timezone.now() + timedelta(days=2)) == (False, third.pk)


def test_a_cut_off_end_of_the_log_is_found() -> None:
    _record(5)
    assert audit_verify() == (True, None)
    third = AuditEntry.objects.get(seq=3)
    with _unguarded():
        _raw("DELETE FROM audit_auditentry WHERE seq > 3")
    assert audit_verify() == (False, third.pk)  # the log ends before the place it once reached
    assert audit_verify(full=True) == (False, third.pk)
