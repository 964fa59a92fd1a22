"""The simulated customer: a small state machine per scenario, driven by the analysis of the agent's words.

One number carries the customer's mood, the tension (0 calm .. 100 furious). Each agent turn is read with
`gezien.analysis` (its acts as an agent's turn; read as a customer's text only to see abuse, which an
agent-role reading never yields) and the scenario's own words, and gets one reaction:

- abuse aimed at the customer ends the conversation (`abused`);
- before the customer feels heard: an acknowledgement (for a `strict` scenario only its `calm_words`,
  the widow's condolence) calms (`acknowledged`); asking for data or saying what angers this customer
  angers (`data_first`); a solution or question that skips the feelings angers less (`skipped`); a
  general acknowledgement where the scenario needs its own words calms a little (`partly`);
- once heard: a solution or promise moves on (`progress`) and ends the conversation content
  (`resolved`) when the customer is calm enough; what angers this customer still angers (`angered`);
- speaking u to a customer who says je, or je to one who says u, adds tension and a line of feedback;
- a tension of 100 ends the conversation (`hung_up`).

A customer who starts calm (tension under 40) needs no acknowledgement first. The reply is the
scenario's next line for the reaction (each reaction's lines in turn), so the same conversation always
gets the same answers: deterministic, and varied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from gezien.analysis import analyze
from gezien.practice.scenarios import ScenarioSpec

ABUSE_ENDS = 0.5  # the abuse score (the agent's words read as a customer's) that ends the conversation
HEARD_BELOW = 40  # a customer who starts under this tension needs no acknowledgement first
RESOLVED_AT = 35  # heard, helped, and at most this tense: the customer ends content

_ACKNOWLEDGING = frozenset({"acknowledgement", "paraphrase", "apology"})
_MOVING_ON = frozenset({"solution", "promise", "open_question", "closed_question", "upsell", "closing"})
_HELPING = frozenset({"solution", "promise"})

# (key, upper bound of tension): the customer's mood in words.
_MOODS: tuple[tuple[str, int], ...] = (
    ("calm", 20),
    ("wary", 40),
    ("irritated", 60),
    ("angry", 80),
    ("furious", 100),
)


def mood_of(tension: int) -> str:
    return next(key for key, upper in _MOODS if tension <= upper)


def mood_label(mood: str) -> str:
    labels = {
        "calm": _("rustig"),
        "wary": _("afwachtend"),
        "irritated": _("geïrriteerd"),
        "angry": _("boos"),
        "furious": _("woedend"),
    }
    return labels[mood]


@dataclass(slots=True)
class CustomerState:
    """Where the customer is; stored with the practice session as JSON."""

    tension: int
    heard: bool
    counts: dict[str, int] = field(default_factory=dict)  # how often each reaction came (picks the line)
    ended: bool = False
    outcome: str = ""  # "", "resolved", "abused", "hung_up"

    @classmethod
    def start(cls, spec: ScenarioSpec) -> CustomerState:
        return cls(tension=spec.start_tension, heard=spec.start_tension < HEARD_BELOW)

    def to_json(self) -> dict[str, Any]:
        return {
            "tension": self.tension,
            "heard": self.heard,
            "counts": dict(self.counts),
            "ended": self.ended,
            "outcome": self.outcome,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CustomerState:
        return cls(
            tension=int(data["tension"]),
            heard=bool(data["heard"]),
            counts={str(k): int(v) for k, v in data.get("counts", {}).items()},
            ended=bool(data.get("ended", False)),
            outcome=str(data.get("outcome", "")),
        )


@dataclass(frozen=True, slots=True)
class Reaction:
    """What one agent turn did: the customer's reply, the mood after it, and the feedback for the agent."""

    reaction: str
    reply: str
    tension: int
    mood: str
    feedback: str
    ended: bool
    outcome: str
    acts: tuple[str, ...]  # what the analysis saw in the agent's turn
    register_mismatch: bool


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


def _register_mismatch(spec: ScenarioSpec, register: str) -> bool:
    if spec.register == "formal":
        return register in ("informal", "mixed")
    return register == "formal"


