"""Mail coming in: stored raw first, then parsed, classified, threaded and recognised (docs/mail.md).

`ingest` keeps the raw bytes in a transaction of their own before anything else happens to them; `process`
handles a stored mail in one transaction: a mail that fails anywhere in it leaves nothing half-written and
goes to the quarantine with its error (`attempts` counted), where `mail_retry` runs it again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.contacts.attachments import attachment_store
from gezien.contacts.models import (
    EVENT_KINDS,
    Channel,
    Contact,
    ContactEvent,
    Delivery,
    DeliveryStatus,
    Message,
    Status,
)
from gezien.contacts.services import contact_open, intake_text, message_deliver
from gezien.core.errors import DomainError
from gezien.core.prepared import db_values
from gezien.customers.identities import normalise
from gezien.mail.models import (
    BlockedSender,
    InboundMail,
    Mailbox,
    Outcome,
    OutgoingMail,
)
from gezien.mailparse import ParsedMail, classify, normalise_subject, parse, split_quote, subject_token
from gezien.notifications.kinds import kind_register
from gezien.notifications.models import Notification

logger = logging.getLogger(__name__)

BOUNCE_KIND = kind_register("mail_bounced", gettext_lazy("Onbestelbaar"))
SPAM_EVENT = EVENT_KINDS.register("spam", gettext_lazy("Gemarkeerd als spam"))  # `services.contact_mark_spam`

# Reasons a mail is in quarantine (`InboundMail.reason`); the error itself is in `InboundMail.error`.
SPAM, BLOCKED, ERROR = "spam", "blocked", "error"
_UNFIT = (ValueError, DomainError)  # a mail we cannot take: one log line; anything else: its traceback
# What the classifier calls a mail that is neither a customer's words nor anything else it knows.
_CUSTOMER_MAIL = "mail"
_NOT_CONTACTS = {
    "auto_reply": Outcome.AUTO_REPLY,
    "receipt": Outcome.RECEIPT,
    "complaint": Outcome.COMPLAINT,
    "loop": Outcome.AUTO_REPLY,  # our own mail coming back: recorded as an automatic mail, reason "loop: ..."
}
_HANDLED = (Outcome.CONTACT, Outcome.MESSAGE, Outcome.BOUNCE, Outcome.AUTO_REPLY, Outcome.COMPLAINT,
            Outcome.RECEIPT)  # fmt: skip
_PROCESSED_FIELDS = ["header_id", "from_address", "from_name", "subject", "cc", "outcome", "reason", "error",
                     "attempts", "contact", "message", "duplicate_of", "processed_at", "text",
                     "folded"]  # fmt: skip
TEXT_MARK = (
    "\n\n[…]"  # where a text longer than a message may hold was cut (the full mail stays one click away)
)


@dataclass(frozen=True)
class IngestResult:
    """One mail's outcome: what `gezien mail ingest` prints as one JSON line."""

    outcome: str
    contact_id: int | None
    message_id: int | None
    reason: str
    inbound_id: int

    def as_json(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "contact_id": self.contact_id,
            "message_id": self.message_id,
            "reason": self.reason,
        }


# Heard after a mail's transaction committed (e.g. the auto-acknowledgement of a new contact).
_listeners: list[Callable[[InboundMail, IngestResult], None]] = []


def on_mail_processed(listener: Callable[[InboundMail, IngestResult], None]) -> None:
    """Call `listener(inbound, result)` after each processed mail's commit (register in AppConfig.ready)."""
    if listener not in _listeners:
        _listeners.append(listener)


def ingest(
    mailbox: Mailbox, raw: bytes, *, imap_uidvalidity: int | None = None, imap_uid: int | None = None
) -> IngestResult:
    """Keep the raw mail (committed before anything else happens to it), then handle it."""
    inbound = _store(mailbox, raw, imap_uidvalidity=imap_uidvalidity, imap_uid=imap_uid)
    if inbound is None:
        return _seen_uid()
    return process(inbound)


@dataclass(frozen=True)
class RawMail:
    """A mail for `ingest_many`: its bytes, and where it came from on an IMAP server (if it did)."""

    raw: bytes
    imap_uidvalidity: int | None = None
    imap_uid: int | None = None


BATCH = 50  # mails a transaction in `ingest_many` (SQLite's writers wait for it: keep it short)
_SEEN_UID = "imap uid seen before"


