"""Listening to call recordings (issue 18): who may listen to which recording, the audit entry of each
listen, and how the audio is served to a player: streamed from the storage, inline, never cached, with
one HTTP byte range (`Range`, `If-Range`) for seeking (a 206 with `Content-Range`, a 416 past the end).
The desk's and the API's recording views use it; keeping and analysing recordings is `phone.recordings`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from gezien.audit.log import audit_from_request
from gezien.contacts.attachments import contacts_visible_to, content_disposition
from gezien.core.errors import DomainError, NotFound
from gezien.phone.models import Recording, RecordingFormat
from gezien.phone.recordings import CHUNK, CONTENT_TYPES, LISTEN_PERMISSION

logger = logging.getLogger(__name__)


def recordings_visible_to(user: Any) -> QuerySet[Recording]:
    """The recordings `user` may listen to: with `phone.listen_recording`, those of the contacts they may
    see; none otherwise (a department owner, someone without a role)."""
    if user is None or not user.is_authenticated or not user.has_perm(LISTEN_PERMISSION):
        return Recording.objects.none()
    return Recording.objects.filter(contact__in=contacts_visible_to(user))


def recording_for(user: Any, recording_id: int) -> Recording:
    """One recording `user` may listen to, or `NotFound` (one they may not does not exist for them)."""
    recording = recordings_visible_to(user).select_related("contact").filter(pk=recording_id).first()
    if recording is None:
        raise NotFound(_("Deze opname bestaat niet."))
    return recording


def recording_audit(
    request: HttpRequest, action: str, recording: Recording, **details: str | int | bool
) -> None:
    """One audit entry about a recording (listening to it is reading personal data), for desk and API."""
    audit_from_request(
        request,
        action=action,
        object_type="recording",
        object_id=recording.pk,
        customer_id=recording.contact.customer_id,
        details={"contact_id": recording.contact_id, **details},
    )


class RangeNotSatisfiable(DomainError):
    """A `Range` that starts past the recording's end: 416 with `Content-Range: bytes */<size>`."""

    status_code = 416

    def __init__(self, size: int) -> None:
        super().__init__(_("Dit deel van de opname bestaat niet."), field="Range")
        self.size = size
        self.content_range = f"bytes */{size}"


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range `header` (a `Range` request header) asks of `size` bytes, as (first, last),
    both included (RFC 9110 14.1.2: `bytes=0-99`, `bytes=100-`, `bytes=-100`, the last clipped to the
    end). None: serve the whole file (no header, another unit, a syntax error, several ranges: the
    server may ignore a Range). `RangeNotSatisfiable` for a range that starts past the end or is empty."""
    unit, sep, spec = header.strip().partition("=")
    if not sep or unit.strip().lower() != "bytes" or "," in spec:
        return None
    first_text, dash, last_text = spec.strip().partition("-")
    first_text, last_text = first_text.strip(), last_text.strip()
    if not dash or not (first_text or last_text):
        return None
    if not all(t.isdigit() and t.isascii() for t in (first_text, last_text) if t):
        return None
    if not first_text:  # a suffix: the last N bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(size)
        return max(0, size - suffix), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None  # invalid: ignored, the whole file
    if first >= size:
        raise RangeNotSatisfiable(size)
    last = int(last_text) if last_text else size - 1
    return first, min(last, size - 1)


class _Slice:
    """Bytes `first`..`last` of an open file, in chunks; closing it closes the file (also unread)."""

    def __init__(self, handle: IO[bytes], first: int, last: int) -> None:
        self.handle, self.first, self.left = handle, first, last - first + 1

    def __iter__(self) -> Iterator[bytes]:
        self.handle.seek(self.first)
        while self.left > 0:
            chunk = self.handle.read(min(CHUNK, self.left))
            if not chunk:
                return
            self.left -= len(chunk)
            yield chunk

    def close(self) -> None:
        self.handle.close()


def recording_response(
    recording: Recording, *, range_header: str = "", if_range: str = ""
) -> HttpResponseBase:
    """The audio, streamed from the storage, to be played in the desk's <audio> (inline, its own audio
    type, never sniffed or cached). Players seek with `Range` (`Accept-Ranges: bytes`): one byte range
    is a 206 with `Content-Range`, the whole file a 200; `If-Range` with another ETag than the
    recording's (its sha256) asks for the whole file. `RangeNotSatisfiable` (416) for a range past the
    end; `NotFound` when the file is gone."""
    etag = f'"{recording.sha256}"'
    wanted = None
    if range_header and (not if_range or if_range.strip() == etag):
        wanted = byte_range(range_header, recording.size)
    try:
        handle = recording.file.storage.open(recording.file.name, "rb")
    except OSError as exc:
        logger.error("recording %s: its file %s is missing", recording.pk, recording.file.name)
        raise NotFound(_("Het bestand van deze opname ontbreekt.")) from exc
    content_type = CONTENT_TYPES[RecordingFormat(recording.format)]
    response: HttpResponseBase
    if wanted is None:
        response = FileResponse(handle, content_type=content_type)
        if not response.has_header("Content-Length"):
            response["Content-Length"] = str(recording.size)
    else:
        first, last = wanted
        response = StreamingHttpResponse(_Slice(handle, first, last), status=206, content_type=content_type)
        response["Content-Length"] = str(last - first + 1)
        response["Content-Range"] = f"bytes {first}-{last}/{recording.size}"
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Content-Disposition"] = content_disposition(recording.filename).replace(
        "attachment", "inline", 1
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
