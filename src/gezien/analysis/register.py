"""Register: formal ("u") or informal ("je"), "mixed" when a text switches, "unknown" without cues.

The form of address decides: pronouns and the verb forms that go with them ("kunt u", "kun je").
Greetings, sign-offs, slang and emoji only decide when a text addresses nobody, because customers who
write "u" still write "lol" or "groetjes" (CoCoA-MT's formal rewrites do too). A text is mixed when it
uses both forms of address, or when a strong formal frame ("Geachte", "Met vriendelijke groet") holds
an informal address.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from gezien.analysis.result import Register

# "jullie" is not among them: it addresses the company, whichever form the customer uses for a person.
PRONOUNS: Final = frozenset(
    {"u", "uw", "uwe", "uzelf", "je", "jij", "jou", "jouw", "jouwe", "jezelf", "jouzelf"}
)
MIXED_MIN: Final = 0.75  # both forms of address need at least this much weight (one clear pronoun)...
MIXED_RATIO: Final = 0.25  # ...and the weaker one a quarter of the stronger one
FRAME_MIN: Final = 1.0  # a formal frame this strong around an informal address makes the text mixed
STYLE_MIN: Final = 0.5  # without address, style decides only with this much weight ("hoor" alone does not)


def is_address(elements: tuple[str, ...]) -> bool:
    """Whether a register cue is a form of address (it contains a pronoun) rather than style."""
    return not PRONOUNS.isdisjoint(elements)


def decide_register(cues: Iterable[tuple[str, float, bool]]) -> Register:
    """`cues` are ("formal" | "informal", weight, is_address) found in one text."""
    sums = [0.0, 0.0, 0.0, 0.0]
    for kind, weight, is_addr in cues:
        sums[register_slot(kind, is_addr)] += weight
    return decide_sums(*sums)


def register_slot(kind: str, is_addr: bool) -> int:
    """Where a cue's weight is summed for `decide_sums`: formal and informal address, then style."""
    return (0 if kind == "formal" else 1) + (0 if is_addr else 2)


def decide_sums(formal: float, informal: float, formal_style: float, informal_style: float) -> Register:
    """The register from the summed weights of the cues of address and of style."""
    if formal or informal:
        if _both(formal, informal):
            return "mixed"
        if informal > formal and formal_style >= FRAME_MIN:
            return "mixed"
        return "formal" if formal > informal else "informal"
    if max(formal_style, informal_style) < STYLE_MIN:
        return "unknown"
    if _both(formal_style, informal_style):
        return "mixed"
    return "formal" if formal_style > informal_style else "informal"


def _both(a: float, b: float) -> bool:
    low, high = min(a, b), max(a, b)
    return low >= MIXED_MIN and low >= MIXED_RATIO * high