def ingest_many(
    mailbox: Mailbox, mails: Iterable[bytes | RawMail], *, batch: int = BATCH
) -> list[IngestResult]:
    """`ingest` for many mails (the IMAP round, `gezien mail ingest` with several files), in batches of
    `batch`: a batch's raw mails are stored and committed together first, before anything else happens to
    them; then the batch is handled in one transaction, each mail in a savepoint of its own, so a mail that
    fails rolls back alone and goes to the quarantine as with `ingest`. The listeners hear each mail after
    its batch's commit. The results are in the order of `mails`."""
    results: list[IngestResult] = []
    chunk: list[RawMail] = []
    for mail in mails:
        chunk.append(mail if isinstance(mail, RawMail) else RawMail(mail))
        if len(chunk) >= batch:
            results += _ingest_batch(mailbox, chunk)
            chunk = []
    if chunk:
        results += _ingest_batch(mailbox, chunk)
    return results


def _ingest_batch(mailbox: Mailbox, mails: list[RawMail]) -> list[IngestResult]:
    with transaction.atomic():  # the raw mails first, committed together
        stored = [
            _store(mailbox, m.raw, imap_uidvalidity=m.imap_uidvalidity, imap_uid=m.imap_uid) for m in mails
        ]
    try:
        with transaction.atomic():
            return [_seen_uid() if inbound is None else process(inbound) for inbound in stored]
    except Exception:  # the batch's own transaction failed (not a mail: each fails in its savepoint)
        logger.warning("mail batch failed; handling its %s mails one by one", len(stored), exc_info=True)
    # Each on its own, as `ingest` does, from what was committed (the failed batch's changes are gone).
    fresh = InboundMail.objects.in_bulk([inbound.pk for inbound in stored if inbound is not None])
    return [_seen_uid() if inbound is None else mail_retry(fresh[inbound.pk]) for inbound in stored]


def _seen_uid() -> IngestResult:
    return IngestResult(Outcome.DUPLICATE, None, None, _SEEN_UID, 0)


def _store(
    mailbox: Mailbox, raw: bytes, *, imap_uidvalidity: int | None, imap_uid: int | None
) -> InboundMail | None:
    inbound = InboundMail(
        mailbox=mailbox,
        raw=raw,
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        imap_uidvalidity=imap_uidvalidity,
        imap_uid=imap_uid,
        received_at=timezone.now(),
    )
    return inbound if _insert(inbound) else None  # None: the same IMAP UID under the same UIDVALIDITY


def _result(inbound: InboundMail) -> IngestResult:
    message_id = inbound.message_id
    if inbound.outcome == Outcome.DUPLICATE and inbound.duplicate_of_id is not None:
        first = InboundMail.objects.filter(pk=inbound.duplicate_of_id).values_list("message_id", flat=True)
        message_id = first.first()
    return IngestResult(inbound.outcome, inbound.contact_id, message_id, inbound.reason, inbound.pk)


def process(inbound: InboundMail, *, release: bool = False) -> IngestResult:
    """Parse, classify, thread and recognise a stored mail, in one transaction. Any failure puts it in
    quarantine with the error (the raw mail stays). `release`: an admin let a mail held as spam or from
    a blocked sender through."""
    parsed: list[ParsedMail] = []  # the mail as `_handle` parsed it, for the quarantine's headers
    try:
        with transaction.atomic():
            _handle(inbound, release=release, parsed=parsed)
    except Exception as error:
        logger.warning("mail %s quarantined: %s", inbound.pk, error, exc_info=not isinstance(error, _UNFIT))
        _quarantine(inbound, error, parsed[0] if parsed else None)
    result = _result(inbound)
    for listener in _listeners:
        transaction.on_commit(lambda listener=listener: listener(inbound, result))  # type: ignore[misc]
    return result


def mail_retry(inbound: InboundMail, *, release: bool = False) -> IngestResult:
    """Run a quarantined (or pending) mail through `process` again. A mail handled before is left alone."""
    if inbound.outcome not in (Outcome.QUARANTINED, Outcome.PENDING):
        return _result(inbound)
    return process(inbound, release=release)


PENDING_AFTER = timedelta(minutes=10)  # a mail stored this long ago and never handled: its process stopped


def mails_pending(now: datetime) -> int:
    """The periodic job: handle the mails that were stored but never handled (the process stopped between
    the two commits; an IMAP round fetching the mail again finds it stored and leaves it). Returns how
    many it handled."""
    stalled = InboundMail.objects.filter(
        outcome=Outcome.PENDING, received_at__lt=now - PENDING_AFTER
    ).order_by("received_at", "pk")[:BATCH]
    return len([mail_retry(inbound) for inbound in stalled])


