"""A call recording's speech as its contact's transcript turns (issue 18), with the optional `stt` extra.

`recording_transcribe` runs `gezien.voice.stt` on the recording (on this machine: no audio leaves it) and
adds each turn to the phone contact as a transcript turn: kind `transcript`, author `agent` or `customer`
by the channel it was said on, `start_s`/`end_s` its offsets. They are messages like any other, so the
analysis reads them (signals) and coaching reads their offsets. Each turn's `external_id` is
`recording-<id>-turn-<n>`: the same recording again returns the turns kept the first time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gezien.contacts import services as contacts
from gezien.contacts.models import Message, MessageKind
from gezien.core.errors import Invalid, Unavailable
from gezien.phone.models import AnalysisState, Call, Recording
from gezien.phone.recordings import local_path
from gezien.voice import Segment, VoiceError, stt


@dataclass(frozen=True)
class Transcribed:
    recording: Recording
    messages: list[Message]  # the contact's turns from this recording, by start
    created: bool  # False: transcribed before, these are the turns kept then
    model: str  # the model that heard them ("" when kept from before)


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


def recording_transcribe(recording: Recording, *, by: Any = None, threads: int = 0) -> Transcribed:
    """Transcribe `recording` into its contact's transcript turns (see the module). `Unavailable` (503)
    without the `stt` extra; `Invalid` when the audio cannot be read or the call has no agent."""
    kept = transcribed_before(recording)
    if kept:
        return Transcribed(recording, kept, created=False, model="")
    if stt.missing():
        raise Unavailable(
            _("Spraak-naar-tekst is op deze server niet geïnstalleerd (pip install 'gezien[stt]').")
        )
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
