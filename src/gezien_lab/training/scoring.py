"""Scoring heads (alone and combined with the rules) on labelled rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gezien.analysis.engine import RuleEngine
from gezien.analysis.model import Heads, combine_emotion, combine_sentiment
from gezien.analysis.result import EMOTIONS
from gezien_lab.goemotions import MAPPED_EMOTIONS
from gezien_lab.training.data import (
    DEAD_ZONE,
    DECISION,
    NONE,
    REGISTER_SIGNALS,
    SENTIMENT_LABELS,
    Emotions,
    LabelledExample,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]
    Array = npt.NDArray[Any]


def _decide(probs: FloatArray, labels: Sequence[str], threshold: float = DECISION) -> list[str]:
    import numpy as np

    top = probs.argmax(axis=1)
    best = probs[np.arange(len(probs)), top]
    return [labels[int(i)] if b >= threshold else NONE for i, b in zip(top, best, strict=True)]


def per_class(gold: Sequence[str], pred: Sequence[str], classes: Sequence[str]) -> dict[str, Any]:
    """Per-class precision/recall/F1/support and the macro-F1 over `classes`."""
    table: dict[str, dict[str, float]] = {}
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[c] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
        }
    present = [c for c in classes if table[c]["support"]]
    macro = sum(table[c]["f1"] for c in present) / len(present) if present else 0.0
    accuracy = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold) if gold else 0.0
    return {"macro_f1": round(macro, 4), "accuracy": round(accuracy, 4), "per_class": table}


EMOTION_CLASSES = (*MAPPED_EMOTIONS, NONE)


def emotion_scores(heads: Heads, x: FloatArray, data: Emotions) -> dict[str, Any]:
    return per_class(data.ours, _decide(heads.emotions(x), heads.emotion_labels), EMOTION_CLASSES)


def sentiment_scores(heads: Heads, x: FloatArray, data: Emotions) -> dict[str, Any]:
    probs = heads.sentiment(x)
    pred = [heads.sentiment_labels[int(i)] for i in probs.argmax(axis=1)]
    return per_class(data.sentiment, pred, SENTIMENT_LABELS)


def _sign(value: float) -> str:
    return "positive" if value >= DEAD_ZONE else "negative" if value <= -DEAD_ZONE else "neutral"


def register_pairs(formal_p: Array) -> float:
    """Pair accuracy: rows are [formal texts..., informal texts...]; both must be right."""
    n = len(formal_p) // 2
    return float(((formal_p[:n] >= 0.5) & (formal_p[n:] < 0.5)).mean()) if n else 0.0


def corrections_agreement(
    heads: Heads, corr_x: FloatArray, examples: Sequence[LabelledExample]
) -> float | None:
    """Share of the corrections whose signal the heads now see as asked (wel: >= 0.5, niet: < 0.5)."""
    if not len(examples):
        return None
    emo = heads.emotions(corr_x)
    sent = heads.sentiment(corr_x)
    formal = heads.formal(corr_x)
    agree = total = 0
    for i, ex in enumerate(examples):
        signal = ex.signal.strip().lower()
        if signal in heads.emotion_labels:
            seen = bool(emo[i, heads.emotion_labels.index(signal)] >= DECISION)
        elif signal in heads.sentiment_labels:
            seen = heads.sentiment_labels[int(sent[i].argmax())] == signal
        elif signal in REGISTER_SIGNALS:
            seen = bool(formal[i] >= 0.5) == (signal == "formal")
        else:
            continue
        total += 1
        agree += int(seen == bool(ex.value))
    return agree / total if total else None


@dataclass(slots=True)
class Rules:
    """The rules' emotion scores and sentiment for a list of texts (for choosing the combination)."""

    emotions: list[dict[str, float]]
    sentiment: list[float]

    @classmethod
    def run(cls, texts: Sequence[str], lexicon_dirs: Sequence[Path] = ()) -> Rules:
        """The rules with the shipped lexicons plus an organisation's `lexicon_dirs`."""
        engine = RuleEngine.load(lexicon_dirs)
        results = [engine.analyze(t) for t in texts]
        return cls([dict(r.emotions) for r in results], [float(r.sentiment) for r in results])


def combined_emotions(heads: Heads, x: FloatArray, rules: Rules, params: dict[str, Any]) -> list[str]:
    """The top emotion (>= DECISION) after combining rules and heads, over all our emotions."""
    probs = heads.emotions(x)
    out = []
    for i, rule in enumerate(rules.emotions):
        scores = {e: float(rule.get(e, 0.0)) for e in EMOTIONS}
        for j, label in enumerate(heads.emotion_labels):
            scores[label] = combine_emotion(scores[label], float(probs[i, j]), params, label)
        name, best = max(scores.items(), key=lambda kv: kv[1])
        out.append(name if best >= DECISION else NONE)
    return out


def combined_sentiment(heads: Heads, x: FloatArray, rules: Rules, rule_weight: float) -> list[str]:
    probs = heads.sentiment(x)
    return [
        _sign(combine_sentiment(r, probs[i].tolist(), heads.sentiment_labels, rule_weight))
        for i, r in enumerate(rules.sentiment)
    ]


def polar_rows(data: Emotions) -> list[int]:
    return [i for i, s in enumerate(data.sentiment) if s != "neutral"]


def combined_scores(
    heads: Heads, x: FloatArray, data: Emotions, rules: Rules, inference: dict[str, Any]
) -> dict[str, Any]:
    classes = (*EMOTIONS, NONE)
    emotions = per_class(data.ours, combined_emotions(heads, x, rules, inference["emotions"]), classes)
    polar = polar_rows(data)
    pred = combined_sentiment(heads, x, rules, inference["sentiment"]["rule_weight"])
    sentiment = per_class(
        [data.sentiment[i] for i in polar], [pred[i] for i in polar], ("negative", "positive")
    )
    return {"emotions": emotions, "sentiment_polar": sentiment}
