"""Fitting the heads: standardised logistic regressions, the organisation's corrections weighed in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gezien.analysis.model import Heads
from gezien_lab.goemotions import MAPPED_EMOTIONS
from gezien_lab.training.data import (
    CORRECTION_WEIGHT,
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


@dataclass(slots=True)
class Binary:
    """Training rows of one binary head: features, 0/1 targets, extra weights (1 for public rows)."""

    x: FloatArray
    y: Array
    boost: Array  # per-row multiplier on top of the class weight (CORRECTION_WEIGHT for corrections)


def _class_weights(y: Array, power: float, classes: Sequence[Any]) -> dict[Any, float]:
    import numpy as np

    n, k = len(y), len(classes)
    weights = {}
    for c in classes:
        count = int(np.sum(y == c))
        weights[c] = (n / (k * count)) ** power if count else 1.0
    return weights


def fit_logistic(
    x: FloatArray, y: Array, boost: Array, c: float, power: float, classes: Sequence[Any]
) -> Any:
    """A standardised logistic regression; returns (coef, intercept) in the raw embedding space."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    weights = _class_weights(y, power, classes)
    sample_weight = np.array([weights[v] for v in y.tolist()], dtype=np.float64) * boost
    mean = x.mean(axis=0)
    std = x.std(axis=0) + 1e-6
    z = (x - mean) / std
    present = sorted(set(y.tolist()))
    if len(present) < 2:  # no examples of one side: a constant head
        rows = 1 if len(classes) == 2 else len(classes)
        if len(classes) == 2:
            constant = [6.0 if present == [classes[1]] else -6.0]
        else:
            constant = [6.0 if c in present else -6.0 for c in classes]
        return np.zeros((rows, x.shape[1]), dtype=np.float32), np.array(constant, dtype=np.float32)
    clf = LogisticRegression(C=c, max_iter=2000, tol=1e-5)
    with threadpool_limits(limits=1, user_api="blas"):  # small problems: threads only spin
        clf.fit(z, y, sample_weight=sample_weight)
    raw_coef = clf.coef_ / std
    raw_intercept = clf.intercept_ - raw_coef @ mean
    if len(classes) == 2:
        return raw_coef.astype(np.float32), raw_intercept.astype(np.float32)
    # multinomial: rows in the order of `classes`; an absent class gets a very low logit; with only two
    # classes present sklearn fits one binary row, which is the softmax of (0, row)
    coef = np.zeros((len(classes), x.shape[1]))
    intercept = np.full(len(classes), -30.0)
    fitted = clf.classes_.tolist()
    if len(fitted) == 2:
        intercept[classes.index(fitted[0])] = 0.0
        coef[classes.index(fitted[1])], intercept[classes.index(fitted[1])] = raw_coef[0], raw_intercept[0]
    else:
        for row, cls in enumerate(fitted):
            coef[classes.index(cls)], intercept[classes.index(cls)] = raw_coef[row], raw_intercept[row]
    return coef.astype(np.float32), intercept.astype(np.float32)


@dataclass(slots=True)
class Hyper:
    emotion_c: float = 0.1
    emotion_power: float = 0.5
    sentiment_c: float = 0.1
    sentiment_power: float = 0.5
    register_c: float = 0.3

    def to_dict(self) -> dict[str, float]:
        return {
            "emotion_c": self.emotion_c,
            "emotion_power": self.emotion_power,
            "sentiment_c": self.sentiment_c,
            "sentiment_power": self.sentiment_power,
            "register_c": self.register_c,
        }


@dataclass(slots=True)
class Corrections:
    """The organisation's labelled examples, sorted by head."""

    emotions: dict[str, list[tuple[int, bool]]] = field(default_factory=dict)  # emotion -> (row, value)
    sentiment: list[tuple[int, str, float]] = field(default_factory=list)  # (row, class, boost)
    register: list[tuple[int, bool]] = field(default_factory=list)  # (row, formal?)
    by_signal: Counter[str] = field(default_factory=Counter)
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def sort(cls, examples: Sequence[LabelledExample]) -> Corrections:
        out = cls()
        for row, ex in enumerate(examples):
            signal = ex.signal.strip().lower()
            if signal in MAPPED_EMOTIONS:
                out.emotions.setdefault(signal, []).append((row, bool(ex.value)))
            elif signal in SENTIMENT_LABELS:
                if ex.value:
                    out.sentiment.append((row, signal, CORRECTION_WEIGHT))
                else:  # "not positive": half the weight to each of the other two classes
                    out.sentiment += [
                        (row, s, CORRECTION_WEIGHT / 2) for s in SENTIMENT_LABELS if s != signal
                    ]
            elif signal in REGISTER_SIGNALS:
                out.register.append((row, (signal == "formal") == bool(ex.value)))
            else:
                reason = "no learned head (the rules decide it)" if signal == "haste" else "unknown signal"
                out.ignored.append(f"{ex.signal!r}: {reason}")
                continue
            out.by_signal[f"{signal}={'wel' if ex.value else 'niet'}"] += 1
        return out

    @property
    def used(self) -> int:
        return sum(self.by_signal.values())


def fit_heads(
    x: FloatArray,
    data: Emotions,
    reg_x: FloatArray,
    reg_formal: Array,
    hyper: Hyper,
    corr_x: FloatArray | None = None,
    corrections: Corrections | None = None,
) -> Heads:
    """All heads on the given public rows plus the corrections."""
    import numpy as np

    corrections = corrections or Corrections()
    if corr_x is None:
        corr_x = np.zeros((0, x.shape[1]), dtype=np.float32)
    ours = np.array(data.ours)
    coefs, intercepts = [], []
    for emotion in MAPPED_EMOTIONS:
        extra = corrections.emotions.get(emotion, [])
        y = np.concatenate([(ours == emotion).astype(int), np.array([int(v) for _, v in extra], dtype=int)])
        xe = np.concatenate([x, corr_x[[r for r, _ in extra]]]) if extra else x
        boost = np.concatenate([np.ones(len(ours)), np.full(len(extra), CORRECTION_WEIGHT)])
        coef, intercept = fit_logistic(xe, y, boost, hyper.emotion_c, hyper.emotion_power, [0, 1])
        coefs.append(coef[0])
        intercepts.append(intercept[0])
    sent = corrections.sentiment
    ys = np.array(data.sentiment + [s for _, s, _ in sent])
    xs = np.concatenate([x, corr_x[[r for r, _, _ in sent]]]) if sent else x
    boost = np.concatenate([np.ones(len(data.texts)), np.array([b for _, _, b in sent])])
    s_coef, s_intercept = fit_logistic(
        xs, ys, boost, hyper.sentiment_c, hyper.sentiment_power, list(SENTIMENT_LABELS)
    )
    reg = corrections.register
    yr = np.concatenate([reg_formal.astype(int), np.array([int(v) for _, v in reg], dtype=int)])
    xr = np.concatenate([reg_x, corr_x[[r for r, _ in reg]]]) if reg else reg_x
    boost = np.concatenate([np.ones(len(reg_formal)), np.full(len(reg), CORRECTION_WEIGHT)])
    r_coef, r_intercept = fit_logistic(xr, yr, boost, hyper.register_c, 0.0, [0, 1])
    return Heads(
        emotion_labels=MAPPED_EMOTIONS,
        emotion_coef=np.stack(coefs).astype(np.float32),
        emotion_intercept=np.array(intercepts, dtype=np.float32),
        sentiment_labels=SENTIMENT_LABELS,
        sentiment_coef=s_coef,
        sentiment_intercept=s_intercept,
        register_coef=r_coef,
        register_intercept=r_intercept,
    )
