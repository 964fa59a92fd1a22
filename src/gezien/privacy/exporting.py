"""Everything the desk keeps about one customer, as one zip archive for a subject-access request (GDPR
art. 15): `manifest.json` (what is in it, with counts), one JSON file per kind, and the attachments,
recordings and raw mails as they were stored.

Written as a stream: rows are read in keyset batches and each file is written piece by piece, so a
customer with ten thousand messages is exported in bounded memory, and the desk sends the first bytes
before the last row is read. Notes agents wrote about the customer (messages of kind `note`, remembered
details) are included: a subject-access request covers personal data *about* the person, whoever wrote it.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from gezien.assist.models import ContactProtocol, Incident
from gezien.chat.models import ChatSession
from gezien.contacts.models import Attachment, ContactEvent, Matter, Message, MessageSignals
from gezien.customers.models import Customer, DetailKind, Identity, RememberedDetail
from gezien.insights.retention.models import CustomerRisk, RetentionFollowUp
from gezien.insights.surveys.models import SurveyInvitation, SurveyResponse
from gezien.mail.models import InboundMail, OutgoingMail
from gezien.phone.models import Recording, RecordingFormat
from gezien.phone.recordings import EXTENSIONS as RECORDING_EXTENSIONS
from gezien.privacy.audited import Actor, audit
from gezien.privacy.selectors import customer_contacts
from gezien.webforms.models import FormSubmission

FORMAT = "gezien-export/1"
BATCH = 500
FILE_CHUNK = 1 << 16


class _Pipe(io.RawIOBase):
    """Where the zip is written: collects the bytes until the stream takes them (not seekable, so
    zipfile writes data descriptors and never goes back)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        self.written += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.written

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _row(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in fields}


def _batches(query: QuerySet[Any]) -> Iterator[list[Any]]:
    """`query` in primary-key order, BATCH rows at a time (keyset: no OFFSET)."""
    last = None
    while True:
        page = query.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


class _Archive:
    def __init__(self) -> None:
        self.pipe = _Pipe()
        self.zip = zipfile.ZipFile(self.pipe, mode="w", compression=zipfile.ZIP_DEFLATED)
        self.counts: dict[str, int] = {}

    def json_list(
        self, name: str, query: QuerySet[Any], shape: Callable[[Any], dict[str, Any]]
    ) -> Iterator[bytes]:
        """Write `name` as a JSON array of `shape(row)` for every row of `query`, batch by batch."""
        count = 0
        with self.zip.open(name, mode="w", force_zip64=True) as out:
            out.write(b"[")
            for rows in _batches(query):
                for row in rows:
                    out.write((b",\n" if count else b"\n") + _dumps(shape(row)))
                    count += 1
                yield self.pipe.take()
            out.write(b"\n]\n")
        self.counts[name] = count
        yield self.pipe.take()

    def json_one(self, name: str, value: Any) -> bytes:
        self.zip.writestr(name, _dumps(value, indent=2) + b"\n")
        return self.pipe.take()

    def file(self, name: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
        with self.zip.open(name, mode="w", force_zip64=True) as out:
            for chunk in chunks:
                out.write(chunk)
                yield self.pipe.take()
        yield self.pipe.take()

    def close(self) -> bytes:
        self.zip.close()
        return self.pipe.take()


def _dumps(value: Any, indent: int | None = None) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str).encode()


def _stored(name: str) -> Iterator[bytes]:
    try:
        handle = default_storage.open(name, "rb")
    except OSError:
        return
    with handle:
        while chunk := handle.read(FILE_CHUNK):
            yield chunk