def _error_text(error: BaseException) -> str:
    message = error.message if isinstance(error, DomainError) else str(error)
    return f"{type(error).__name__}: {message}"[:10_000]


def _quarantine(inbound: InboundMail, error: BaseException, parsed: ParsedMail | None) -> None:
    """Whatever the failed attempt changed was rolled back; the mail waits for an admin, with the error.
    `parsed`: the mail as the attempt parsed it (None: it failed before, so the headers are read here)."""
    with transaction.atomic():
        stored = (
            InboundMail.objects.select_for_update().filter(pk=inbound.pk).values_list("attempts", flat=True)
        )
        inbound.attempts = (stored.first() or 0) + 1
        inbound.outcome = Outcome.QUARANTINED
        inbound.reason = ERROR
        inbound.error = _error_text(error)
        inbound.processed_at = timezone.now()
        inbound.contact, inbound.message, inbound.duplicate_of = None, None, None
        inbound.text, inbound.folded = None, False
        if parsed is not None:
            _read_headers(inbound, parsed)
        else:
            _headers_if_readable(inbound)
        _save_processed(inbound)


_HEADER_FIELDS = ["header_id", "from_address", "from_name", "subject", "cc"]


def _headers_if_readable(inbound: InboundMail) -> None:
    """Who sent a quarantined mail and about what, for the admin, where the mail can be read at all."""
    try:
        parsed = parse(bytes(inbound.raw))
    except Exception:
        return
    _read_headers(inbound, parsed)


def _read_headers(inbound: InboundMail, parsed: ParsedMail) -> None:
    inbound.header_id = parsed.message_id[:998]
    inbound.from_address = parsed.from_address[:320]
    inbound.from_name = parsed.from_name[:300]
    inbound.subject = parsed.subject[:998]
    inbound.cc = [[name, address] for name, address in parsed.cc][:100]


def _handle(inbound: InboundMail, *, release: bool, parsed: list[ParsedMail]) -> None:
    if connection.features.has_select_for_update:  # SQLite's writers take turns anyway
        # One mail of a mailbox at a time: two copies of one mail arriving together are seen as one.
        Mailbox.objects.select_for_update().filter(pk=inbound.mailbox_id).exists()
    inbound.attempts += 1
    inbound.processed_at = timezone.now()
    inbound.error = ""
    inbound.text, inbound.folded = None, False  # kept for a mail that becomes a message (`_words`)
    mail = parse(bytes(inbound.raw))
    parsed.append(mail)
    _read_headers(inbound, mail)
    first = _first_copy(inbound)
    if first is not None:
        first_id, inbound.contact_id = first
        _set(inbound, Outcome.DUPLICATE, f"same Message-ID as inbound mail {first_id}")
        inbound.duplicate_of_id = first_id
    else:
        _classify(inbound, mail, release=release)
    _save_processed(inbound)


def _set(inbound: InboundMail, outcome: str, reason: str) -> None:
    inbound.outcome = outcome
    inbound.reason = reason[:300]


def _first_copy(inbound: InboundMail) -> tuple[int, int | None] | None:
    """The id and contact of the mail handled before with the same Message-ID in this mailbox (the same
    bytes when it has none): by the header_id (or sha256) index alone."""
    if inbound.header_id:
        rows = _rows("first_by_id", inbound.header_id)
    else:
        rows = _rows("first_by_sha", inbound.sha256)
    handled = [  # the mail itself is among the rows: left out here
        (pk, contact)
        for pk, box, outcome, contact in rows
        if pk != inbound.pk and box == inbound.mailbox_id and outcome in _HANDLED
    ]
    return min(handled) if handled else None


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


def _insert(inbound: InboundMail) -> bool:
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


def _save_processed(inbound: InboundMail) -> None:
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


