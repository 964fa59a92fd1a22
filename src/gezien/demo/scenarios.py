"""Conversation scripts: the building blocks of demo contacts (pure Python, no Django).

A `Script` is one hand-written conversation for one channel and one customer register ("u" or "je").
Every turn has one or more phrasing variants; inside a variant `[a|b|c]` picks one alternative
(an empty alternative makes a phrase optional) and `{slot}` is filled from the contact's context
(see `SLOT_NAMES`). The generator picks a variant per turn, expands the alternatives and fills the
slots, so one script yields many different conversations.

The scripts themselves are data: `data/scripts/*.toml`, read and checked by `gezien.demo.content`.
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass

CUSTOMER = "customer"
AGENT = "agent"

CHANNELS: tuple[str, ...] = ("phone", "chat", "email", "webform")

# Every slot a script may use; the generator fills all of them for every contact.
SLOT_NAMES: frozenset[str] = frozenset(
    {
        # the agent handling the contact, and a colleague (the customer's previous agent when known)
        "agent", "agent_volledig", "collega",
        # "Goedemorgen" / "goedemorgen" by the time of day
        "dagdeel", "dagdeel_l",
        # the customer: "de Vries" after a first name, "De Vries" without, "mevrouw De Vries",
        # "meneer"/"mevrouw", "Geachte heer De Vries"
        "voornaam", "achternaam", "Achternaam", "naam", "aanspreek", "Aanspreek", "heer_mevrouw", "geachte",
        "postcode", "huisnummer", "stad", "klantnummer", "telefoon", "email",
        # the matter: order number, ordered product, phone model, amounts
        "order", "product", "toestel", "bedrag", "bedrag2", "pakket", "modem", "zender", "ticket",
        # time: last month, the weekday of a promised callback, a promised date, the previously promised
        # date, the first promised date, the previous and first contact, the order date
        "maand", "maand_overlijden", "dag", "datum", "vorige_datum", "eerste_datum", "vorige_contact",
        "eerste_contact",
        "besteldatum", "week", "dagen", "wachttijd",
        # life: late or ex partner, "man"/"vrouw", newborn, moving house
        "partner", "partner_rol", "kind", "nieuwe_stad", "verhuisdatum",
    }
)  # fmt: skip

# Date slots that a promise can be due on (see `Remember.due_slot`).
DATE_SLOTS: frozenset[str] = frozenset({"dag", "datum", "verhuisdatum"})
STYLES: tuple[str, ...] = ("good", "stiff", "loose", "blunt")


@dataclass(frozen=True)
class Turn:
    author: str  # CUSTOMER | AGENT
    variants: tuple[str, ...]
    interrupt: bool = False  # phone: this turn starts before the previous one has ended
    hold_s: float = 0.0  # phone: seconds of silence after this turn (caller on hold)


@dataclass(frozen=True)
class Remember:
    """A detail the agent records on the customer after this contact."""

    kind: str  # "preference" | "life_event" | "note" | "promise"
    text: str
    due_slot: str = ""  # promises: the date slot the promise is due on
    due_hour: int = 12


@dataclass(frozen=True)
class Script:
    key: str  # unique
    scenario: str  # scenario key, e.g. "widow_cancel"
    channel: str  # one of CHANNELS
    reason: str  # ReasonPlan.code
    register: str  # the customer's register: "u" | "je"
    subjects: tuple[str, ...]
    summaries: tuple[str, ...]
    turns: tuple[Turn, ...]
    notes: tuple[str, ...] = ()  # phone: agent call-note variants, used when no transcript is kept
    remember: tuple[Remember, ...] = ()
    style: str = "good"  # how the agent does: "good" | "stiff" | "loose" | "blunt"
    step: int = 0  # position in a repeat chain (1-based); 0 = not part of a chain
    life_event: bool = False  # the customer is going through something (death, illness, move, ...)
    gender: str = ""  # "f"/"m" when the text only fits one (a widow)


_ALTERNATIVES = re.compile(r"\[([^\[\]]*\|[^\[\]]*)\]")
_SPACES = re.compile(r"  +")
_LOOSE_PUNCTUATION = re.compile(r" ([,.])(?![.])")  # left behind by an empty alternative


def expand(text: str, rng: random.Random) -> str:
    """Pick one alternative from every `[a|b]` group."""
    expanded = _ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("|")), text)
    return _LOOSE_PUNCTUATION.sub(r"\1", _SPACES.sub(" ", expanded)).strip()


def render(variants: tuple[str, ...], rng: random.Random, slots: dict[str, str]) -> str:
    """Choose a variant, expand its alternatives and fill its slots."""
    return expand(rng.choice(variants), rng).format_map(slots)


def slots_used(text: str) -> set[str]:
    """The slot names a template refers to (used by tests to check every script)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def needs_email(s: Script) -> bool:
    """Whether the script mentions the customer's e-mail address (so the customer must have one)."""
    return any("{email}" in text for text in all_texts(s))


def all_texts(s: Script) -> list[str]:
    texts = [*s.subjects, *s.summaries, *s.notes, *(r.text for r in s.remember)]
    for turn in s.turns:
        texts.extend(turn.variants)
    return texts
