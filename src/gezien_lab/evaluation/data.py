"""Labelled rows, their gold labels, and the analyses of their texts (computed once per system)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from gezien.analysis import AnalysisConfig
from gezien.analysis.result import ACTS, EMOTIONS, LIFE_EVENTS, NEGATIVE_EMOTIONS, SCALAR_SIGNALS
from gezien_lab.evaluation.metrics import RESAMPLES, SEED
from gezien_lab.goemotions import GOEMOTIONS_SENTIMENT, GOEMOTIONS_TO_GEZIEN

TASKS = ("emotion", "sentiment", "register", "signals")
NONE = "none"
SENTIMENTS = ("positive", "negative", "neutral")
REGISTERS = ("formal", "informal")
DEFAULT_EMOTION_THRESHOLD = 0.5
DEFAULT_DEAD_ZONE = 0.05
DEFAULT_SIGNAL_THRESHOLD = 0.5
EMOTION_THRESHOLDS: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05 .. 0.95
DEAD_ZONES: tuple[float, ...] = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
TRAIN_SAMPLE = 5_000  # rows of the train file used for the selection (a fixed-seed sample)
BATCH = 256


class EvalDataError(ValueError):
    """The evaluation file cannot be scored: the message names the file, the line and the reason."""


# --------------------------------------------------------------------------- data


@dataclass
class Row:
    line: int
    data: dict[str, Any]


def load_rows(path: Path, limit: int | None = None) -> list[Row]:
    """The JSON objects of a JSONL file (blank lines skipped); EvalDataError for anything else."""
    rows: list[Row] = []
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise EvalDataError(f"{path}: cannot read: {error.strerror or error}") from error
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as error:
                    raise EvalDataError(f"{path} line {number}: not JSON: {error.msg}") from error
                if not isinstance(data, dict):
                    raise EvalDataError(f"{path} line {number}: not a JSON object")
                rows.append(Row(number, data))
                if limit and len(rows) >= limit:
                    break
        except UnicodeDecodeError as error:
            raise EvalDataError(f"{path}: not UTF-8 ({error.reason})") from error
    if not rows:
        raise EvalDataError(f"{path}: no rows")
    return rows


def detect_tasks(row: dict[str, Any]) -> list[str]:
    """The tasks the fields of a row support: `label` gives emotion and sentiment, and so on."""
    tasks = []
    if "label" in row:
        tasks += ["emotion", "sentiment"]
    elif "sentiment" in row:
        tasks.append("sentiment")
    if ("formal" in row and "informal" in row) or "register" in row:
        tasks.append("register")
    if "signals" in row:
        tasks.append("signals")
    return tasks


def text_of(path: Path, row: Row, name: str = "text") -> str:
    value = row.data.get(name)
    if not isinstance(value, str):
        reason = "missing" if name not in row.data else f"not a string ({type(value).__name__})"
        raise EvalDataError(f"{path} line {row.line}: field {name!r} {reason}")
    return value


def emotion_gold(path: Path, row: Row) -> str:
    """The emotion label of a row in our label space ("none" for no emotion of ours)."""
    label = row.data.get("label")
    if not isinstance(label, str):
        raise EvalDataError(f"{path} line {row.line}: field 'label' missing or not a string")
    if label in EMOTIONS or label == NONE:
        return label
    to_gezien: dict[str, str | None] = GOEMOTIONS_TO_GEZIEN
    if label == "neutral":
        return NONE
    if label not in to_gezien:
        raise EvalDataError(
            f"{path} line {row.line}: unknown emotion label {label!r} (neither one of ours,"
            f" {', '.join(EMOTIONS)}, nor a GoEmotions label)"
        )
    mapped = to_gezien[label]
    return mapped if isinstance(mapped, str) and mapped in EMOTIONS else NONE


def sentiment_gold(path: Path, row: Row) -> str | None:
    """positive/negative/neutral, from `sentiment` or a GoEmotions `label`; None: no sentiment known."""
    if "sentiment" in row.data:
        value = row.data["sentiment"]
        if value not in SENTIMENTS:
            raise EvalDataError(
                f"{path} line {row.line}: sentiment {value!r} is not one of {', '.join(SENTIMENTS)}"
            )
        return str(value)
    label = row.data.get("label")
    if not isinstance(label, str):
        raise EvalDataError(f"{path} line {row.line}: neither 'sentiment' nor a 'label' field")
    to_sentiment: dict[str, str] = GOEMOTIONS_SENTIMENT
    if label == "neutral":
        return "neutral"
    if label in to_sentiment:
        value = to_sentiment[label]
        return value if value in SENTIMENTS else None
    if label in EMOTIONS:
        return "negative" if label in NEGATIVE_EMOTIONS else "positive"
    if label == NONE:
        return None
    raise EvalDataError(f"{path} line {row.line}: unknown label {label!r} for sentiment")


def signal_names() -> frozenset[str]:
    return frozenset((*SCALAR_SIGNALS, *LIFE_EVENTS, *ACTS, *EMOTIONS))


# --------------------------------------------------------------------------- analysing


class Analyses:
    """Analyses of texts by one analyzer, computed once per (text, lang) and kept for every task."""

    def __init__(self, analyzer: Any, lang: str | None) -> None:
        self.analyzer = analyzer
        self.lang = lang
        self.cache: dict[tuple[str, str | None], Any] = {}
        self.seconds = 0.0

    def get(self, texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[Any]:
        langs = langs or [None] * len(texts)
        keys = [(t, self.lang or lang) for t, lang in zip(texts, langs, strict=True)]
        missing: dict[str | None, list[str]] = {}
        seen: set[tuple[str, str | None]] = set()
        for text, lang in keys:
            if (text, lang) not in self.cache and (text, lang) not in seen:
                seen.add((text, lang))
                missing.setdefault(lang, []).append(text)
        started = time.perf_counter()
        for lang, group in missing.items():
            for start in range(0, len(group), BATCH):
                chunk = group[start : start + BATCH]
                for text, analysis in zip(chunk, self.analyzer.analyze_many(chunk, lang=lang), strict=True):
                    self.cache[(text, lang)] = analysis
        self.seconds += time.perf_counter() - started
        return [self.cache[key] for key in keys]


def emotion_prediction(analysis: Any, threshold: float) -> str:
    """The top emotion at or above `threshold`, else "none"."""
    top = analysis.top_emotion(threshold)
    return str(top) if top else NONE


def signal_prediction(analysis: Any, name: str, threshold: float) -> bool:
    if name in SCALAR_SIGNALS:
        return bool(getattr(analysis, name) >= threshold)
    if name in LIFE_EVENTS:
        return name in analysis.life_events
    if name in ACTS:
        return name in analysis.acts
    return bool(analysis.emotions.get(name, 0.0) >= threshold)


# --------------------------------------------------------------------------- evaluating


@dataclass
class Options:
    train: Path | None = None
    train_sample: int = TRAIN_SAMPLE
    lang: str | None = None
    threshold: float | None = None  # fixes the emotion threshold (no selection)
    dead_zone: float | None = None  # fixes the sentiment dead zone (no selection)
    signal_threshold: float = DEFAULT_SIGNAL_THRESHOLD
    resamples: int = RESAMPLES
    seed: int = SEED
    peers: bool = True
    lexicon_dirs: tuple[Path, ...] = ()  # an organisation's own lexicons, on top of the shipped ones
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)  # what the edge configured


@dataclass
class System:
    name: str
    analyses: Analyses


def train_sample(options: Options) -> list[Row]:
    """The train rows used for a selection: a fixed-seed sample of `train_sample` rows, in file order."""
    if options.train is None:
        return []
    return list(_sample(options.train, options.train_sample, options.seed))


@lru_cache(maxsize=1)  # every task of a run reads the same sample
def _sample(path: Path, size: int, seed: int) -> tuple[Row, ...]:
    rows = load_rows(path)
    if len(rows) > size:
        rows = random.Random(seed).sample(rows, size)
        rows.sort(key=lambda row: row.line)
    return tuple(rows)


def row_lang(row: Row, fallback: str | None) -> str | None:
    lang = row.data.get("lang")
    return lang if lang in ("nl", "en") else fallback
