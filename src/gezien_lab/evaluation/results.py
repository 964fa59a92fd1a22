"""What a scored system and a scored task hold, and how a parameter is chosen on train data."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gezien_lab.evaluation.metrics import (
    RESAMPLES,
    SEED,
    ClassScore,
    Unit,
    accuracy,
    bootstrap_ci,
    macro_f1,
    per_class_scores,
)


@dataclass
class Selection:
    """A parameter chosen on train data: the value, its train macro-F1, and the whole grid."""

    parameter: str  # "threshold" | "dead zone"
    value: float
    train_macro_f1: float | None  # None when the value was not chosen on train
    train_rows: int
    grid: dict[float, float] = field(default_factory=dict)  # value -> train macro-F1
    source: str = "train"  # "train" | "default" | "given"

    def describe(self) -> str:
        if self.source == "train":
            return f"{self.parameter} {self.value:g} (chosen on {self.train_rows:,} train rows)"
        return f"{self.parameter} {self.value:g} ({self.source})"


@dataclass
class SystemResult:
    name: str
    kind: str  # "baseline" | "ours" | "peer"
    setting: str
    n_items: int
    n_units: int
    accuracy: float
    macro_f1: float
    ci: dict[str, tuple[float, float]]
    per_class: dict[str, ClassScore]
    unit_accuracy: float | None = None  # pair accuracy for register pairs
    selection: Selection | None = None
    seconds: float = 0.0


@dataclass
class TaskResult:
    task: str
    data: str
    n_items: int
    n_units: int
    labels: tuple[str, ...]  # macro-F1 averages over these
    gold_counts: dict[str, int]
    systems: list[SystemResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unit_name: str = "row"  # "pair" for register pairs

    def system(self, name: str) -> SystemResult | None:
        return next((s for s in self.systems if s.name == name), None)

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for system in data["systems"]:
            if system["selection"]:
                system["selection"]["grid"] = {str(k): v for k, v in system["selection"]["grid"].items()}
        return data


def score_system(
    name: str,
    kind: str,
    units: Sequence[Unit],
    labels: Sequence[str],
    setting: str = "",
    resamples: int = RESAMPLES,
    seed: int = SEED,
    selection: Selection | None = None,
    seconds: float = 0.0,
) -> SystemResult:
    """Score one system's (gold, prediction) items, grouped in units, over `labels`."""
    items = [item for unit in units for item in unit]
    gold = [g for g, _ in items]
    pred = [p for _, p in items]
    shown = list(labels) + sorted({p for p in pred if p not in labels})
    per_class = per_class_scores(gold, pred, shown)
    macro = sum(per_class[label].f1 for label in labels) / len(labels) if labels else 0.0
    unit_acc = sum(all(g == p for g, p in unit) for unit in units) / len(units) if units else None
    return SystemResult(
        name=name,
        kind=kind,
        setting=setting,
        n_items=len(items),
        n_units=len(units),
        accuracy=accuracy(gold, pred),
        macro_f1=macro,
        ci=bootstrap_ci(units, labels, resamples, seed),
        per_class=per_class,
        unit_accuracy=unit_acc,
        selection=selection,
        seconds=seconds,
    )


def select_on_train(
    parameter: str,
    candidates: Sequence[float],
    gold: Sequence[str],
    predict: Callable[[float], list[str]],
    labels: Sequence[str],
) -> Selection:
    """Choose a decision parameter on TRAIN data: the candidate with the best train macro-F1.

    `predict(value)` gives the train predictions at that value. Ties go to the smallest candidate. This
    is the only place a threshold or dead zone is chosen; the data scored afterwards never takes part.
    """
    grid = {value: macro_f1(gold, predict(value), labels) for value in sorted(candidates)}
    best = max(grid.values())
    value = min(v for v, score in grid.items() if score == best)
    return Selection(parameter, value, best, len(gold), grid)
