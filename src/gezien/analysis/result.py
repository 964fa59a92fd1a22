"""What an analysis returns: signals plus the evidence that caused them.

Plain data, no behaviour beyond conversion: the desk stores `Analysis.to_dict()` with each message and
the API returns it as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal, NamedTuple

Lang = Literal["nl", "en"]
Role = Literal["customer", "agent"]
Register = Literal["formal", "informal", "mixed", "unknown"]

EMOTIONS: Final[tuple[str, ...]] = (
    "anger",
    "stress",
    "haste",
    "disappointment",
    "sadness",
    "reassurance",
    "trust",
    "appreciation",
    "satisfaction",
)
NEGATIVE_EMOTIONS: Final = frozenset({"anger", "stress", "haste", "disappointment", "sadness"})
LIFE_EVENTS: Final[tuple[str, ...]] = (
    "bereavement",
    "illness",
    "hospital",
    "divorce",
    "job_loss",
    "financial_hardship",
    "moving",
    "birth",
)
ACTS: Final[tuple[str, ...]] = (
    "greeting",
    "acknowledgement",
    "paraphrase",
    "open_question",
    "closed_question",
    "apology",
    "signposting",
    "data_request",
    "solution",
    "promise",
    "closing",
    "upsell",
)
SCALAR_SIGNALS: Final[tuple[str, ...]] = ("abuse", "churn", "repeat")
# All that an agent's text yields: its acts and its tone (register cues, shouting).
AGENT_EVIDENCE: Final = frozenset({*ACTS, "formal", "informal", "model:formal", "model:informal", "shouting"})


class Evidence(NamedTuple):
    """One piece of evidence: `text[start:end]` made `rule` raise `signal`.

    `signal` is an emotion, a life event, an act, "abuse", "churn", "repeat", "positive"/"negative"
    (sentiment words), "formal"/"informal" (register cues), or "model:<signal>" for the learned layer
    (whose span is the whole text).
    """

    signal: str
    start: int
    end: int
    text: str
    rule: str


@dataclass(slots=True, init=False)
class Analysis:
    """The signals of one text. Scores are 0..1, sentiment -1..1.

    `__init__` is written out rather than generated: compiled (native.py), a dataclass's generated one
    would still run as Python, about 2 µs of each analysis. It takes the fields in the same order with
    the same defaults (an empty evidence list, the rules layer), so `dataclasses.replace` works as
    before."""

    text: str
    lang: Lang
    role: Role
    register: Register
    emotions: dict[str, float]
    sentiment: float
    abuse: float
    life_events: frozenset[str]
    churn: float
    repeat: float
    acts: frozenset[str]
    evidence: list[Evidence] = field(default_factory=list)
    layers: tuple[str, ...] = ("rules",)

    def __init__(
        self,
        text: str,
        lang: Lang,
        role: Role,
        register: Register,
        emotions: dict[str, float],
        sentiment: float,
        abuse: float,
        life_events: frozenset[str],
        churn: float,
        repeat: float,
        acts: frozenset[str],
        evidence: list[Evidence] | None = None,
        layers: tuple[str, ...] = ("rules",),
    ) -> None:
        self.text, self.lang, self.role, self.register = text, lang, role, register
        self.emotions, self.sentiment, self.abuse, self.life_events = emotions, sentiment, abuse, life_events
        self.churn, self.repeat, self.acts = churn, repeat, acts
        self.evidence = [] if evidence is None else evidence
        self.layers = layers

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (without the text itself), as stored with a message."""
        return {
            "lang": self.lang,
            "role": self.role,
            "register": self.register,
            "emotions": {k: round(v, 4) for k, v in self.emotions.items()},
            "sentiment": round(self.sentiment, 4),
            "abuse": round(self.abuse, 4),
            "life_events": sorted(self.life_events),
            "churn": round(self.churn, 4),
            "repeat": round(self.repeat, 4),
            "acts": sorted(self.acts),
            "evidence": [list(e) for e in self.evidence],
            "layers": list(self.layers),
        }

    def top_emotion(self, threshold: float = 0.5) -> str | None:
        """The strongest emotion at or above `threshold`, or None."""
        name, score = max(self.emotions.items(), key=lambda kv: kv[1])
        return name if score >= threshold else None


@dataclass(slots=True)
class Conversation:
    """Signals over a whole conversation (the customer's turns unless said otherwise)."""

    turns: list[Analysis]
    emotion_start: dict[str, float]
    emotion_peak: dict[str, float]
    emotion_end: dict[str, float]
    register: Register
    agent_register: Register
    register_mismatch: bool
    interruptions: list[tuple[int, float]]  # (index of the agent turn, seconds of overlap)

    def to_dict(self) -> dict[str, Any]:
        return {
            "emotion_start": self.emotion_start,
            "emotion_peak": self.emotion_peak,
            "emotion_end": self.emotion_end,
            "register": self.register,
            "agent_register": self.agent_register,
            "register_mismatch": self.register_mismatch,
            "interruptions": [list(i) for i in self.interruptions],
        }


def agent_only(result: Analysis) -> Analysis:
    """`result` as an agent's text is read: acts and tone (register, shouting) kept, every customer
    signal (emotions, sentiment, abuse, churn, repeat, life events) empty, whatever raised it."""
    return replace(
        result,
        emotions=dict.fromkeys(EMOTIONS, 0.0),
        sentiment=0.0,
        abuse=0.0,
        churn=0.0,
        repeat=0.0,
        life_events=frozenset(),
        evidence=[e for e in result.evidence if e.signal in AGENT_EVIDENCE],
    )
