"""What a contact needs from the agent who takes it, read from the desk's one picture of it (`Situation`).

Each rule is a small function from a `Situation` to a `Need` (or None): the skill, the least experience,
a short flag for the queue and a Dutch `why` that cites the signal and the customer's own words, so the
agent (and the team lead) can see why a contact went where it went. No queries of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gezien.assist.models import Protocol
from gezien.assist.situation import HIGH_ANGER_AT, Situation
from gezien.contacts.addressing import Cite
from gezien.contacts.vocabulary import label
from gezien.routing.models import Experience

SENSITIVE = "gevoelige_gesprekken"
COMPLAINTS = "klachten"
TECHNICAL = "techniek"
REPEAT_FROM = 3  # the third contact about one matter (this one included) wants a complaints handler
SENSITIVE_PROTOCOLS = (Protocol.BEREAVEMENT, Protocol.ILLNESS)
MAX_WORDS_CITED = 2
MAX_WORDS_CHARS = 80
JUNIOR, MEDIOR = int(Experience.JUNIOR), int(Experience.MEDIOR)
# Needs that make a contact heavy to handle: routing passes protected people by for these.
HEAVY_NEEDS = frozenset({"sensitive", "abuse", "anger"})


@dataclass(frozen=True)
class Need:
    code: str  # which rule: "sensitive", "abuse", "anger", "repeat"
    skill: str  # a Skill code
    experience: int  # the least Experience that will do
    flag: str  # a short Dutch label for the queue ("gevoelig")
    why: str  # Dutch, with the signal and the customer's words ("overlijden: 'overleden'")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    words = list(dict.fromkeys(" ".join(c.words.split()) for c in cites if c.words.strip()))
    return ", ".join(f"'{w[:MAX_WORDS_CHARS]}'" for w in words[:MAX_WORDS_CITED])


def _with_words(what: str, cites: Iterable[Cite]) -> str:
    words = quoted(cites)
    return f"{what}: {words}" if words else what


def sensitive_need(situation: Situation) -> Need | None:
    """A death, a serious illness or a hospital stay, in the customer's words or as a started protocol."""
    parts = [_with_words(label(event), situation.life_events[event]) for event in situation.sensitive_events]
    detected = set(situation.sensitive_events)
    for protocol in SENSITIVE_PROTOCOLS:
        if protocol in situation.protocols and protocol not in detected:
            parts.append(_("protocol %(name)s") % {"name": str(Protocol(protocol).label).lower()})
    if not parts:
        return None
    return Need("sensitive", SENSITIVE, JUNIOR, _("gevoelig"), "; ".join(parts))


def anger_need(situation: Situation) -> Need | None:
    """Strong anger wants someone who handles complaints."""
    peak = situation.peaks.get("anger")
    if peak is None or peak.score < HIGH_ANGER_AT:
        return None
    return Need("anger", COMPLAINTS, JUNIOR, _("boze klant"), _with_words(label("anger"), peak.cites))


def abuse_need(situation: Situation) -> Need | None:
    """Abuse now, or in an earlier contact of this customer: a complaints handler with experience."""
    parts = []
    now = bool(situation.abusive_messages) or Protocol.ABUSE in situation.protocols
    if situation.abusive_messages:
        parts.append(_with_words(label("abuse"), situation.abusive_messages))
    elif now:
        parts.append(_("protocol %(name)s") % {"name": str(Protocol.ABUSE.label).lower()})
    if situation.abuse_history:
        parts.append(
            ngettext(
                "eerder grof taalgebruik of een incident in %(n)d contact",
                "eerder grof taalgebruik of een incident in %(n)d contacten",
                situation.abuse_history,
            )
            % {"n": situation.abuse_history}
        )
    if not parts:
        return None
    flag = _("grof taalgebruik") if now else _("eerder grof")
    return Need("abuse", COMPLAINTS, MEDIOR, flag, "; ".join(parts))


def repeat_need(situation: Situation) -> Need | None:
    """The third (or later) contact about the same matter: a complaints handler with experience."""
    matter = situation.matter
    if matter is None or matter.count < REPEAT_FROM:
        return None
    days = matter.days(situation.now)
    what = ngettext(
        "%(n)de contact over %(reason)s in %(days)d dag",
        "%(n)de contact over %(reason)s in %(days)d dagen",
        days,
    ) % {"n": matter.count, "reason": matter.reason.name, "days": days}
    words = quoted(matter.claim)
    if words:
        what = _("%(what)s (klant: %(words)s)") % {"what": what, "words": words}
    return Need("repeat", COMPLAINTS, MEDIOR, _("herhaald contact"), what)


RULES: tuple[Callable[[Situation], Need | None], ...] = (sensitive_need, abuse_need, anger_need, repeat_need)


def contact_needs(situation: Situation) -> Needs:
    """Every need the rules find in `situation`, in the order the rules are listed."""
    return Needs(tuple(need for rule in RULES if (need := rule(situation)) is not None))