def _rows_in(name: str, marks: str, *params: Any) -> list[tuple[Any, ...]]:
    """`_rows` of a query whose `IN ({marks})` takes a list."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(name).format(marks=marks), params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def _rows(name: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(_sql(name), params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def _own_domains() -> frozenset[str]:
    return frozenset(address.rsplit("@", 1)[-1].lower() for (address,) in _rows("mailbox_addresses"))


def _classify(inbound: InboundMail, parsed: ParsedMail, *, release: bool) -> None:
    # Our own mail coming back is known by the loop header we write (mailparse.LOOP_HEADER), or by a
    # Message-ID one of our outgoing mails has (their ids end in the mailbox's domain, as customers' may).
    found = classify(parsed)
    if found.outcome == "auto_reply":  # an automatic mail from one of our own domains is a loop
        found = classify(parsed, own_domains=_own_domains())
    outcome, reason = found.outcome, found.reason
    if (
        outcome == _CUSTOMER_MAIL
        and parsed.message_id  # no Message-ID: none of ours (every outgoing mail has one)
        and _rows("ours", parsed.message_id)
    ):
        outcome, reason = "loop", "our own Message-ID"
    if outcome == "bounce":
        _bounce(inbound, reason, found.related_message_ids)
    elif outcome in _NOT_CONTACTS:
        prefix = "loop: " if outcome == "loop" else ""
        _set(inbound, _NOT_CONTACTS[outcome], prefix + reason)
        inbound.contact = _thread_by_headers(parsed)
    elif outcome == "spam" and not release:
        _set(inbound, Outcome.QUARANTINED, SPAM)
        inbound.error = reason
    elif not release and _rows("blocked", inbound.from_address.lower()):
        _set(inbound, Outcome.QUARANTINED, BLOCKED)  # the desk says why in the reader's language
    else:
        _customer_mail(inbound, parsed, released=release and outcome == "spam")


def _bounce(inbound: InboundMail, reason: str, related: tuple[str, ...]) -> None:
    """A delivery report: the outgoing mail it is about is marked bounced and its agent is told."""
    ids = list(dict.fromkeys(related))[:50]
    outgoing = (
        OutgoingMail.objects.filter(header_id__in=ids)
        .select_related("message", "message__contact", "message__agent")
        .first()
        if ids and _rows_in("ours_contacts", ", ".join(["%s"] * len(ids)), *ids)  # a cheap look first
        else None
    )
    _set(inbound, Outcome.BOUNCE, reason or "delivery report")
    if outgoing is None:
        return
    message = outgoing.message
    inbound.contact = message.contact
    now = timezone.now()
    delivery, _created = Delivery.objects.get_or_create(message=message, defaults={"channel": Channel.EMAIL})
    delivery.status = DeliveryStatus.BOUNCED
    delivery.last_error = reason or _("Onbestelbaar")
    delivery.finished_at = now
    delivery.save(update_fields=["status", "last_error", "finished_at", "updated_at"])
    recipient = message.agent or message.contact.assigned_agent
    if recipient is not None:
        Notification.objects.create(
            recipient=recipient,
            kind=BOUNCE_KIND,
            text=(
                _("Je e-mail aan %(to)s kwam niet aan: %(reason)s")
                % {"to": outgoing.to_address, "reason": delivery.last_error}
            )[:300],
            contact_id=message.contact_id,
        )


def _thread_by_headers(parsed: ParsedMail) -> Contact | None:
    """The contact a reply belongs to by In-Reply-To and References, the nearest reference first."""
    ids = [i for i in dict.fromkeys([parsed.in_reply_to, *reversed(parsed.references)]) if i][:100]
    if not ids:
        return None
    found: dict[str, int] = {}
    marks = ", ".join(["%s"] * len(ids))
    for header_id, contact_id in _rows_in("ours_contacts", marks, *ids):
        found[header_id] = contact_id
    for header_id, contact_id in _rows_in("inbound_contacts", marks, *ids):
        found.setdefault(header_id, contact_id)
    for header_id in ids:
        if header_id in found:
            return _contact(found[header_id])
    return None


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


def _contact(pk: int) -> Contact | None:
    """The contact `pk`, locked where the database locks rows (`_ContactRead`)."""
    read = _contact_read.get(connection.vendor)
    if read is None:
        read = _contact_read[connection.vendor] = _ContactRead()
    return read.get(pk)


def _may_use_token(contact: Contact, sender: str) -> bool:
    """A [#1234] token threads only a mail from someone already in that contact's conversation: its
    sender, the customer's own addresses, or someone copied in before (a token alone proves nothing)."""
    if contact.channel != Channel.EMAIL:
        return False
    if contact.identity_value == sender:
        return True
    if (
        contact.customer is not None
        and contact.customer.identities.filter(kind="email", value=sender).exists()
    ):
        return True
    return any(
        address.lower() == sender
        for cc in contact.inbound_mails.values_list("cc", flat=True)
        for _name, address in cc
    )


def _thread(inbound: InboundMail, parsed: ParsedMail, sender: str) -> tuple[Contact | None, str]:
    """Which contact this mail continues, and by which rule (docs/mail.md)."""
    contact = _thread_by_headers(parsed)
    if contact is not None:
        return contact, "headers"
    number = subject_token(parsed.subject)
    if number is not None:
        contact = Contact.objects.select_related("customer").filter(pk=number).first()
        if contact is not None and _may_use_token(contact, sender):
            return _contact(contact.pk), "token"  # read again under lock
    subject = normalise_subject(parsed.subject)
    if subject and sender:
        since = timezone.now() - timedelta(days=settings.GEZIEN_MAIL_THREAD_DAYS)
        received = InboundMail._meta.get_field("received_at").get_db_prep_value(since, connection)
        earlier = _rows("earlier", sender, received, Outcome.CONTACT.value, Outcome.MESSAGE.value)
        for (
            pk,
            earlier_subject,
            contact_id,
        ) in earlier:  # the 200 latest (this mail is not CONTACT or MESSAGE)
            if pk != inbound.pk and normalise_subject(earlier_subject) == subject:
                return _contact(contact_id), "subject"
    return None, ""


def _words(inbound: InboundMail, parsed: ParsedMail) -> str:
    """The new words of the mail (quoted history and signature folded away), within a message's size.
    The whole text, and whether there is more than these words, are kept on `inbound` for the desk."""
    full = (parsed.text or "").replace("\x00", "")
    split = split_quote(full)
    inbound.text, inbound.folded = intake_text(full.strip()), bool(split.quoted or split.signature)
    body = split.body.strip() or full.strip()
    if not body:
        body = _("(geen tekst; zie de bijlagen)") if parsed.attachments else _("(lege e-mail)")
    limit = settings.GEZIEN_MAX_MESSAGE_CHARS
    if len(body) > limit:
        body = body[: limit - len(TEXT_MARK)] + TEXT_MARK
    return body


def _customer_mail(inbound: InboundMail, parsed: ParsedMail, *, released: bool) -> None:
    sender = normalise("email", parsed.from_address).value if parsed.from_address else ""
    if not sender:
        raise ValueError(_("De e-mail heeft geen bruikbaar afzenderadres."))
    inbound.from_address = sender
    text = _words(inbound, parsed)
    contact, rule = _thread(inbound, parsed, sender)
    reopen_after = timezone.now() - timedelta(days=settings.GEZIEN_MAIL_REOPEN_DAYS)
    reasons = ["spam released"] if released else []
    if contact is not None and (
        contact.status != Status.CLOSED
        or (contact.closed_at is not None and contact.closed_at >= reopen_after)
    ):
        reopened = contact.status == Status.CLOSED
        message, _stored = message_deliver(  # `contact` was read under lock in this transaction
            contact=contact,
            author="customer",
            text=text,
            at=inbound.received_at,
            locked=True,
            savepoint=False,
        )
        _set(
            inbound,
            Outcome.MESSAGE,
            " ".join([f"thread: {rule}", *(["reopened"] if reopened else []), *reasons]),
        )
    else:
        opened = contact_open(
            channel=Channel.EMAIL,
            identities=[("email", sender)],
            text=text,
            subject=parsed.subject,
            at=inbound.received_at,
            team=inbound.mailbox.team,
            savepoint=False,  # the mail's own savepoint (`process`) holds it
        )
        new = opened.contact
        assert opened.messages
        message = opened.messages[0]
        if contact is not None:  # a reply to a contact closed too long ago: a new contact, the same kwestie
            reasons.insert(0, f"follows closed contact {contact.pk}")
            if contact.matter_id is not None:
                new.matter_id = contact.matter_id
                new.save(update_fields=["matter", "updated_at"])
                ContactEvent.objects.create(
                    contact=new,
                    kind=ContactEvent.Kind.MATTER,
                    actor=None,
                    at=inbound.received_at,
                    data={
                        "action": "link",
                        "matter": contact.matter_id,
                        "via": "mail",
                        "follows": contact.pk,
                    },
                )
        _set(inbound, Outcome.CONTACT, " ".join(reasons))
        contact = new
    inbound.contact = contact
    inbound.message = message
    _attachments(inbound, parsed, contact, message)


def _attachments(inbound: InboundMail, parsed: ParsedMail, contact: Contact, message: Message) -> None:
    refused = []
    for part in parsed.attachments:
        try:  # no savepoint of its own: `attachment_store` refuses a file before it writes anything
            attachment_store(
                contact=contact,
                message=message,
                data=part.data,
                filename=part.filename,
                content_type=part.content_type,
                inline=part.inline,
                content_id=part.content_id,
            )
        except DomainError as error:  # too big or not allowed: it stays in the raw mail, one click away
            refused.append(f"{part.filename}: {error.message}")
    if refused:
        inbound.reason = " ".join([inbound.reason, "attachments refused:", "; ".join(refused)]).strip()[:300]