def _kinds(customer: Customer) -> list[tuple[str, QuerySet[Any], Callable[[Any], dict[str, Any]]]]:
    """Each JSON file of the archive: its name, the rows and what of each row goes in."""
    contacts = customer_contacts(customer)
    in_contacts = Q(contact__in=contacts)
    emails = list(customer.identities.filter(kind="email").values_list("value", flat=True))
    return [
        ("identities.json", Identity.objects.filter(customer=customer),
         lambda i: _row(i, ["id", "kind", "value", "display", "created_at"])),
        ("details.json", RememberedDetail.objects.filter(customer=customer).exclude(kind=DetailKind.PROMISE),
         lambda d: _row(d, ["id", "kind", "text", "register", "created_at", "updated_at"])),
        ("promises.json", RememberedDetail.objects.filter(customer=customer, kind=DetailKind.PROMISE),
         lambda d: _row(d, ["id", "text", "due_at", "done_at", "created_at", "updated_at"])),
        ("matters.json", Matter.objects.filter(customer=customer).select_related("reason"),
         lambda m: {**_row(m, ["id", "title", "state", "resolution", "resolved_at", "opened_at",
                               "last_contact_at"]), "reason": m.reason.code if m.reason else None}),
        ("contacts.json", contacts.select_related("reason"),
         lambda c: {**_row(c, ["id", "channel", "status", "recognition", "identity_kind", "identity_raw",
                               "subject", "summary", "priority", "matter_id", "opened_at", "closed_at"]),
                    "reason": c.reason.code if c.reason else None}),
        ("messages.json", Message.objects.filter(in_contacts),
         lambda m: _row(m, ["id", "contact_id", "author", "kind", "text", "start_s", "end_s", "sent_at"])),
        ("signals.json", MessageSignals.objects.filter(message__contact__in=contacts),
         lambda s: {"message_id": s.message_id, "analysed_at": _value(s.analysed_at), **s.data}),
        ("events.json", ContactEvent.objects.filter(in_contacts),
         lambda e: _row(e, ["id", "contact_id", "kind", "data", "at"])),
        ("attachments.json", Attachment.objects.filter(in_contacts),
         lambda a: {**_row(a, ["id", "contact_id", "message_id", "filename", "content_type", "size",
                               "sha256", "created_at"]),
                    "recording": a.content_type.startswith("audio/"), "file": f"files/{a.pk}/{a.filename}"}),
        ("recordings.json", Recording.objects.filter(in_contacts),
         lambda r: {**_row(r, ["id", "contact_id", "filename", "format", "size", "sha256", "duration_s",
                               "channels", "samplerate", "agent_channel", "source", "analysis_state",
                               "analysis", "analysis_version", "analysed_at", "created_at"]),
                    "file": _recording_file(r)}),
        ("inbound_mails.json",
         InboundMail.objects.filter(in_contacts | Q(from_address__in=emails)).defer("raw"),
         lambda m: {**_row(m, ["id", "contact_id", "message_id", "from_address", "from_name", "cc",
                               "subject", "outcome", "received_at", "text"]), "raw": f"mails/{m.pk}.eml"}),
        ("outgoing_mails.json", OutgoingMail.objects.filter(message__contact__in=contacts),
         lambda m: _row(m, ["id", "message_id", "kind", "to_address", "cc", "subject", "created_at"])),
        ("chat_sessions.json", ChatSession.objects.filter(in_contacts | Q(email__in=emails)),
         lambda s: _row(s, ["id", "contact_id", "name", "email", "language", "page_url", "verified",
                            "identity_kind", "identity_value", "client_address", "created_at"])),
        ("webform_submissions.json", FormSubmission.objects.filter(in_contacts),
         lambda f: _row(f, ["id", "contact_id", "name", "email", "phone", "language", "via", "created_at"])),
        ("surveys.json", SurveyInvitation.objects.filter(customer=customer),
         lambda i: {**_row(i, ["id", "contact_id", "kind", "language", "sent_via", "created_at", "sent_at",
                               "answered_at"]), "response": _response(i)}),
        ("protocols.json", ContactProtocol.objects.filter(in_contacts),
         lambda p: _row(p, ["id", "contact_id", "protocol", "evidence", "started_at"])),
        ("incidents.json", Incident.objects.filter(in_contacts),
         lambda i: _row(i, ["id", "contact_id", "source", "note", "evidence", "created_at"])),
        ("churn_risk.json", CustomerRisk.objects.filter(customer=customer),
         lambda r: _row(r, ["score", "level", "reasons", "components", "last_contact_at", "computed_for"])),
        ("retention_follow_ups.json", RetentionFollowUp.objects.filter(customer=customer),
         lambda f: _row(f, ["id", "note", "outcome", "at"])),
    ]  # fmt: skip


