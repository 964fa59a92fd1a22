"""The public labelled data the analysis is trained and evaluated on (see shared/data/README.md)."""

from __future__ import annotations

from pathlib import Path

GOEMOTIONS_TRAIN = "emotion_en_goemotions_train.jsonl"
GOEMOTIONS_DEV = "emotion_en_goemotions_dev.jsonl"
COCOA = "register_nl_cocoa_train.jsonl"
XED = "emotion_nl_xed_train.jsonl"


def default_data_dir(configured: str | Path | None = None) -> Path | None:
    """`configured` (the command line passes $GEZIEN_TRAINING_DATA), else shared/data in or beside the
    current directory or this checkout; None when none holds the data."""
    here = Path(__file__).resolve()
    candidates = [str(configured or ""), "shared/data", "../shared/data"]
    candidates += [str(p / "shared" / "data") for p in here.parents]
    for candidate in candidates:
        if candidate and (Path(candidate) / GOEMOTIONS_DEV).is_file():
            return Path(candidate).resolve()
    return None
