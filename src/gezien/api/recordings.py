"""Call recordings (issue 18): attach one to a phone contact, list a contact's, read one with its voice
analysis, listen to it, delete it; with the `stt` extra, transcribe it into its contact's transcript turns.

Recordings are personal data: listing, reading and listening need `phone.listen_recording` (agents,
team leads, managers, admins; not department owners) and a contact the person may see (404 otherwise);
attaching one needs `contacts.handle_contact`; deleting one `phone.delete_recording` (managers, admins).
Reading a recording's analysis and listening to it are audited (`recording.view`, `recording.listen`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.attachments import upload_single
from gezien.api.auth import require_perm
from gezien.api.common import DbId, visible_contact_or_404
from gezien.api.schemas import error_body, username_of
from gezien.audit.log import audit_contact
from gezien.desksettings.store import desk_setting
from gezien.phone.listening import RangeNotSatisfiable, recording_audit, recording_for, recording_response
from gezien.phone.models import Recording, RecordingSource
from gezien.phone.recordings import (
    DELETE_PERMISSION,
    LISTEN_PERMISSION,
    max_bytes,
    recording_attach,
    too_big,
)
from gezien.phone.transcripts import transcript_request

router = Router(tags=["recordings"])


class RecordingOut(Schema):
    id: int
    contact_id: int
    filename: str = Field(description="the uploaded file's name, made safe")
    format: str = Field(description="wav, flac or opus: what the bytes are, not what the name says")
    size: int = Field(description="bytes")
    sha256: str = Field(description="the same file on the same contact again is this recording")
    duration_s: float
    channels: int
    samplerate: int
    agent_channel: str = Field(description="left or right: the agent's channel (the customer has the other)")
    source: str = Field(description="upload (API), desk, or adapter (the telephone system)")
    uploaded_by: str | None
    analysis_state: str = Field(
        description="pending (long recordings are analysed after the upload), done, failed"
    )
    analysis_version: str
    analysed_at: datetime | None
    transcript_state: str = Field(
        description="speech-to-text: '' (not asked), pending (POST .../transcript queued it), done, failed"
    )
    transcript_error: str = Field(description="why the transcription failed (state failed)")
    created_at: datetime
    audio_url: str = Field(description="the audio itself (GET, the same token; audited as a listen)")

    @staticmethod
    def resolve_uploaded_by(obj: Recording) -> str | None:
        return username_of(obj.uploaded_by) if obj.uploaded_by_id is not None else None

    @staticmethod
    def resolve_audio_url(obj: Recording) -> str:
        return f"{desk_setting('base_url')}/api/recordings/{obj.pk}/audio"


class RecordingDetailOut(RecordingOut):
    analysis: dict[str, Any] | None = Field(
        description="gezien.voice's analysis (null until done): duration_s, agent_channel, segments, "
        "overtalk, silences, sides (talk share, speaking rate, pitch, loudness per side), let_finish, version"
    )
    analysis_error: str


@router.get("/contacts/{contact_id}/recordings", response=list[RecordingOut])
def list_recordings(request: HttpRequest, contact_id: DbId) -> list[Recording]:
    """The recordings of a phone contact, oldest first (without their analysis: see /recordings/{id})."""
    require_perm(request, LISTEN_PERMISSION)
    contact = visible_contact_or_404(request, contact_id)
    recordings = list(
        Recording.objects.filter(contact=contact).select_related("uploaded_by").order_by("created_at", "id")
    )
    audit_contact(request, "recording.list", contact, count=len(recordings))
    return recordings


@router.post(
    "/contacts/{contact_id}/recordings",
    response={200: RecordingDetailOut, 201: RecordingDetailOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "agent_channel": {"type": "string", "enum": ["left", "right"], "default": "left"},
                        },
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
def upload_recording(request: HttpRequest, contact_id: DbId) -> Status[Any]:
    """Attach a stereo recording (WAV, FLAC or Opus; the agent on `agent_channel`, the customer on the
    other) to a phone contact: 201 with its analysis (a long one is `pending` and analysed after), or 200
    with the recording already kept when the same file was attached before. Too big (see
    GEZIEN_RECORDING_MAX_MB), empty, mono or no audio: 422, and nothing is kept."""
    require_perm(request, "contacts.handle_contact")
    contact = visible_contact_or_404(request, contact_id)
    upload = upload_single(request, limit=max_bytes(), refuse=too_big, fields=("agent_channel",))
    with upload.open("rb") as data:
        recording = recording_attach(
            contact=contact,
            data=data,
            filename=upload.name or "",
            agent_channel=request.POST.get("agent_channel", "left"),
            source=RecordingSource.UPLOAD,
            by=current_user(request),
        )
    if recording.created_now:
        recording_audit(request, "recording.add", recording)
    return Status(201 if recording.created_now else 200, recording)


@router.get("/recordings/{recording_id}", response=RecordingDetailOut)
def get_recording(request: HttpRequest, recording_id: DbId) -> Recording:
    """One recording with its voice analysis."""
    require_perm(request, LISTEN_PERMISSION)
    recording = recording_for(request.user, recording_id)
    recording_audit(request, "recording.view", recording)
    return recording


@router.get(
    "/recordings/{recording_id}/audio",
    response={200: None},
    openapi_extra={
        "parameters": [
            {
                "name": "Range",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "example": "bytes=0-65535"},
                "description": "one byte range (players seek with it); several ranges get the whole file",
            }
        ],
        "responses": {
            200: {
                "description": "the recording as it was attached (audio/wav, audio/flac or audio/ogg)",
                "content": {"audio/*": {"schema": {"type": "string", "format": "binary"}}},
            },
            206: {
                "description": "the byte range asked for, with Content-Range",
                "content": {"audio/*": {"schema": {"type": "string", "format": "binary"}}},
            },
            416: {
                "description": "the range starts past the end (Content-Range: bytes */size)",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
            },
        },
    },
)
def recording_audio(request: HttpRequest, recording_id: DbId) -> HttpResponseBase:
    """The audio itself (`Accept-Ranges: bytes`: a `Range` gets 206); every listen is in the audit log."""
    require_perm(request, LISTEN_PERMISSION)
    recording = recording_for(request.user, recording_id)
    try:
        response = recording_response(
            recording,
            range_header=request.headers.get("Range", ""),
            if_range=request.headers.get("If-Range", ""),
        )
    except RangeNotSatisfiable as exc:
        refused = JsonResponse(error_body(exc.message, loc=["header", "Range"], kind="RangeNotSatisfiable"))
        refused.status_code = 416
        refused["Content-Range"] = exc.content_range
        return refused
    recording_audit(request, "recording.listen", recording)
    return response


class TranscriptTurnOut(Schema):
    message_id: int = Field(description="the transcript turn on the contact (GET /api/contacts/{id})")
    author: str = Field(description="agent or customer: the channel it was said on")
    start_s: float | None
    end_s: float | None
    text: str

    @staticmethod
    def resolve_message_id(obj: Any) -> int:
        return int(obj.pk)


class TranscriptOut(Schema):
    recording_id: int
    contact_id: int
    state: str = Field(description="pending (202: queued; GET the recording for transcript_state) or done")
    turns: list[TranscriptTurnOut]


@router.post("/recordings/{recording_id}/transcript", response={200: TranscriptOut, 202: TranscriptOut})
def transcribe_recording(request: HttpRequest, recording_id: DbId) -> Status[Any]:
    """Dutch speech-to-text of a recording, on this server (the optional `stt` extra; no audio leaves it):
    each turn becomes a transcript turn of its phone contact (author by channel, with its offsets),
    analysed like any other message. It takes 20 s to minutes of CPU for a 3-minute call (docs/phone.md),
    so it is queued: 202 with state `pending` and no turns; poll GET /api/recordings/{id} until its
    `transcript_state` is `done` (the turns are on the contact; POST again returns them) or `failed`
    (`transcript_error`). 200 with the turns when the recording was transcribed before; 503 when the
    extra is not installed; 422 when the call has no agent."""
    require_perm(request, "contacts.handle_contact")
    require_perm(request, LISTEN_PERMISSION)
    recording = recording_for(request.user, recording_id)
    result = transcript_request(recording, by=current_user(request))
    recording_audit(
        request,
        "recording.transcribe",
        recording,
        turns=len(result.messages) if result else 0,
        queued=result is None,
    )
    body = {
        "recording_id": recording.pk,
        "contact_id": recording.contact_id,
        "state": "pending" if result is None else "done",
        "turns": result.messages if result else [],
    }
    return Status(202 if result is None else 200, body)


@router.delete("/recordings/{recording_id}", response={204: None})
def delete_recording(request: HttpRequest, recording_id: DbId) -> Status[None]:
    """Remove a recording and its analysis now (its file goes once the delete commits)."""
    require_perm(request, DELETE_PERMISSION)
    recording = recording_for(request.user, recording_id)
    with transaction.atomic():
        recording_audit(request, "recording.delete", recording)
        recording.delete()
    return Status(204, None)