def _recording_file(recording: Recording) -> str:
    return f"recordings/{recording.pk}.{RECORDING_EXTENSIONS[RecordingFormat(recording.format)]}"


def _response(invitation: SurveyInvitation) -> dict[str, Any] | None:
    response = SurveyResponse.objects.filter(invitation=invitation).first()
    return _row(response, ["score", "resolved", "comment", "answered_at"]) if response else None


def customer_archive(customer: Customer) -> Iterator[bytes]:
    """The archive of everything about `customer`, as chunks of a zip file."""
    archive = _Archive()
    yield archive.json_one(
        "customer.json",
        _row(customer, ["id", "customer_number", "first_name", "last_name", "created_at", "updated_at"]),
    )
    for name, query, shape in _kinds(customer):
        yield from archive.json_list(name, query, shape)
    contacts = customer_contacts(customer)
    for rows in _batches(Attachment.objects.filter(contact__in=contacts).only("pk", "file", "filename")):
        for attachment in rows:
            yield from archive.file(
                f"files/{attachment.pk}/{attachment.filename}", _stored(attachment.file.name)
            )
    # Every call recording too, whatever its size: the caller has a right to a copy of their voice, and the
    # archive is streamed (GEZIEN_RECORDING_RETENTION_DAYS bounds how many there are).
    for rows in _batches(Recording.objects.filter(contact__in=contacts).only("pk", "file", "format")):
        for recording in rows:
            yield from archive.file(_recording_file(recording), _stored(recording.file.name))
    emails = list(customer.identities.filter(kind="email").values_list("value", flat=True))
    mails = InboundMail.objects.filter(Q(contact__in=contacts) | Q(from_address__in=emails))
    for rows in _batches(mails.only("pk")):
        for mail in rows:  # one raw mail in memory at a time (up to the size limit of a mail)
            raw = InboundMail.objects.filter(pk=mail.pk).values_list("raw", flat=True).first()
            yield from archive.file(f"mails/{mail.pk}.eml", [bytes(raw or b"")])
    manifest = {
        "format": FORMAT,
        "customer_id": customer.pk,
        "created_at": timezone.now().isoformat(),
        "files": {"customer.json": 1, **archive.counts},
        "notes": [
            "Eén JSON-bestand per soort gegevens; bijlagen onder files/, gespreksopnames onder recordings/ "
            "(met hun analyse in recordings.json), e-mails zoals ontvangen onder mails/.",
            "Gespreksnotities van medewerkers (messages.json, kind 'note') en onthouden details staan erin: "
            "een inzageverzoek omvat alle persoonsgegevens over de klant.",
        ],
    }
    yield archive.json_one("manifest.json", manifest)
    yield archive.close()


def archive_counts(customer: Customer) -> dict[str, int]:
    """How many messages and contacts an export holds (for the audit entry)."""
    return {
        "contacts": customer_contacts(customer).count(),
        "messages": Message.objects.filter(contact__in=customer_contacts(customer)).count(),
    }


def export_response(request: HttpRequest, customer: Customer, *, via: str) -> StreamingHttpResponse:
    """The customer's archive as a streamed download, its export written to the audit log first (the
    desk's button and `GET /api/customers/{id}/export`, `via` "desk" or "api")."""
    audit(
        Actor.of(request),
        action="customer.export",
        object_type="customer",
        object_id=customer.pk,
        customer_id=customer.pk,
        details={"via": via, **archive_counts(customer)},
    )
    response = StreamingHttpResponse(customer_archive(customer), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="klant-{customer.pk}.zip"'
    response["Cache-Control"] = "no-store"
    return response
