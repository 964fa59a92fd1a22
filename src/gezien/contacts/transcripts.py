"""Parse a pasted call transcript into turns with speaker and offsets.

Accepted lines (one turn each; a line without a speaker continues the previous turn):
    [00:03-00:11] Klant: Goedemorgen, ik bel over mijn factuur.
    [12.5-15] Medewerker: Dat zoek ik voor u op.
    Klant: zonder tijden mag ook
Speakers: klant/customer/k, medewerker/agent/m/mw.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from gezien.contacts.services import TranscriptTurn
from gezien.core.errors import Invalid

_SPEAKERS = {
    "klant": "customer",
    "customer": "customer",
    "k": "customer",
    "beller": "customer",
    "medewerker": "agent",
    "agent": "agent",
    "m": "agent",
    "mw": "agent",
}
_LINE = re.compile(
    r"^\s*(?:\[\s*(?P<start>[0-9:.]+)\s*[-–]\s*(?P<end>[0-9:.]+)\s*\]\s*)?"
    r"(?P<speaker>[A-Za-z]+)\s*:\s*(?P<text>.*)$"
)


def _seconds(value: str) -> float:
    parts = value.split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError as exc:
        raise Invalid(
            _("Onleesbare tijd in transcript: %(v)s") % {"v": value[:12]}, field="transcript"
        ) from exc
    total = 0.0
    for number in numbers:
        total = total * 60 + number
    return total


def parse_transcript(text: str) -> list[TranscriptTurn]:
    turns: list[TranscriptTurn] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        speaker = _SPEAKERS.get(match.group("speaker").lower()) if match else None
        if match is None or speaker is None:
            if not turns:
                raise Invalid(
                    _("Regel %(n)d: begin met 'Klant:' of 'Medewerker:'.") % {"n": number}, field="transcript"
                )
            last = turns[-1]
            turns[-1] = TranscriptTurn(last.author, f"{last.text}\n{line.strip()}", last.start_s, last.end_s)
            continue
        start = _seconds(match.group("start")) if match.group("start") else None
        end = _seconds(match.group("end")) if match.group("end") else None
        if start is not None and end is not None and end < start:
            raise Invalid(
                _("Regel %(n)d: het einde ligt voor het begin.") % {"n": number}, field="transcript"
            )
        turns.append(TranscriptTurn(speaker, match.group("text").strip(), start, end))
    if not turns:
        raise Invalid(_("Het transcript is leeg."), field="transcript")
    return [t for t in turns if t.text.strip()]
