"""What a contact needs from the agent who takes it, read from the desk's one picture of it (`Situation`).

Each rule is a small function from a `Situation` to a `Need` (or None): the skill, the least experience,
a short flag for the queue and the reasons (`reasons.Reason`: the signal and the customer's own words, a
protocol, earlier abuse, a repeat), kept as data and worded when read, so the agent (and the team lead)
can see why a contact went where it went, in their own language. No queries of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from gezien.assist.models import Protocol
from gezien.assist.situation import HIGH_ANGER_AT, Situation
from gezien.contacts.addressing import Cite
from gezien.routing.models import Experience
from gezien.routing.reasons import (
    ABUSE_HISTORY,
    PROTOCOL,
    REPEAT,
    SIGNAL,
    Reason,
    reasons_text,
    words_of,
)
from gezien.routing.reasons import quoted as _quoted

SENSITIVE = "gevoelige_gesprekken"
COMPLAINTS = "klachten"
TECHNICAL = "techniek"
REPEAT_FROM = 3  # the third contact about one matter (this one included) wants a complaints handler
SENSITIVE_PROTOCOLS = (Protocol.BEREAVEMENT, Protocol.ILLNESS)
JUNIOR, MEDIOR = int(Experience.JUNIOR), int(Experience.MEDIOR)
# Needs that make a contact heavy to handle: routing passes protected people by for these.
HEAVY_NEEDS = frozenset({"sensitive", "abuse", "anger"})


@dataclass(frozen=True)
class Need:
    code: str  # which rule: "sensitive", "abuse", "anger", "repeat"
    skill: str  # a Skill code
    experience: int  # the least Experience that will do
    flag: str  # a short Dutch label for the queue ("gevoelig"), its own message id
    reasons: tuple[Reason, ...]  # why, as data: [{"code": "signal", "params": {...}}, ...]

    @property
    def why(self) -> str:
        """The reasons worded in the active language ("overlijden: 'overleden'")."""
        return reasons_text(self.reasons)

    def as_dict(self) -> dict[str, Any]:
        """What `RoutingDecision.needs` keeps of it."""
        return {
            "code": self.code,
            "skill": self.skill,
            "experience": self.experience,
            "flag": self.flag,
            "reasons": [{"code": r["code"], "params": dict(r["params"])} for r in self.reasons],
        }


@dataclass(frozen=True)
class Needs:
    """All needs of one contact together: every skill, the most experience any of them asks."""

    items: tuple[Need, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def skills(self) -> list[str]:
        return sorted({n.skill for n in self.items})

    @property
    def experience(self) -> int:
        return max((n.experience for n in self.items), default=JUNIOR)

    @property
    def flags(self) -> list[str]:
        return list(dict.fromkeys(n.flag for n in self.items))

    @property
    def why(self) -> str:
        return "; ".join(n.why for n in self.items)

    @property
    def heavy(self) -> bool:
        """Emotionally heavy for the agent: abuse, strong anger or grief (wellbeing protects people)."""
        return any(n.code in HEAVY_NEEDS for n in self.items)


def quoted(cites: Iterable[Cite]) -> str:
    """The customer's words behind a signal, as the desk quotes them: 'overleden', 'begrafenis'."""
    return _quoted(words_of(cites))


def _signal(signal: str, cites: Iterable[Cite]) -> Reason:
    return {"code": SIGNAL, "params": {"signal": signal, "words": words_of(cites)}}


def _protocol(protocol: str) -> Reason:
    return {"code": PROTOCOL, "params": {"protocol": str(protocol)}}


def sensitive_need(situation: Situation) -> Need | None:
    """A death, a serious illness or a hospital stay, in the customer's words or as a started protocol."""
    reasons = [_signal(event, situation.life_events[event]) for event in situation.sensitive_events]
    detected = set(situation.sensitive_events)
    for protocol in SENSITIVE_PROTOCOLS:
        if protocol in situation.protocols and protocol not in detected:
            reasons.append(_protocol(protocol))
    if not reasons:
        return None
    return Need("sensitive", SENSITIVE, JUNIOR, _("gevoelig"), tuple(reasons))


def anger_need(situation: Situation) -> Need | None:
    """Strong anger wants someone who handles complaints."""
    peak = situation.peaks.get("anger")
    if peak is None or peak.score < HIGH_ANGER_AT:
        return None
    return Need("anger", COMPLAINTS, JUNIOR, _("boze klant"), (_signal("anger", peak.cites),))


def abuse_need(situation: Situation) -> Need | None:
    """Abuse now, or in an earlier contact of this customer: a complaints handler with experience."""
    reasons: list[Reason] = []
    now = bool(situation.abusive_messages) or Protocol.ABUSE in situation.protocols
    if situation.abusive_messages:
        reasons.append(_signal("abuse", situation.abusive_messages))
    elif now:
        reasons.append(_protocol(Protocol.ABUSE))
    if situation.abuse_history:
        reasons.append({"code": ABUSE_HISTORY, "params": {"n": situation.abuse_history}})
    if not reasons:
        return None
    flag = _("grof taalgebruik") if now else _("eerder grof")
    return Need("abuse", COMPLAINTS, MEDIOR, flag, tuple(reasons))


def repeat_need(situation: Situation) -> Need | None:
    """The third (or later) contact about the same matter: a complaints handler with experience."""
    matter = situation.matter
    if matter is None or matter.count < REPEAT_FROM:
        return None
    params = {
        "n": matter.count,
        "reason": matter.reason.name,
        "days": matter.days(situation.now),
        "words": words_of(matter.claim),
    }
    return Need("repeat", COMPLAINTS, MEDIOR, _("herhaald contact"), ({"code": REPEAT, "params": params},))


RULES: tuple[Callable[[Situation], Need | None], ...] = (sensitive_need, abuse_need, anger_need, repeat_need)


def contact_needs(situation: Situation) -> Needs:
    """Every need the rules find in `situation`, in the order the rules are listed."""
    return Needs(tuple(need for rule in RULES if (need := rule(situation)) is not None))
