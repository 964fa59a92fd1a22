"""Where a churn cue's customer goes: leaving us, or coming to us or to one of our own products.

Churn is leaving us. `goes_to_us` reads the sentence of a churn cue for its destination ("overstappen naar
<our name>", "naar jullie", "overstappen op Internet Start": a prospect or a plan change, not churn);
`is_prospect` whether the writer is not our customer yet ("ik ben nog geen klant"). The scorer
(`Scorer._churn`) weighs the cues with these once the whole text is read. Compiled with the rest of the
rules layer (native.py).
"""

from __future__ import annotations

from typing import Final

from gezien.analysis.text import SENTENCE_END

# Churn is leaving us: a switch whose destination is us ("overstappen naar <our name>", "naar jullie")
# or one of our own products ("overstappen op Internet Start") is a prospect or a plan change.
DESTINATION: Final = frozenset({"naar", "op", "to"})
TO_US: Final = frozenset({"jullie", "you"})  # "overstappen naar jullie", "switch to you"
US: Final = frozenset({"u", "uw", "je", "jou", "jouw", "your"})  # a cue naming these is about leaving us
PROSPECT: Final = (
    "nog geen klant",
    "geen klant bij jullie",
    "klant worden",
    "klant bij jullie worden",
    "not a customer yet",
    "not yet a customer",
    "become a customer",
)
ARTICLES: Final = frozenset(
    {"de", "het", "een", "the", "a", "an", "jullie", "uw", "your", "ons", "onze", "our"}
)
RIVALS: Final = frozenset(
    {"concurrent", "concurrenten", "concurrentie", "competitor", "competitors", "competition"}
)
CHURN_DESTINATION_REACH: Final = 8  # words after a churn cue in which "naar X" still names its destination


def is_prospect(words: list[str]) -> bool:
    """The writer says they are not our customer yet ("ik ben nog geen klant", "klant worden")."""
    text = " " + " ".join(words) + " "
    return any(f" {marker} " in text for marker in PROSPECT)


def goes_to_us(words: list[str], first: int, end_token: int, own_names: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the sentence of a churn cue names us or our product as where the customer goes:
    "naar"/"op"/"to" (a few words after the cue, or just before it) followed by our name, one of
    our products, or "jullie"/"you"."""
    lo = first
    while lo > 0 and first - lo < CHURN_DESTINATION_REACH and words[lo - 1][0] not in SENTENCE_END:
        lo -= 1
    hi = min(len(words), end_token + CHURN_DESTINATION_REACH)
    for k in range(lo, hi):
        w = words[k]
        if w[0] in SENTENCE_END:
            if k >= end_token:
                break
            continue
        if w not in DESTINATION:
            continue
        j = k + 1
        if j < len(words) and words[j] in TO_US and w != "op":
            return j + 1 >= len(words) or words[j + 1] not in RIVALS  # not "naar jullie concurrent"
        while j < len(words) and words[j] in ARTICLES:
            j += 1
        if any(tuple(words[j : j + len(name)]) == name for name in own_names):
            return True
    return False
