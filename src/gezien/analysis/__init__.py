"""gezien.analysis: explainable Dutch and English conversation signals.

A pure library (no Django): text in, signals out, each with the evidence that caused it.

    from gezien.analysis import AnalysisConfig, Analyzer, analyze, analyze_conversation
    a = analyze("Ik heb al vijf keer gebeld en ik ben er klaar mee!")
    a.emotions["anger"], a.repeat, a.evidence

The rules and lexicons always run. `Analyzer(AnalysisConfig(model=True))` adds the learned layer (the
optional extra `gezien[models]`) and raises `ModelUnavailable` with the install hint when it is missing.

The library reads no environment and keeps no process-wide state that analysers share: what an
analyser uses comes in through its `AnalysisConfig`, and two analysers built from different ones give
their own answers side by side in one process. Evaluation and training live apart, in `gezien_lab`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

# First: puts the compiled rules layer (`make analysis-native`) on this package's path when it is
# built from exactly these sources (see native.py); else the modules below load as plain Python.
from gezien.analysis import native  # noqa: F401
from gezien.analysis.config import AnalysisConfig
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
    agent_only,
)

__all__ = [
    "ACTS",
    "EMOTIONS",
    "LIFE_EVENTS",
    "Analysis",
    "AnalysisConfig",
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
    """Analyses texts with the rules, and with the learned layer when `config.model`.

    `config.lexicon_dirs` adds an organisation's own TSV lexicons (same format as the shipped ones) on
    top of the shipped ones; `config.heads_dir` names refitted heads for the learned layer.
    """

    def __init__(self, config: AnalysisConfig | None = None) -> None:
        self.config = config = config or AnalysisConfig()
        self.rules = RuleEngine.load(extra_dirs=config.lexicon_dirs, own_names=config.own_names)
        self.model: LearnedLayer | None = None
        if config.model:
            from gezien.analysis.model import load_learned_layer

            self.model = load_learned_layer(config.heads_dir)

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
        if self.model is None:
            return self.rules.analyze(text, lang=lang, role=role)
        return self.analyze_many([text], lang=lang, role=role)[0]

    def analyze_many(
        self, texts: Iterable[str], lang: Lang | None = None, role: Role = "customer"
    ) -> list[Analysis]:
        """Signals for many texts: the same results as `analyze` one by one, batched for the model."""
        results = [self.rules.analyze(text, lang=lang, role=role) for text in texts]
        if self.model is not None and results:
            results = self.model.refine(results)
            if role == "agent":  # the heads read feelings; an agent's text carries acts and tone only
                results = [agent_only(r) for r in results]
        return results


@lru_cache(maxsize=1)
def _default_analyzer() -> Analyzer:
    """The rules with the shipped lexicons alone, for `analyze` and `analyze_conversation`."""
    return Analyzer(AnalysisConfig())


def analyze(text: str, lang: Lang | None = None, role: Role = "customer") -> Analysis:
    """Signals for one text with the rules alone (fast enough to run as an agent types)."""
    return _default_analyzer().analyze(text, lang=lang, role=role)


def analyze_conversation(
    turns: Iterable[tuple[str, str, float | None, float | None]], analyzer: Analyzer | None = None
) -> Conversation:
    """Signals over a conversation: `turns` are (role, text, start_s, end_s), times may be None."""
    return analyze_turns([Turn(*t) for t in turns], analyzer or _default_analyzer())
