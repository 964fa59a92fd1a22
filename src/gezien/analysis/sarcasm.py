"""Praise that reads as irony: which praise of a customer's text is sarcasm, and why (the evidence rule).

The scorer (scoring.py) asks `sarcasm` once per text with more than one content hit; it answers, by the
praise hit's first token, the rule suffix its evidence gets (`+sarcasm:marker=`, `+sarcasm:with=`,
`+sarcasm:fact=`), and turns those hits round (`Scorer._irony`). `negated_before` and `span` are the
helpers it reads the words with. Compiled with the rest of the rules layer (native.py).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Final

from gezien.analysis.cues import MODIFIER_REACH, POSITIVE_EMOTIONS, PUNCT, Hit
from gezien.analysis.text import SENTENCE_END, Tokens

# Sarcasm (see `sarcasm`): praise marked as irony, or opening a sentence whose failure follows it.
IRONY_AFTER: Final = frozenset({"hoor", "zeg", "joh", "hè", "he", "hoor!"})  # "geweldig hoor"
IRONY_BEFORE: Final = frozenset({"nou", "o", "oh", "ach", "jaja"})  # "nou fijn"
FAILURE_SIGNALS: Final = frozenset({"anger", "disappointment", "churn", "profanity", "abuse"})
FAILURE_REPEAT: Final = 0.5  # "alweer een storing" is a failure; "weer" alone is not
FAILURE_SENTIMENT: Final = -0.3  # "verkeerde", "geen internet"
THANKS: Final = ("bedank", "dank", "thank", "merci")  # thanks before a complaint is thanks, unless marked
SARCASM_OPENING: Final = 2  # praise within the first two words of its sentence opens it


def sarcasm(
    text: str, tokens: Tokens, content: list[Hit], negators: set[int], contrast: int, cue_tokens: set[int]
) -> dict[int, str]:
    """Praise that reads as irony, by its first token, with the reason for the evidence rule.

    Praise is ironic when the same or a neighbouring sentence tells a failure (anger,
    disappointment, a real repeat, churn, swearing, a negative phrase) and either
    - an irony marker stands beside it ("geweldig hoor", "nou fijn"): `+sarcasm:marker=hoor`;
    - it opens the sentence or clause whose failure follows it, with no "maar" between ("Top,
      alweer een storing."), unless it is thanks: `+sarcasm:fact=alweer een storing`;
    - a sarcastic set phrase is there ("bedankt voor niks", nl/sarcasm.tsv): `+sarcasm:with=...`.
    Praise in a sentence of its own with no failure near ("Super, bedankt! De storing is
    opgelost.") stays praise, and so does praise with "maar" before the failure."""
    words = tokens.words
    praise = [
        h
        for h in content
        if h[0].signal in POSITIVE_EMOTIONS or (h[0].signal == "sentiment" and h[0].weight > 0)
    ]
    if not praise:  # the common case: decided without looking at negation or sentences
        return {}
    failures = [
        h
        for h in content
        if h[0].signal in FAILURE_SIGNALS
        or (h[0].signal == "repeat" and h[0].weight >= FAILURE_REPEAT)
        or (h[0].signal == "sentiment" and h[0].weight <= FAILURE_SENTIMENT)
    ]  # what went wrong (the fact sarcasm mocks): inlined, this runs for most messages
    if len(praise) == len(content) or not (failures or negators):
        return {}
    negated = [bool(negators) and negated_before(words, h, negators, cue_tokens) for h in praise]
    failures += [h for h, no in zip(praise, negated, strict=True) if no]  # "niet tevreden" fails too
    praise = [h for h, no in zip(praise, negated, strict=True) if not no]
    if not failures or not praise:
        return {}
    stops = [k for k, w in enumerate(words) if w[0] in SENTENCE_END]  # sentence i ends at stops[i]
    pauses = [k for k, w in enumerate(words) if w[0] in SENTENCE_END or w == ","]

    def sentence(t: int) -> int:
        return bisect_left(stops, t)

    def clause(t: int) -> int:  # where the clause of token t opens
        i = bisect_left(pauses, t)
        return pauses[i - 1] + 1 if i else 0

    phrases = [h for h in content if "/sarcasm:" in h[0].rule]
    found: dict[int, str] = {}
    for hit in praise:
        here = sentence(hit[1])
        near = [f for f in failures if abs(sentence(f[1]) - here) <= 1]
        if not near:
            continue
        after = words[hit[2]] if hit[2] < len(words) else ""
        before = words[hit[1] - 1] if hit[1] > 0 else ""
        first = hit[1] - clause(hit[1]) < SARCASM_OPENING
        later = [
            f for f in near if sentence(f[1]) == here and f[1] >= hit[2] and not hit[1] < contrast <= f[1]
        ]
        with_ = [p for p in phrases if abs(sentence(p[1]) - here) <= 1 and p is not hit]
        if after in IRONY_AFTER or before in IRONY_BEFORE:
            found[hit[1]] = f"+sarcasm:marker={after if after in IRONY_AFTER else before}"
        elif with_:
            found[hit[1]] = f"+sarcasm:with={span(text, tokens, with_[0])}"
        elif first and later and not hit[0].elements[0].startswith(THANKS):
            found[hit[1]] = f"+sarcasm:fact={span(text, tokens, later[0])}"
    return found


def span(text: str, tokens: Tokens, hit: Hit) -> str:
    return text[tokens.starts[hit[1]] : tokens.ends[hit[2] - 1]]


def negated_before(words: list[str], hit: Hit, negators: set[int], cue_tokens: set[int]) -> bool:
    """A negator before `hit` in its clause, as `_content` reads it."""
    for k in range(hit[1] - 1, max(-1, hit[1] - 1 - MODIFIER_REACH), -1):
        if words[k][0] in PUNCT or k in cue_tokens:
            return False
        if k in negators:
            return True
    return False
