"""The conversation as the habit rules read it: its turns, the moments and scores they give, and the context.

`Turn`, `Moment` and `HabitScore` are the read's parts (`gezien.coaching.habits` re-exports `Turn`, its
documented interface); `Context` holds the turns with each one's analysis (read with its author's role) and
the voice analysis, and answers what the rules ask of a turn (how many words, how negative or angry, does it
bring a problem, the sentence that raised a signal, the turn at a time in the call). The small helpers every
habit rule shares (`short_quote`, `not_applicable`, `clamp`, `as_float`, `in_order`) live here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from gezien.analysis import Analysis, Analyzer, analyze
from gezien.analysis.result import NEGATIVE_EMOTIONS

Author = Literal["agent", "customer"]
HabitName = Literal[
    "uitpraten", "vragen", "rustig", "terugkoppelen", "collegas", "eerst_luisteren", "register"
]

QUOTE_MAX = 160
FEELING_AT = 0.35  # a customer's negative emotion this strong asks to be acknowledged
SUBSTANCE_WORDS = 8  # a customer turn with this many words tells something (not "ja", "dank u")

_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn of a conversation: who spoke or wrote, the words, and in a call its time (seconds)."""

    author: Author
    text: str
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True, slots=True)
class Moment:
    """One place in the conversation that shows a habit: the turn's index, its time in a call, the words."""

    turn: int | None
    at_s: float | None
    quote: str
    good: bool
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"turn": self.turn, "at_s": self.at_s, "quote": self.quote, "good": self.good, "why": self.why}


@dataclass(slots=True)
class HabitScore:
    """One habit's read: whether it applies, its score (0..100, None where not), how sure, the moments."""

    habit: HabitName
    applies: bool
    score: int | None
    certainty: float
    moments: list[Moment] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "habit": self.habit,
            "applies": self.applies,
            "score": self.score,
            "certainty": round(self.certainty, 2),
            "moments": [m.to_json() for m in self.moments],
        }


class Context:
    """The turns with their analyses (each turn read with its author's role), and the voice analysis."""

    def __init__(self, turns: list[Turn], voice: dict[str, Any], analyzer: Analyzer | None) -> None:
        self.turns = turns
        self.voice = voice
        run = analyzer.analyze if analyzer is not None else analyze
        self.analyses: list[Analysis] = [run(t.text, role=t.author) for t in turns]
        self.agent = [n for n, t in enumerate(turns) if t.author == "agent"]
        self.customer = [n for n, t in enumerate(turns) if t.author == "customer"]
        # What an agent's words would weigh as abuse (their own analysis reads acts and tone only).
        self._agent_abuse: dict[int, float] = {}
        self._run = run

    def words(self, n: int) -> int:
        return len(_WORD.findall(self.turns[n].text))

    def moment(self, n: int, good: bool, why: str, quote: str | None = None) -> Moment:
        text = quote if quote is not None else self.turns[n].text
        start = self.turns[n].start_s
        at_s = None if start is None else round(float(start), 2)
        return Moment(turn=n, at_s=at_s, quote=short_quote(text), good=good, why=why)

    def quote_of(self, n: int, signals: set[str]) -> str | None:
        """The sentence of turn `n` holding the words that raised one of `signals` (the first such
        evidence), if any: enough to recognise the moment, not the whole e-mail."""
        text = self.turns[n].text
        for e in self.analyses[n].evidence:
            if e.signal in signals:
                if text[e.start : e.end] != e.text:
                    return e.text
                start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, e.start)), default=0)
                after = _SENTENCE_END.search(text, e.end)
                return text[start : after.end() if after else len(text)].strip()
        return None

    def negative(self, n: int) -> float:
        a = self.analyses[n]
        return max((a.emotions[e] for e in NEGATIVE_EMOTIONS), default=0.0)

    def anger(self, n: int) -> float:
        a = self.analyses[n]
        return max(a.emotions["anger"], a.abuse)

    def agent_abuse(self, n: int) -> float:
        if n not in self._agent_abuse:
            self._agent_abuse[n] = self._run(self.turns[n].text, role="customer").abuse
        return self._agent_abuse[n]

    def troubled(self, n: int) -> bool:
        """A customer turn that shows a feeling to acknowledge: a negative emotion, a life event, abuse,
        or that they have contacted us before."""
        a = self.analyses[n]
        return self.negative(n) >= FEELING_AT or bool(a.life_events) or a.repeat >= 0.5 or a.abuse >= 0.3

    def problem(self, n: int) -> bool:
        """A customer turn that brings a problem (troubled, or clearly negative words), not a question."""
        return self.troubled(n) or (self.analyses[n].sentiment <= -0.5 and self.words(n) >= SUBSTANCE_WORDS)

    def substantive(self, n: int) -> bool:
        """A customer turn that tells something: long enough, or a feeling, or a life event."""
        a = self.analyses[n]
        return self.words(n) >= SUBSTANCE_WORDS or self.negative(n) >= FEELING_AT or bool(a.life_events)

    def thanks_only(self) -> bool:
        """The customer only thanks or confirms: no negative feeling and little said."""
        if not self.customer:
            return True
        total = sum(self.words(n) for n in self.customer)
        negative = max(self.negative(n) for n in self.customer)
        pleased = max(
            max(self.analyses[n].emotions["appreciation"], self.analyses[n].emotions["satisfaction"])
            for n in self.customer
        )
        return negative < 0.3 and (total < 12 or (pleased >= 0.5 and total < 25))

    def turn_at(self, at_s: float, side: Author | None = None) -> int | None:
        """The turn (of `side`) at a time in the call: the one holding it, else the one starting nearest."""
        timed = [
            n
            for n, t in enumerate(self.turns)
            if t.start_s is not None and (side is None or t.author == side)
        ]
        if not timed:
            return None
        for n in timed:
            t = self.turns[n]
            if t.start_s is not None and t.end_s is not None and t.start_s <= at_s <= t.end_s:
                return n
        return min(timed, key=lambda n: abs((self.turns[n].start_s or 0.0) - at_s))


def short_quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1].rstrip() + "…"


def not_applicable(habit: HabitName) -> HabitScore:
    return HabitScore(habit=habit, applies=False, score=None, certainty=0.0)


def clamp(value: float) -> int:
    return max(0, min(100, round(value)))


def as_float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def in_order(moments: list[Moment]) -> list[Moment]:
    """Moments in the conversation's order; the ones to improve first where they share a turn."""
    return sorted(moments, key=lambda m: (m.turn if m.turn is not None else 10**9, m.good))
