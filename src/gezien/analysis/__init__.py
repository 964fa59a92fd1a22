"""gezien.analysis: explainable Dutch and English conversation signals.

A pure library (no Django): text in, signals out, each with the evidence that caused it.

    from gezien.analysis import Analyzer, analyze, analyze_conversation
    a = analyze("Ik heb al vijf keer gebeld en ik ben er klaar mee!")
    a.emotions["anger"], a.repeat, a.evidence

The rules and lexicons always run. `Analyzer(model=True)` adds the learned layer (the optional extra
`gezien[models]`) and raises `ModelUnavailable` with the install hint when it is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from gezien.analysis.conversation import Turn, analyze_turns
from gezien.analysis.engine import RuleEngine

if TYPE_CHECKING:
    from gezien.analysis.model import LearnedLayer

from gezien.analysis.result import (
    ACTS,
    EMOTIONS,
    LIFE_EVENTS,
    Analysis,
    Conversation,
    Evidence,
    Lang,
    Register,
    Role,
)

__all__ = [
    "ACTS",
    "EMOTIONS",
    "LIFE_EVENTS",
    "Analysis",
    "Analyzer",
    "Conversation",
    "Evidence",
    "Lang",
    "ModelUnavailable",
    "Register",
    "Role",
    "analyze",
    "analyze_conversation",
]


class ModelUnavailable(RuntimeError):
    """The learned layer was asked for but its extra (`pip install 'gezien[models]'`) is missing."""


class Analyzer:
    """Analyses texts with the rules, and with the learned layer when `model=True`.

    `lexicon_dirs` adds an organisation's own TSV lexicons (same format as the shipped ones) on top of
    the shipped ones; so does the environment variable GEZIEN_LEXICON_DIRS (paths separated by ':').
    """

    def __init__(
        self,
        model: bool = False,
        lexicon_dirs: Sequence[str | Path] = (),
        heads_dir: str | Path | None = None,
    ) -> None:
        self.rules = RuleEngine.load(extra_dirs=[Path(d) for d in lexicon_dirs])
        self.model: LearnedLayer | None = None
        if model:
            from gezien.analysis.model import load_learned_layer

            self.model = load_learned_layer(heads_dir)

    @property
    def layers(self) -> tuple[str, ...]:
        return ("rules",) if self.model is None else ("rules", self.model.name)

    @property
    def version(self) -> str:
        """What identifies this analyser's output: the layers, the lexicon files' fingerprint and the
        heads' (so stored signals can be found stale after a lexicon or model change)."""
        parts = ["+".join(self.layers), self.rules.version]
        if self.model is not None:
            parts.append(self.model.version)
        return "@".join(parts)

    def analyze(self, text: str, lang: Lang | None = None, role: Role = "customer") -> Analysis:
        """Signals for one text; `lang` is detected when None."""
        return self.analyze_many([text], lang=lang, role=role)[0]

    def analyze_many(
        self, texts: Iterable[str], lang: Lang | None = None, role: Role = "customer"
    ) -> list[Analysis]:
        """Signals for many texts: the same results as `analyze` one by one, batched for the model."""
        results = [self.rules.analyze(text, lang=lang, role=role) for text in texts]
        if self.model is not None and results:
            results = self.model.refine(results)
        return results


@lru_cache(maxsize=1)
def _default_analyzer() -> Analyzer:
    return Analyzer(model=False)


def analyze(text: str, lang: Lang | None = None, role: Role = "customer") -> Analysis:
    """Signals for one text with the rules alone (fast enough to run as an agent types)."""
    return _default_analyzer().analyze(text, lang=lang, role=role)


def analyze_conversation(
    turns: Iterable[tuple[str, str, float | None, float | None]], analyzer: Analyzer | None = None
) -> Conversation:
    """Signals over a conversation: `turns` are (role, text, start_s, end_s), times may be None."""
    return analyze_turns([Turn(*t) for t in turns], analyzer or _default_analyzer())
