"""Accuracy, per-class and macro-F1, the majority label, percentile-bootstrap intervals."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

SEED = 20_251_123
RESAMPLES = 1_000


@dataclass(frozen=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int  # gold count
    predicted: int  # predicted count


def per_class_scores(
    gold: Sequence[str], pred: Sequence[str], labels: Iterable[str]
) -> dict[str, ClassScore]:
    """Precision, recall and F1 of each label (0 where undefined: no prediction, no gold)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    return _scores_from_pairs(Counter(zip(gold, pred, strict=True)), labels)


def _scores_from_pairs(pairs: Counter[tuple[str, str]], labels: Iterable[str]) -> dict[str, ClassScore]:
    tp: Counter[str] = Counter()
    gold_n: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    for (g, p), n in pairs.items():
        gold_n[g] += n
        pred_n[p] += n
        if g == p:
            tp[g] += n
    out = {}
    for label in labels:
        t, gn, pn = tp[label], gold_n[label], pred_n[label]
        precision = t / pn if pn else 0.0
        recall = t / gn if gn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = ClassScore(label, precision, recall, f1, gn, pn)
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    """The unweighted mean of the F1 of `labels`."""
    scores = per_class_scores(gold, pred, labels)
    return sum(s.f1 for s in scores.values()) / len(labels) if labels else 0.0


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def majority_label(labels: Iterable[str]) -> str:
    """The most frequent label; a tie goes to the label that sorts first."""
    counts = Counter(labels)
    if not counts:
        raise ValueError("no labels")
    return min(counts, key=lambda label: (-counts[label], label))


def _percentile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default) of an ordered sequence."""
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


Unit = tuple[tuple[str, str], ...]  # the (gold, prediction) items of one resampled unit: a row or a pair


def bootstrap_ci(
    units: Sequence[Unit],
    labels: Sequence[str],
    resamples: int = RESAMPLES,
    seed: int = SEED,
    level: float = 0.95,
) -> dict[str, tuple[float, float]]:
    """Percentile-bootstrap intervals of macro-F1, accuracy (per item) and unit accuracy (all items of
    a unit right: pair accuracy for register pairs), resampling whole units with replacement.

    The same `seed` and the same number of units give the same resampled indices, so systems scored on
    the same data are resampled alike, and the result is deterministic.
    """
    if not units:
        return {"macro_f1": (0.0, 0.0), "accuracy": (0.0, 0.0), "unit_accuracy": (0.0, 0.0)}
    rng = random.Random(seed)
    n = len(units)
    right = [sum(g == p for g, p in unit) for unit in units]
    sizes = [len(unit) for unit in units]
    whole = [int(r == s) for r, s in zip(right, sizes, strict=True)]
    stats: dict[str, list[float]] = {"macro_f1": [], "accuracy": [], "unit_accuracy": []}
    indices = range(n)
    for _ in range(resamples):
        chosen = rng.choices(indices, k=n)
        pick = itemgetter(*chosen)
        picked_units = pick(units) if n > 1 else (units[chosen[0]],)
        pairs = Counter(chain.from_iterable(picked_units))
        scores = _scores_from_pairs(pairs, labels)
        stats["macro_f1"].append(sum(s.f1 for s in scores.values()) / len(labels) if labels else 0.0)
        if n > 1:
            total = sum(pick(sizes))
            stats["accuracy"].append(sum(pick(right)) / total if total else 0.0)
            stats["unit_accuracy"].append(sum(pick(whole)) / n)
        else:
            stats["accuracy"].append(right[0] / sizes[0] if sizes[0] else 0.0)
            stats["unit_accuracy"].append(float(whole[0]))
    tail = (1 - level) / 2
    out = {}
    for name, values in stats.items():
        values.sort()
        out[name] = (_percentile(values, tail), _percentile(values, 1 - tail))
    return out
