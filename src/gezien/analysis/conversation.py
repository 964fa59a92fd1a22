"""Signals over a conversation: how the customer's emotions moved, registers, interruptions."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, NamedTuple

from gezien.analysis.result import EMOTIONS, Analysis, Conversation, Register

if TYPE_CHECKING:
    from gezien.analysis import Analyzer

ROLES = ("customer", "agent")


class Turn(NamedTuple):
    role: str
    text: str
    start_s: float | None = None
    end_s: float | None = None


def analyze_turns(turns: list[Turn], analyzer: Analyzer) -> Conversation:
    """Analyse each turn with its role; emotion start/peak/end follow the customer's turns."""
    for n, turn in enumerate(turns):
        if turn.role not in ROLES:
            raise ValueError(f"turn {n}: role must be 'customer' or 'agent', not {turn.role!r}")
        if not isinstance(turn.text, str):
            raise TypeError(f"turn {n}: text must be a str")
    by_role: dict[str, list[int]] = {
        role: [n for n, t in enumerate(turns) if t.role == role] for role in ROLES
    }
    results: list[Analysis | None] = [None] * len(turns)
    for role, indexes in by_role.items():
        analysed = analyzer.analyze_many([turns[n].text for n in indexes], role=role)  # type: ignore[arg-type]
        for n, analysis in zip(indexes, analysed, strict=True):
            results[n] = analysis
    done = [r for r in results if r is not None]
    customer = [done[n] for n in by_role["customer"]]
    agent = [done[n] for n in by_role["agent"]]
    register, agent_register = _overall(customer), _overall(agent)
    return Conversation(
        turns=done,
        emotion_start=dict(customer[0].emotions) if customer else _zero(),
        emotion_peak={e: max((a.emotions[e] for a in customer), default=0.0) for e in EMOTIONS},
        emotion_end=dict(customer[-1].emotions) if customer else _zero(),
        register=register,
        agent_register=agent_register,
        register_mismatch={register, agent_register} == {"formal", "informal"},
        interruptions=_interruptions(turns),
    )


def _zero() -> dict[str, float]:
    return dict.fromkeys(EMOTIONS, 0.0)


def _overall(analyses: list[Analysis]) -> Register:
    """The register a speaker used: the one of their turns, "mixed" if they used both."""
    seen = Counter(a.register for a in analyses if a.register != "unknown")
    if not seen:
        return "unknown"
    if "mixed" in seen or len(seen) > 1:
        return "mixed"
    return next(iter(seen))


def _interruptions(turns: list[Turn]) -> list[tuple[int, float]]:
    """Agent turns that start before the customer's previous turn ended: (index, seconds of overlap)."""
    found = []
    last_customer_end: float | None = None
    for n, turn in enumerate(turns):
        if turn.role == "customer":
            last_customer_end = turn.end_s
        elif turn.start_s is not None and last_customer_end is not None and turn.start_s < last_customer_end:
            found.append((n, round(last_customer_end - turn.start_s, 3)))
    return found