def _decide(spec: ScenarioSpec, state: CustomerState, text: str) -> tuple[str, int, frozenset[str], bool]:
    """(reaction, tension change, the agent's acts, register mismatch) for one agent turn."""
    agent = analyze(text, role="agent")
    acts = agent.acts
    if analyze(text, role="customer").abuse >= ABUSE_ENDS:
        return "abused", 100, acts, False
    lowered = text.lower()
    own_words = _has(lowered, spec.calm_words)
    acknowledges = own_words or (bool(acts & _ACKNOWLEDGING) and not spec.strict)
    angering = _has(lowered, spec.anger_words)
    mismatch = _register_mismatch(spec, agent.register)
    if _has(lowered, spec.help_words):
        acts = acts | {"solution"}
    if not state.heard:
        if acknowledges:
            reaction, delta = "acknowledged", -30
        elif "data_request" in acts or angering:
            reaction, delta = "data_first", 20
        elif acts & _ACKNOWLEDGING:
            reaction, delta = "partly", -5
        elif acts & _MOVING_ON:
            reaction, delta = "skipped", 15
        else:
            reaction, delta = "neutral", 5
    elif angering or (mismatch and not acts & _HELPING):
        reaction, delta = "angered", 15
    elif acts & _HELPING or "data_request" in acts:
        reaction, delta = "progress", -15 if acts & _HELPING else -5
    elif acknowledges:
        reaction, delta = "acknowledged", -10
    else:
        reaction, delta = "neutral", 0
    if mismatch:
        delta += 10
    return reaction, delta, acts, mismatch


def _feedback(spec: ScenarioSpec, reaction: str, heard: bool, mismatch: bool) -> str:
    lines = {
        "acknowledged": _("Goed: u erkende wat de klant voelt. De klant wordt rustiger."),
        "partly": _("U erkende iets, maar niet wat deze klant nodig heeft."),
        "data_first": _("U vroeg om gegevens voordat de klant zich gehoord voelde: de klant wordt bozer."),
        "skipped": _("U ging door naar een oplossing of vraag en sloeg het gevoel van de klant over."),
        "neutral": _("Dit helpt de klant nog niet verder."),
        "progress": _("Goed: de klant voelt zich gehoord en het gesprek komt verder."),
        "angered": _("Let op: dit is precies wat deze klant boos maakt."),
        "resolved": _("De klant is geholpen en voelt zich gehoord. Rond af om uw gewoonten te zien."),
        "abused": _(
            "U schold terug: de klant beëindigt het gesprek. Blijf rustig, ook als de klant grof is."
        ),
        "hung_up": _("De klant is te boos geworden en beëindigt het gesprek."),
    }
    out = [str(lines[reaction])]
    needs_hint = reaction in ("partly", "data_first", "skipped") or (reaction == "neutral" and not heard)
    if needs_hint and spec.need:
        out.append(spec.need)
    if mismatch:
        out.append(
            _("De klant zegt u; u schreef je. Volg het register van de klant.")
            if spec.register == "formal"
            else _("De klant schrijft je; met u klinkt u stijf. Volg de stijl van de klant.")
        )
    return " ".join(out[:2]) if len(out) > 2 else " ".join(out)


def respond(spec: ScenarioSpec, state: CustomerState, text: str) -> Reaction:
    """The customer's answer to the agent's `text`; `state` is updated in place."""
    reaction, delta, acts, mismatch = _decide(spec, state, text)
    state.tension = max(0, min(100, state.tension + delta))
    if reaction == "acknowledged":
        state.heard = True
    if reaction == "abused":
        state.ended, state.outcome = True, "abused"
    elif state.tension >= 100:
        reaction = "hung_up"
        state.ended, state.outcome = True, "hung_up"
    elif reaction == "progress" and acts & _HELPING and state.tension <= RESOLVED_AT and not mismatch:
        reaction = "resolved"
        state.ended, state.outcome = True, "resolved"
    lines = spec.lines(reaction)
    count = state.counts.get(reaction, 0)
    state.counts[reaction] = count + 1
    return Reaction(
        reaction=reaction,
        reply=lines[count % len(lines)],
        tension=state.tension,
        mood=mood_of(state.tension),
        feedback=_feedback(spec, reaction, state.heard, mismatch),
        ended=state.ended,
        outcome=state.outcome,
        acts=tuple(sorted(acts)),
        register_mismatch=mismatch,
    )
