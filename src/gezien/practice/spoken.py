"""Spoken practice (issue 19): the agent's turn said into the microphone instead of typed, with the optional
`stt` extra (faster-whisper and Whisper base, on this machine: no audio leaves it, and none is kept).

The browser records the turn (MediaRecorder, WebM/Opus) and posts it; `spoken_text` checks the session
before any work (the agent's own, still open), the size (`MAX_BYTES`) and the length (`MAX_SECONDS`),
then transcribes it as one speaker in Dutch (`gezien.voice.stt.transcribe_mono`). `session_turn_spoken`
then takes the turn exactly as a typed one (`services.session_turn`). Without the extra both raise
`Unavailable` (503) with the install hint; audio that cannot be read, is too long, or holds no speech
is `Invalid` (422) and nothing is stored.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.core.errors import Conflict, Forbidden, Invalid, Unavailable
from gezien.practice import selectors, services
from gezien.practice.models import PracticeSession
from gezien.voice import VoiceError, stt

MAX_BYTES = 4 * 1024 * 1024  # a minute of the browser's Opus is some 250 kB; WAV at 16 kHz some 2 MB
MAX_SECONDS = 60.0  # one turn, not a speech


@dataclass(frozen=True)
class SpokenTurn:
    heard: str  # what the speech-to-text heard: the agent turn's text
    result: services.TurnResult


@functools.cache
def spoken_available() -> bool:
    """Whether the `stt` extra is installed in this process (installing it needs a restart anyway)."""
    return stt.missing() is None


def _unavailable() -> Unavailable:
    return Unavailable(
        _("Spraak-naar-tekst is op deze server niet geïnstalleerd (pip install 'gezien[stt]').")
    )


def too_big() -> Invalid:
    return Invalid(
        _("De opname is te groot (hoogstens %(mb)s MB).") % {"mb": MAX_BYTES // (1024 * 1024)}, field="file"
    )


def spoken_text(*, actor: User, session_id: int, audio: IO[bytes], size: int) -> str:
    """What the agent said in `audio` (`size` bytes) for their open session `session_id` (see the module)."""
    session = selectors.session_for(actor, session_id)
    if session.agent_id != actor.pk:
        raise Forbidden(_("Alleen wie oefent, kan in deze sessie praten."))
    if session.status != PracticeSession.Status.OPEN:
        raise Conflict(_("Dit gesprek is afgelopen: start een nieuwe poging."))
    if not spoken_available():
        raise _unavailable()
    if size <= 0:
        raise Invalid(_("De opname is leeg: spreek opnieuw in."), field="file")
    if size > MAX_BYTES:
        raise too_big()
    try:
        heard = stt.transcribe_mono(audio, max_seconds=MAX_SECONDS)
    except stt.TooLong as exc:
        raise Invalid(
            _("De opname is te lang voor één beurt (hoogstens %(s)d seconden).") % {"s": MAX_SECONDS},
            field="file",
        ) from exc
    except VoiceError as exc:
        raise Invalid(
            _("De opname kon niet worden gelezen: het geluid is niet bruikbaar."), field="file"
        ) from exc
    except stt.SttMissing as exc:
        raise _unavailable() from exc
    text = heard.text[: services.TEXT_CHARS]
    if not text:
        raise Invalid(_("In de opname is geen spraak verstaan: spreek opnieuw in of typ."), field="file")
    return text


def session_turn_spoken(*, actor: User, session_id: int, audio: IO[bytes], size: int) -> SpokenTurn:
    """The agent's spoken turn: transcribed, then taken as a typed turn (the customer's reply, feedback)."""
    heard = spoken_text(actor=actor, session_id=session_id, audio=audio, size=size)
    return SpokenTurn(heard, services.session_turn(actor=actor, session_id=session_id, text=heard))
