"""Corrections of message signals by the people who read the messages ("niet boos", "wel teleurgesteld").

Each person has one say per signal and message; saying it again updates it. `gezien analysis train`
turns them into labelled examples (`corrections_as_examples`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from gezien.contacts.models import Author, Message, SignalCorrection
from gezien.contacts.services import clean_text
from gezien.contacts.vocabulary import CORRECTABLE
from gezien.core.errors import Invalid

if TYPE_CHECKING:
    from gezien.accounts.models import User

NOTE_CHARS = 300


@dataclass(frozen=True)
class CorrectionResult:
    correction: SignalCorrection
    created: bool


@transaction.atomic
def signal_correct(
    *, message: Message, signal: str, value: bool, actor: User, note: str = ""
) -> CorrectionResult:
    """Record that `signal` is (`value` True) or is not (False) in `message`, in `actor`'s judgement."""
    if not isinstance(signal, str) or signal not in CORRECTABLE:
        raise Invalid(
            _("Onbekend signaal: %(s)s. Kies uit: %(all)s")
            % {"s": str(signal)[:30], "all": ", ".join(CORRECTABLE)},
            field="signal",
        )
    if message.author == Author.SYSTEM:
        raise Invalid(_("Systeemberichten hebben geen signalen."), field="message")
    note = clean_text(note, field="note", allow_empty=True).strip()
    if len(note) > NOTE_CHARS:
        raise Invalid(_("Een toelichting is hooguit %(n)d tekens.") % {"n": NOTE_CHARS}, field="note")
    correction, created = SignalCorrection.objects.update_or_create(
        message=message, signal=signal, corrected_by=actor, defaults={"value": bool(value), "note": note}
    )
    return CorrectionResult(correction, created)


def corrections_for(message: Message) -> list[SignalCorrection]:
    return list(message.signal_corrections.select_related("corrected_by").order_by("signal", "-updated_at"))


@dataclass(frozen=True)
class CorrectedSignal:
    """What the people who corrected a message agree on for one signal (the majority; a tie goes to
    the latest say)."""

    message_id: int
    text: str
    role: str
    signal: str
    value: bool
    votes: int


def corrections_as_examples() -> list[CorrectedSignal]:
    """Every corrected (message, signal) once, with the verdict of those who corrected it."""
    rows = (
        SignalCorrection.objects.select_related("message")
        .only("signal", "value", "updated_at", "message__text", "message__author")
        .order_by("message_id", "signal", "updated_at", "id")
    )
    votes: dict[tuple[int, str], list[SignalCorrection]] = defaultdict(list)
    for row in rows:
        votes[(row.message_id, row.signal)].append(row)
    found = []
    for (message_id, signal), says in votes.items():
        yes = sum(1 for s in says if s.value)
        no = len(says) - yes
        verdict = says[-1].value if yes == no else yes > no
        message = says[0].message
        role = "agent" if message.author == Author.AGENT else "customer"
        found.append(CorrectedSignal(message_id, message.text, role, signal, verdict, len(says)))
    return found
