"""The mail intake's database statements (`mail.intake`), each compiled once and reused for every mail:
the lookups a mail makes (its first copy, our own Message-IDs, blocked senders, earlier mails to thread
by), the INSERT of a raw mail, the UPDATE of a handled one, and the contact it continues read under lock.
The ORM builds and compiles a query anew every time, which cost more Python than running these did
(bench/bench_mail_intake.py, docs/performance.md); what they return is what the ORM's own query would.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, connection, transaction

from gezien.contacts.models import Contact, Message
from gezien.core.prepared import db_values
from gezien.mail.models import BlockedSender, InboundMail, Mailbox, OutgoingMail

_PROCESSED_FIELDS = ["header_id", "from_address", "from_name", "subject", "cc", "outcome", "reason", "error",
                     "attempts", "contact", "message", "duplicate_of", "processed_at", "text",
                     "folded"]  # fmt: skip

# The lookups every mail makes, as plain SQL: the ORM builds and compiles each query anew every time, which
# cost more Python than the rest of these lookups together (bench/bench_mail_intake.py, BENCH_MAIL_PROFILE).
_SQL: dict[str, str] = {}
_FIELDS: dict[str, list[Any]] = {}  # the fields of the prepared INSERT and UPDATE, in their order


def _sql(name: str) -> str:
    if "earlier" not in _SQL:
        meta, quote = InboundMail._meta, connection.ops.quote_name
        c = {f.name: quote(f.column) for f in meta.concrete_fields}
        table = quote(meta.db_table)
        copies = f"SELECT {c['id']}, {c['mailbox']}, {c['outcome']}, {c['contact']} FROM {table} WHERE"  # noqa: S608
        _SQL["first_by_id"] = f"{copies} {c['header_id']} = %s"
        _SQL["first_by_sha"] = f"{copies} {c['sha256']} = %s AND {c['header_id']} = ''"
        _SQL["earlier"] = (
            f"SELECT {c['id']}, {c['subject']}, {c['contact']} FROM {table} "  # noqa: S608 -- names only
            f"WHERE {c['from_address']} = %s AND {c['received_at']} >= %s "
            f"AND {c['outcome']} IN (%s, %s) AND {c['contact']} IS NOT NULL "
            f"ORDER BY {c['received_at']} DESC, {c['id']} DESC LIMIT 201"
        )
        out, msg = OutgoingMail._meta, Message._meta
        o = {f.name: quote(f.column) for f in out.concrete_fields}
        _SQL["ours_contacts"] = (
            f"SELECT o.{o['header_id']}, m.{quote(msg.get_field('contact').column)} "  # noqa: S608
            f"FROM {quote(out.db_table)} o JOIN {quote(msg.db_table)} m ON m.{quote(str(msg.pk.column))} = "
            f"o.{o['message']} WHERE o.{o['header_id']} IN ({{marks}})"
        )
        _SQL["inbound_contacts"] = (
            f"SELECT {c['header_id']}, {c['contact']} FROM {table} "  # noqa: S608 -- names only
            f"WHERE {c['header_id']} IN ({{marks}}) AND {c['contact']} IS NOT NULL"
        )
        box = Mailbox._meta
        _SQL["mailbox_addresses"] = (
            f"SELECT {quote(box.get_field('address').column)} FROM {quote(box.db_table)}"  # noqa: S608
        )
        for key, model, field in (
            ("ours", OutgoingMail, "header_id"),
            ("blocked", BlockedSender, "address"),
        ):
            column = quote(str(model._meta.get_field(field).column))  # type: ignore[union-attr]
            _SQL[key] = f"SELECT 1 FROM {quote(model._meta.db_table)} WHERE {column} = %s LIMIT 1"  # noqa: S608
    return _SQL[name]


def insert(inbound: InboundMail) -> bool:
    """`inbound.save()` of a new row as one prepared INSERT (the ORM compiles it anew for every mail);
    False, and nothing written, when the mailbox stored this IMAP UID under this UIDVALIDITY before. The
    INSERT says so itself (ON CONFLICT DO NOTHING: the only unique key besides the id is that one), so a
    batch's mails need no savepoint each."""
    if not connection.features.can_return_columns_from_insert:
        try:
            with transaction.atomic():
                inbound.save(force_insert=True)
        except IntegrityError:
            return False
        return True
    meta = InboundMail._meta
    fields = _FIELDS.setdefault("insert", [f for f in meta.concrete_fields if f is not meta.auto_field])
    if "insert" not in _SQL:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        _SQL["insert"] = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 -- names only
            f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING "
            f"RETURNING {quote(str(meta.pk.column))}"
        )
    params = db_values(fields, inbound, add=True)
    with connection.cursor() as cursor:
        cursor.execute(_SQL["insert"], params)
        row = cursor.fetchone()
    if row is None:
        return False
    (inbound.pk,) = row
    inbound._state.adding, inbound._state.db = False, connection.alias
    return True


def save_processed(inbound: InboundMail) -> None:
    """`inbound.save(update_fields=_PROCESSED_FIELDS)` as one prepared UPDATE (InboundMail has no save
    signals and no `save` of its own)."""
    fields = _FIELDS.get("processed")
    if fields is None:
        fields = _FIELDS["processed"] = [
            f for f in InboundMail._meta.concrete_fields if f.name in _PROCESSED_FIELDS
        ]
    if "processed" not in _SQL:
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        table, pk = quote(InboundMail._meta.db_table), quote(str(InboundMail._meta.pk.column))
        _SQL["processed"] = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608 -- names only
    params = db_values(fields, inbound, add=False)
    with connection.cursor() as cursor:
        cursor.execute(_SQL["processed"], [*params, inbound.pk])


def rows_in(name: str, marks: str, *params: Any) -> list[tuple[Any, ...]]:
    """`rows` of a query whose `IN ({marks})` takes a list."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(name).format(marks=marks), params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def rows(name: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(_sql(name), params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


class _ContactRead:
    """`Contact.objects.select_for_update().get(pk=...)` compiled once: the SQL, the columns' converters
    and the field names, reused for every mail (the ORM compiles a query anew every time, ~3 times the
    cost of running it; bench/bench_mail_intake.py)."""

    def __init__(self) -> None:
        queryset = Contact.objects.filter(pk=0)
        if connection.features.has_select_for_update:
            queryset = queryset.select_for_update()
        self.compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()
        assert list(params) == [0], params
        self.converters = self.compiler.get_converters([col for col, _info, _alias in self.compiler.select])
        self.names = [f.attname for f in Contact._meta.concrete_fields]
        assert len(self.names) == len(self.compiler.select)

    def get(self, pk: int) -> Contact | None:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        values = next(self.compiler.apply_converters([row], self.converters)) if self.converters else row
        return Contact.from_db(connection.alias, self.names, values)


_contact_read: dict[str, _ContactRead] = {}  # by database vendor


def contact_locked(pk: int) -> Contact | None:
    """The contact `pk`, locked where the database locks rows (`_ContactRead`)."""
    read = _contact_read.get(connection.vendor)
    if read is None:
        read = _contact_read[connection.vendor] = _ContactRead()
    return read.get(pk)
