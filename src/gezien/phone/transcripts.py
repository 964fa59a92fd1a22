"""A call recording's speech as its contact's transcript turns (issue 18), with the optional `stt` extra.

`recording_transcribe` runs `gezien.voice.stt` on the recording (on this machine: no audio leaves it) and
adds each turn to the phone contact as a transcript turn: kind `transcript`, author `agent` or `customer`
by the channel it was said on, `start_s`/`end_s` its offsets. They are messages like any other, so the
analysis reads them (signals) and coaching reads their offsets. Each turn's `external_id` is
`recording-<id>-turn-<n>`: the same recording again returns the turns kept the first time.

Whisper takes minutes for a long call, so a request only asks (`transcript_request`: the recording's
`transcript_state` becomes `pending`) and the work runs after the commit on the task queue where a worker
runs, else on the tick (`recordings_transcribe_due`), as the analysis of long recordings does; the state
then reads `done` (the turns are on the contact) or `failed` (with `transcript_error`).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from gezien.contacts import services as contacts
from gezien.contacts.models import Message, MessageKind
from gezien.core.errors import DomainError, Invalid, Unavailable
from gezien.phone.models import AnalysisState, Call, Recording, TranscriptState
from gezien.phone.recordings import LOST_AFTER, local_path
from gezien.voice import Segment, VoiceError, stt


@dataclass(frozen=True)
class Transcribed:
    recording: Recording
    messages: list[Message]  # the contact's turns from this recording, by start
    created: bool  # False: transcribed before, these are the turns kept then
    model: str  # the model that heard them ("" when kept from before)


logger = logging.getLogger(__name__)


@functools.cache
def stt_available() -> bool:
    """Whether the `stt` extra is installed in this process (installing it needs a restart anyway)."""
    return stt.missing() is None


def external_prefix(recording: Recording) -> str:
    return f"recording-{recording.pk}-turn-"


def transcribed_before(recording: Recording) -> list[Message]:
    return list(
        Message.objects.filter(
            contact_id=recording.contact_id,
            kind=MessageKind.TRANSCRIPT,
            external_id__startswith=external_prefix(recording),
        )
        .select_related("agent")
        .order_by("start_s", "pk")
    )


def _segments(recording: Recording) -> list[Segment] | None:
    """Where each side speaks, from the stored voice analysis (None: analysed again from the file)."""
    analysis = recording.analysis if recording.analysis_state == AnalysisState.DONE else None
    if not isinstance(analysis, dict) or not isinstance(analysis.get("segments"), list):
        return None
    try:
        return [
            Segment(s["side"], float(s["start_s"]), float(s["end_s"]))
            for s in analysis["segments"]
            if s.get("side") in ("agent", "customer")
        ]
    except (KeyError, TypeError, ValueError):
        return None


def _agent(recording: Recording, by: Any) -> Any:
    """Whose the agent's turns are: the contact's assigned agent, else the call's, else who asked."""
    contact = recording.contact
    if contact.assigned_agent is not None:
        return contact.assigned_agent
    call = Call.objects.select_related("agent").filter(contact=contact, agent__isnull=False).first()
    if call is not None:
        return call.agent
    if by is not None and getattr(by, "is_authenticated", False):
        return by
    raise Invalid(_("Dit gesprek heeft geen medewerker: wijs het contact eerst toe."), field="contact")


def _unavailable() -> Unavailable:
    return Unavailable(
        _("Spraak-naar-tekst is op deze server niet geïnstalleerd (pip install 'gezien[stt]').")
    )


def transcript_request(recording: Recording, *, by: Any = None) -> Transcribed | None:
    """Ask for `recording`'s transcript: the turns kept (`created` False) when it was transcribed before,
    else None and the recording's `transcript_state` is `pending` (the work is queued after the commit;
    asking again while it waits queues nothing more). `Unavailable` without the `stt` extra, `Invalid`
    when the call has no agent (checked now, not minutes later)."""
    kept = transcribed_before(recording)
    if kept or recording.transcript_state == TranscriptState.DONE:
        return Transcribed(recording, kept, created=False, model="")
    if stt.missing():
        raise _unavailable()
    _agent(recording, by)
    if recording.transcript_state != TranscriptState.PENDING:
        recording.transcript_state = TranscriptState.PENDING
        recording.transcript_error = ""
        recording.transcript_requested_at = timezone.now()
        recording.transcript_requested_by = by if getattr(by, "is_authenticated", False) else None
        with transaction.atomic():
            recording.save(
                update_fields=[
                    "transcript_state",
                    "transcript_error",
                    "transcript_requested_at",
                    "transcript_requested_by",
                ]
            )
            pk = recording.pk
            transaction.on_commit(lambda: _dispatch(pk))
    return None


