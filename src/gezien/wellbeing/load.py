"""The emotional load of one handled contact, from what the customer said (their messages' signals).

    load = the strongest of: grof taalgebruik × 1.0, boosheid × 0.8, verdriet of stress × 0.7,
           teleurstelling × 0.5, and 0.6 when the customer told of a death, illness or hospital stay

each part read as the strongest score over the customer's messages in the contact (0..1). The strongest
part names why ("boosheid"), so the page can say in words what made a contact heavy. A contact is heavy
from the policy's `heavy_load_at` (0.6 by default: abuse from 0.6, anger from 0.75, or a life event);
it is abusive when abuse reaches 0.5, the analysis' own threshold (`assist.situation.PRESENT_AT`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from gezien.assist.situation import PRESENT_AT, SENSITIVE_EVENTS

WEIGHTS: dict[str, float] = {"abuse": 1.0, "anger": 0.8, "distress": 0.7, "disappointment": 0.5}
LIFE_EVENT_LOAD = 0.6
PART_NAMES = {
    "abuse": _("grof taalgebruik"),
    "anger": _("boosheid"),
    "distress": _("verdriet of stress"),
    "disappointment": _("teleurstelling"),
    "life_event": _("ingrijpende gebeurtenis"),
}


class SignalsRow(Protocol):
    abuse: float
    life_events: str
    data: Any


@dataclass(frozen=True)
class Load:
    load: float
    abuse: float = 0.0
    anger: float = 0.0
    distress: float = 0.0
    disappointment: float = 0.0
    life_event: str = ""
    analysed: int = 0

    @property
    def abusive(self) -> bool:
        return self.abuse >= PRESENT_AT

    @property
    def strongest(self) -> str:
        """The part that set the load ("" when nothing weighed)."""
        parts = {name: getattr(self, name) * weight for name, weight in WEIGHTS.items()}
        if self.life_event:
            parts["life_event"] = LIFE_EVENT_LOAD
        name, value = max(parts.items(), key=lambda item: item[1])
        return name if value > 0 else ""


def _score(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return min(1.0, max(0.0, number)) if number == number else 0.0  # NaN reads as nothing


def load_of(rows: Iterable[SignalsRow]) -> Load:
    """The load of a contact from its customer messages' signals (an empty list weighs nothing)."""
    abuse = anger = distress = disappointment = 0.0
    life_event = ""
    analysed = 0
    for row in rows:
        analysed += 1
        emotions = (row.data or {}).get("emotions", {}) if isinstance(row.data, dict) else {}
        abuse = max(abuse, _score(row.abuse))
        anger = max(anger, _score(emotions.get("anger")))
        distress = max(distress, _score(emotions.get("sadness")), _score(emotions.get("stress")))
        disappointment = max(disappointment, _score(emotions.get("disappointment")))
        if not life_event:
            life_event = next((e for e in SENSITIVE_EVENTS if e in (row.life_events or "").split()), "")
    weighted = [
        abuse * WEIGHTS["abuse"],
        anger * WEIGHTS["anger"],
        distress * WEIGHTS["distress"],
        disappointment * WEIGHTS["disappointment"],
        LIFE_EVENT_LOAD if life_event else 0.0,
    ]
    return Load(
        round(min(1.0, max(weighted)), 4), abuse, anger, distress, disappointment, life_event, analysed
    )
