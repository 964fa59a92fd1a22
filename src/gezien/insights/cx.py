"""Emotion-based customer experience (R13): how distressed a customer was when they came, at worst, and
when they left, read from the signals of their own words.

Distress of one message is its strongest negative emotion (`NEGATIVE_EMOTIONS`: anger, stress, haste,
disappointment, sadness) or its abuse, whichever is higher, 0..1. Over a contact's customer messages
(author and role customer, kinds message and transcript, in the order sent): start = the first, peak =
the highest, end = the last, and gain = start − end (> 0: the customer left calmer than they came). The
arc ends with the customer's last message: a contact whose last customer message is still upset
(end ≥ NEGATIVE_AT: angry, abusive) never counts or reads as "rustiger vertrokken", however upset the
customer was at first. A contact without analysed customer words has no emotion figures (None), never 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gezien.analysis.result import NEGATIVE_EMOTIONS
from gezien.contacts.models import Author, Contact, Message, MessageKind, MessageSignals
from gezien.contacts.selectors import loaded_signals
from gezien.insights.facts import fact_contributor

NEGATIVE_AT = 0.5  # the peak distress from which a contact counts as negative
PRESENT_AT = 0.5  # churn and abuse scores from which they count (the analysis' own threshold)
CALMER_BY = 0.1  # the gain from which a contact counts as "calmer" (as the rollups count it)
_CUSTOMER_KINDS = (MessageKind.MESSAGE, MessageKind.TRANSCRIPT)


def distress(emotions: Mapping[str, Any] | None) -> float:
    """The strongest negative emotion in a stored `emotions` mapping (0 when there is none)."""
    if not emotions:
        return 0.0
    scores = [float(emotions.get(name) or 0.0) for name in NEGATIVE_EMOTIONS]
    return max(0.0, min(1.0, max(scores)))


@dataclass
class EmotionArc:
    """The customer's distress per message of one contact, and the figures drawn from it."""

    points: list[tuple[int, datetime, float]] = field(default_factory=list)  # (message id, sent, distress)
    churn: float = 0.0
    abuse: float = 0.0

    @property
    def start(self) -> float | None:
        return self.points[0][2] if self.points else None

    @property
    def peak(self) -> float | None:
        return max(p[2] for p in self.points) if self.points else None

    @property
    def end(self) -> float | None:
        return self.points[-1][2] if self.points else None

    @property
    def gain(self) -> float | None:
        if not self.points:
            return None
        return self.points[0][2] - self.points[-1][2]

    @property
    def reading(self) -> str:
        return gain_reading(self.gain, self.end)

    def columns(self) -> dict[str, Any]:
        peak = self.peak
        return {
            "customer_messages": len(self.points),
            "emotion_start": self.start,
            "emotion_peak": peak,
            "emotion_end": self.end,
            "emotion_gain": self.gain,
            "negative": peak is not None and peak >= NEGATIVE_AT,
            "churn": self.churn,
            "abuse": self.abuse >= PRESENT_AT,
        }


def emotion_arcs(contact_ids: Iterable[int]) -> dict[int, EmotionArc]:
    """The emotion arc of each contact (one query for all of them); contacts without analysed customer
    words are missing from the answer."""
    ids = list(contact_ids)
    arcs: dict[int, EmotionArc] = {}
    if not ids:
        return arcs
    rows = (
        MessageSignals.objects.filter(
            message__contact_id__in=ids,
            role="customer",
            message__author=Author.CUSTOMER,
            message__kind__in=_CUSTOMER_KINDS,
        )
        .order_by("message__sent_at", "message_id")
        .values_list(
            "message__contact_id", "message_id", "message__sent_at", "data__emotions", "churn", "abuse"
        )
    )
    for contact_id, message_id, sent_at, emotions, churn, abuse in rows:
        arc = arcs.setdefault(contact_id, EmotionArc())
        upset = distress(emotions if isinstance(emotions, dict) else None)
        arc.points.append((message_id, sent_at, max(upset, min(1.0, float(abuse or 0.0)))))
        arc.churn = max(arc.churn, float(churn or 0.0))
        arc.abuse = max(arc.abuse, float(abuse or 0.0))
    return arcs


def arc_of_messages(messages: Iterable[Message]) -> EmotionArc:
    """The arc of one contact from its messages as already loaded with their signals (the contact
    page's thread): no query of its own."""
    arc = EmotionArc()
    ordered = sorted(messages, key=lambda m: (m.sent_at, m.pk))
    for message in ordered:
        if message.author != Author.CUSTOMER or message.kind not in _CUSTOMER_KINDS:
            continue
        signals = loaded_signals(message)
        if signals is None or signals.role != "customer":
            continue
        emotions = signals.data.get("emotions") if isinstance(signals.data, dict) else None
        arc.points.append((message.pk, message.sent_at, max(distress(emotions), min(1.0, signals.abuse))))
        arc.churn = max(arc.churn, signals.churn)
        arc.abuse = max(arc.abuse, signals.abuse)
    return arc


_EMPTY = EmotionArc().columns()


@fact_contributor
def emotion_facts(contacts: Sequence[Contact], now: datetime) -> dict[int, dict[str, Any]]:
    """The emotion columns of ContactFact for a batch of contacts (one query)."""
    arcs = emotion_arcs(c.pk for c in contacts)
    return {c.pk: arcs[c.pk].columns() if c.pk in arcs else dict(_EMPTY) for c in contacts}


def left_calmer(gain: float | None, end: float | None) -> bool:
    """Whether the customer left calmer than they came: a gain, and a last message no longer upset."""
    return gain is not None and gain > CALMER_BY and (end is None or end < NEGATIVE_AT)


def gain_reading(gain: float | None, end: float | None = None) -> str:
    """Plain Dutch for a contact's gain: calmer, the same, or more upset than they came; still upset
    when the customer's last message is (`end`), however upset they came."""
    from django.utils.translation import gettext as _

    if gain is None:
        return _("geen klantberichten geanalyseerd")
    if left_calmer(gain, end):
        return _("rustiger vertrokken")
    if end is not None and end >= NEGATIVE_AT and gain >= -CALMER_BY:
        return _("nog van streek vertrokken")
    if gain < -CALMER_BY:
        return _("onrustiger vertrokken")
    return _("even rustig vertrokken")