def recording_transcribe_run(recording_id: int) -> str:
    """Transcribe one recording whose transcript was asked for and store the state. Returns the state,
    or "gone"."""
    recording = (
        Recording.objects.select_related("contact", "transcript_requested_by").filter(pk=recording_id).first()
    )
    if recording is None:
        return "gone"
    try:
        recording_transcribe(recording, by=recording.transcript_requested_by)
    except DomainError as exc:
        recording.transcript_state, recording.transcript_error = TranscriptState.FAILED, exc.message[:300]
    except Exception as exc:  # a failed transcription keeps the recording and says why
        logger.exception("transcription of recording %s failed", recording_id)
        recording.transcript_state, recording.transcript_error = TranscriptState.FAILED, str(exc)[:300]
    else:
        recording.transcript_state, recording.transcript_error = TranscriptState.DONE, ""
    recording.save(update_fields=["transcript_state", "transcript_error"])
    return str(recording.transcript_state)


@task()
def recording_transcribe_task(recording_id: int) -> str:
    """Transcribe one recording (run by `gezien worker`); a lost task is made good by the tick."""
    return recording_transcribe_run(recording_id)


def _dispatch(recording_id: int) -> None:
    """After the commit: to the task queue where a worker runs; else the tick does it (no request waits)."""
    if settings.GEZIEN_ANALYSIS_INLINE:
        return
    try:
        recording_transcribe_task.enqueue(recording_id)
    except Exception:
        logger.exception("Recording %s waits for the periodic job to be transcribed.", recording_id)


def recordings_transcribe_due(now: datetime, *, limit: int = 1) -> int:
    """The periodic job: transcribe recordings waiting for it (where no worker runs: every one; else
    those whose task was lost). Returns how many were done."""
    due = Recording.objects.filter(transcript_state=TranscriptState.PENDING)
    if not settings.GEZIEN_ANALYSIS_INLINE:
        due = due.filter(transcript_requested_at__lt=now - LOST_AFTER)
    ids = list(due.order_by("transcript_requested_at", "pk").values_list("pk", flat=True)[:limit])
    for recording_id in ids:
        recording_transcribe_run(recording_id)
    return len(ids)


def recording_transcribe(recording: Recording, *, by: Any = None, threads: int = 0) -> Transcribed:
    """Transcribe `recording` into its contact's transcript turns now (see the module; a request asks
    with `transcript_request`). `Unavailable` (503) without the `stt` extra; `Invalid` when the audio
    cannot be read or the call has no agent."""
    kept = transcribed_before(recording)
    if kept:
        return Transcribed(recording, kept, created=False, model="")
    if stt.missing():
        raise _unavailable()
    agent = _agent(recording, by)
    try:
        with local_path(recording) as path:
            transcript = stt.transcribe(
                path, recording.agent_channel, segments=_segments(recording), threads=threads
            )
    except VoiceError as exc:
        raise Invalid(
            _("De opname kon niet worden uitgeschreven: het geluid is niet leesbaar."), field="file"
        ) from exc
    except OSError as exc:
        raise Invalid(_("Het bestand van deze opname ontbreekt."), field="file") from exc
    prefix = external_prefix(recording)
    with transaction.atomic():
        messages = [
            contacts.message_add(
                contact=recording.contact,
                author=turn.side,
                kind=MessageKind.TRANSCRIPT,
                text=turn.text,
                agent=agent if turn.side == "agent" else None,
                start_s=round(turn.start_s, 2),
                end_s=round(turn.end_s, 2),
                external_id=f"{prefix}{number}",
            )
            for number, turn in enumerate(transcript.turns)
        ]
    return Transcribed(recording, messages, created=True, model=transcript.model)
