"""Choosing hyper-parameters and the combination with the rules on a held-out part of TRAIN."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gezien.analysis.model import DEFAULT_INFERENCE, REGISTER_MIN_WORDS
from gezien.analysis.result import EMOTIONS
from gezien_lab.training.data import (
    C_GRID,
    COMBINATIONS,
    EMOTION_WEIGHTS,
    MIN_GAIN,
    NONE,
    POWER_GRID,
    REGISTER_C_GRID,
    REGISTER_MARGINS,
    REGISTER_PRECISION,
    SENTIMENT_RULE_WEIGHTS,
    SPLIT,
    TOLERANCE,
    Emotions,
)
from gezien_lab.training.fitting import Hyper, fit_heads, fit_logistic
from gezien_lab.training.scoring import (
    Rules,
    combined_emotions,
    combined_sentiment,
    emotion_scores,
    per_class,
    polar_rows,
    register_pairs,
    sentiment_scores,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]
    Array = npt.NDArray[Any]


def _subset(data: Emotions, rows: Array) -> Emotions:
    return Emotions([data.texts[i] for i in rows], [data.labels[i] for i in rows])


def _split(data: Emotions, seed: int) -> tuple[Array, Array]:
    from sklearn.model_selection import train_test_split

    rows = list(range(len(data.texts)))
    counts = Counter(data.labels)
    stratify = data.labels if min(counts.values()) >= 2 and len(rows) * SPLIT >= len(counts) else None
    fit, held = train_test_split(rows, test_size=SPLIT, random_state=seed, stratify=stratify)
    import numpy as np

    return np.array(fit), np.array(held)


def search(
    x: FloatArray,
    data: Emotions,
    reg_x: FloatArray,
    reg_formal: Array,
    seed: int,
    log: TextIO,
    lexicon_dirs: Sequence[Path] = (),
) -> tuple[Hyper, dict[str, Any], dict[str, Any]]:
    """Hyper-parameters and the combination, chosen on a held-out split of TRAIN (never on dev)."""
    fit_rows, held_rows = _split(data, seed)
    fit, held = _subset(data, fit_rows), _subset(data, held_rows)
    xf, xh = x[fit_rows], x[held_rows]
    trials: dict[str, Any] = {"emotions": [], "sentiment": [], "register": [], "combination": []}
    best: dict[str, tuple[float, float, float]] = {}
    hyper = Hyper()
    for c in C_GRID:
        for power in POWER_GRID:
            trial = Hyper(emotion_c=c, emotion_power=power, sentiment_c=c, sentiment_power=power)
            heads = fit_heads(xf, fit, reg_x[:2], reg_formal[:2], trial)
            emo = emotion_scores(heads, xh, held)["macro_f1"]
            sen = sentiment_scores(heads, xh, held)["macro_f1"]
            trials["emotions"].append({"c": c, "power": power, "macro_f1": emo})
            trials["sentiment"].append({"c": c, "power": power, "macro_f1": sen})
            print(
                f"  C={c} power={power}: held-out emotion macro-F1 {emo:.4f}, sentiment {sen:.4f}", file=log
            )
            if emo > best.get("emotions", (-1.0, 0, 0))[0]:
                best["emotions"] = (emo, c, power)
            if sen > best.get("sentiment", (-1.0, 0, 0))[0]:
                best["sentiment"] = (sen, c, power)
    _, hyper.emotion_c, hyper.emotion_power = best["emotions"]
    _, hyper.sentiment_c, hyper.sentiment_power = best["sentiment"]
    # register: C by 5-fold cross-validation over pairs
    scores = {c: register_cv(reg_x, reg_formal, c, seed) for c in REGISTER_C_GRID}
    trials["register"] = [{"c": c, "pair_accuracy_cv": round(s, 4)} for c, s in scores.items()]
    hyper.register_c = max(REGISTER_C_GRID, key=lambda c: (scores[c], -c))
    margin, trials["register_margin"] = register_margin(
        register_cv_probs(reg_x, reg_formal, hyper.register_c, seed), reg_formal
    )
    # the combination with the rules, on the same held-out split
    heads = fit_heads(xf, fit, reg_x, reg_formal, hyper)
    rules = Rules.run(held.texts, lexicon_dirs)
    inference: dict[str, Any] = json.loads(json.dumps(DEFAULT_INFERENCE))
    classes = (*EMOTIONS, NONE)

    def held_f1(params: dict[str, Any]) -> float:
        return float(per_class(held.ours, combined_emotions(heads, xh, rules, params), classes)["macro_f1"])

    choice: tuple[float, dict[str, Any]] = (-1.0, {})
    for params in COMBINATIONS:
        f1 = held_f1(params)
        trials["combination"].append({**params, "macro_f1": f1})
        if f1 > choice[0]:
            choice = (f1, params)
    best_f1, params = choice[0], dict(choice[1])
    if params["method"] == "noisy_or":  # then a weight per emotion, by coordinate ascent
        weights = {e: float(params["weight"]) for e in heads.emotion_labels}
        for _ in range(2):
            for emotion in heads.emotion_labels:
                for w in EMOTION_WEIGHTS:
                    f1 = held_f1({**params, "weights": {**weights, emotion: w}})
                    if f1 >= best_f1 + MIN_GAIN:
                        best_f1, weights[emotion] = f1, w
        params["weights"] = weights
        trials["combination"].append({"per_emotion_weights": weights, "macro_f1": best_f1})
    inference["emotions"] = params
    polar = polar_rows(held)
    sentiment_f1: dict[float, float] = {}
    for weight in SENTIMENT_RULE_WEIGHTS:
        pred = combined_sentiment(heads, xh, rules, weight)
        gold = [held.sentiment[i] for i in polar]
        sentiment_f1[weight] = per_class(gold, [pred[i] for i in polar], ("negative", "positive"))["macro_f1"]
        trials["combination"].append(
            {"sentiment_rule_weight": weight, "macro_f1_polar": sentiment_f1[weight]}
        )
    # the rules are Dutch-first and explain themselves: the largest rule weight within TOLERANCE of the best
    top = max(sentiment_f1.values())
    inference["sentiment"] = {
        "rule_weight": max(w for w, f1 in sentiment_f1.items() if f1 >= top - TOLERANCE)
    }
    inference["register"] = {"margin": margin, "min_words": REGISTER_MIN_WORDS}
    return hyper, inference, trials


def register_cv_probs(reg_x: FloatArray, reg_formal: Array, c: float, seed: int, folds: int = 5) -> Array:
    """P(formal) of every CoCoA-MT text from a head fitted without its pair (5-fold over pairs)."""
    import numpy as np

    n = len(reg_formal) // 2
    probs = np.full(len(reg_formal), 0.5)
    if n < folds:
        return probs
    order = np.random.default_rng(seed).permutation(n)
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(np.arange(n), test)
        rows = np.concatenate([train, train + n])
        coef, intercept = fit_logistic(reg_x[rows], reg_formal[rows], np.ones(len(rows)), c, 0.0, [0, 1])
        for held in (test, test + n):
            probs[held] = 1.0 / (1.0 + np.exp(-(reg_x[held] @ coef.T + intercept)))[:, 0]
    return probs


def register_cv(reg_x: FloatArray, reg_formal: Array, c: float, seed: int, folds: int = 5) -> float:
    """Pair accuracy of the register head by cross-validation over pairs (both versions in one fold)."""
    return register_pairs(register_cv_probs(reg_x, reg_formal, c, seed, folds))


def register_margin(probs: Array, reg_formal: Array) -> tuple[float, list[dict[str, float]]]:
    """The smallest margin whose confident cross-validated predictions are REGISTER_PRECISION right."""
    import numpy as np

    trials = []
    chosen = 0.5  # 0.5: the head never decides
    for margin in REGISTER_MARGINS:
        confident = np.abs(probs - 0.5) >= margin
        right = (
            float(((probs[confident] >= 0.5) == (reg_formal[confident] == 1)).mean())
            if confident.any()
            else 0.0
        )
        trials.append(
            {"margin": margin, "coverage": round(float(confident.mean()), 4), "accuracy": round(right, 4)}
        )
        if chosen == 0.5 and confident.sum() >= 10 and right >= REGISTER_PRECISION:
            chosen = margin
    return chosen, trials
