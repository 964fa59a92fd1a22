"""A query on a list of ids compiled once gives what the ORM's own query gives, for any list."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gezien.contacts.models import Contact
from gezien.contacts.services import contact_open
from gezien.core.prepared import IdsQuery, ParamsQuery

pytestmark = pytest.mark.django_db


def _queryset(ids: list[int]):  # type: ignore[no-untyped-def]
    return Contact.objects.filter(pk__in=ids, channel="chat").values_list("pk", "opened_at", "channel")


def test_the_rows_are_the_orms_for_lists_of_every_length_with_dates_converted():
    chats = [contact_open(channel="chat", text=f"Vraag {n}").contact.pk for n in range(5)]
    mail = contact_open(channel="email", text="Een mail").contact.pk
    query = IdsQuery(_queryset)
    for ids in ([chats[0]], chats[:3], [*chats, mail], [chats[1], chats[1], 999_999], []):
        assert sorted(query.rows(ids)) == sorted(_queryset(ids)), ids
    (row,) = query.rows([chats[0]])
    assert isinstance(row[1], datetime) and row[1].tzinfo is not None
    assert query.column([mail, chats[2]]) == [chats[2]]


def test_after_the_first_call_of_a_size_only_the_statement_runs():
    ids = [contact_open(channel="chat", text=f"Vraag {n}").contact.pk for n in range(3)]
    query = IdsQuery(_queryset)
    query.rows(ids[:2])
    with CaptureQueriesContext(connection) as ran:
        assert len(query.rows(ids[1:])) == 2
    assert len(ran.captured_queries) == 1
    assert len(query._compiled) == 1  # two and two ids: one size


def test_objects_are_the_instances_the_queryset_gives():
    ids = [contact_open(channel="chat", text=f"Vraag {n}").contact.pk for n in range(3)]
    query = IdsQuery(lambda given: Contact.objects.filter(pk__in=given))
    found = query.objects(ids[:2])
    expected = list(Contact.objects.filter(pk__in=ids[:2]))
    assert found == expected
    assert [vars(c) | {"_state": None} for c in found] == [vars(c) | {"_state": None} for c in expected]
    assert query.objects([]) == []


def test_a_key_query_gives_the_orms_instances_for_any_text_key_compiled_once():
    from gezien.core.prepared import KeyQuery
    from gezien.phone.models import CallEvent

    at = datetime(2026, 12, 7, 10, 0, tzinfo=datetime.now().astimezone().tzinfo)
    CallEvent.objects.create(call_id="a'b; --", event="newCall", at=at, data={"from": "0612345678"})
    CallEvent.objects.create(call_id="a'b; --", event="hangup", at=at, data={"cause": "busy"})
    CallEvent.objects.create(call_id="other", event="newCall", at=at, data={})
    query = KeyQuery(lambda key: CallEvent.objects.filter(call_id=key))
    for key in ("a'b; --", "other", "nothing", ""):
        mine = sorted(query.objects(key), key=lambda e: e.pk)
        orms = sorted(CallEvent.objects.filter(call_id=key), key=lambda e: e.pk)
        assert [(e.pk, e.event, e.at, e.data) for e in mine] == [(e.pk, e.event, e.at, e.data) for e in orms]
    found = query.objects("a'b; --")
    assert isinstance(found[0].data, dict) and found[0].at == at  # JSON and dates as the ORM reads them
    with CaptureQueriesContext(connection) as ran:
        query.objects("other")
    assert len(ran.captured_queries) == 1 and len(query._compiled) == 1


def _opened_between(p):  # type: ignore[no-untyped-def]
    return (
        Contact.objects.filter(opened_at__gte=p["since"], opened_at__lt=p["until"], pk__gt=p["after"])
        .order_by("opened_at", "id")
        .values_list("pk", "opened_at")
    )


def test_a_query_with_moments_and_ids_gives_the_orms_rows_for_every_value_compiled_once():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    ids = [
        contact_open(channel="chat", text=f"Vraag {n}", at=now - timedelta(hours=n)).contact.pk
        for n in range(6)
    ]
    query = ParamsQuery(_opened_between)
    for since_h, until_h, after in ((10, 0, 0), (4, 1, 0), (10, 2, ids[3]), (1, 0, 0), (30, 20, 0)):
        values = {
            "since": now - timedelta(hours=since_h),
            "until": now - timedelta(hours=until_h),
            "after": after,
        }
        expected = list(_opened_between(values))
        assert query.rows(**values) == expected, values
    assert len(query.rows(since=now - timedelta(hours=10), until=now, after=0)) == 5  # `until` excluded
    (row,) = query.rows(since=now - timedelta(minutes=1), until=now + timedelta(minutes=1), after=0)
    assert row[0] == ids[0] and isinstance(row[1], datetime) and row[1].tzinfo is not None
    with CaptureQueriesContext(connection) as ran:
        query.rows(since=now - timedelta(hours=3), until=now, after=0)
    assert len(ran.captured_queries) == 1 and len(query._compiled) == 1


def test_db_values_are_the_orms_values_for_every_field_of_a_row():
    """The values of a prepared INSERT and UPDATE are what the ORM's own `get_db_prep_save` gives,
    for fields it passes through (text, numbers, keys, yes/no, None) and those it prepares (dates,
    JSON, bytes), and a value of an unexpected type is still prepared by its field."""
    from gezien.core.prepared import db_values
    from gezien.mail.models import InboundMail, Mailbox

    opened = contact_open(channel="email", identities=[("email", "klant@voorbeeld.nl")], text="Hallo")
    box = Mailbox.objects.create(name="db-values", address="db-values@voorbeeld.nl")
    inbound = InboundMail(
        mailbox=box, raw=b"Subject: x\n\nhoi", size=15, sha256="a" * 64, imap_uid=7,
        cc=[["Piet", "piet@voorbeeld.nl"]], received_at=datetime(2026, 1, 2, 3, 4, 5).astimezone(),
        contact=opened.contact, message=opened.messages[0], folded=True, text=None,
    )  # fmt: skip
    inbound.attempts = True  # not an int: prepared by its field, as the ORM does
    fields = [f for f in InboundMail._meta.concrete_fields if f is not InboundMail._meta.auto_field]
    for add in (True, False):
        orm = [f.get_db_prep_save(f.pre_save(inbound, add), connection) for f in fields]
        assert _comparable(db_values(fields, inbound, add=add)) == _comparable(orm)
    message = opened.messages[0]
    message_fields = [f for f in type(message)._meta.concrete_fields]
    assert db_values(message_fields, message, add=False) == [
        f.get_db_prep_save(f.pre_save(message, False), connection) for f in message_fields
    ]


def _comparable(values: list[object]) -> list[object]:
    """psycopg wraps bytes in a `Binary` that compares by identity: compare what it holds."""
    return [getattr(value, "obj", value) for value in values]
