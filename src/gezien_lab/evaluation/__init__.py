"""Evaluation harness: score labelled JSONL against the signals, beside a majority baseline and peers.

    gezien analysis eval FILE.jsonl [--task emotion|sentiment|register|signals] [--train TRAIN.jsonl]
                                    [--model] [--limit N] [--lang nl|en] [--json OUT]
    python -m gezien_lab.evaluation --dev-report      # or `make analysis-eval`

Every row of FILE is a JSON object with a `text` and one or more labels; the tasks follow from the
fields (or `--task`):

- `emotion`: field `label`. GoEmotions labels are mapped with `GOEMOTIONS_TO_GEZIEN` (unmapped ones
  become "none"); our own emotion names and "none" pass through. The prediction is the top emotion at
  or above a threshold, else "none".
- `sentiment`: field `sentiment` (positive/negative/neutral), or derived from a GoEmotions `label` with
  `GOEMOTIONS_SENTIMENT` (rows whose label has no sentiment there are left out). The prediction is
  `Analysis.sentiment` beyond a dead zone.
- `register`: CoCoA-MT pairs (`formal` and `informal` fields: two texts per row, scored per text and
  per pair, a pair counting only when both versions are right) or rows with a `register` field.
  "mixed" and "unknown" predictions count as wrong.
- `signals`: `{"text": ..., "signals": {"churn": true, "bereavement": false, ...}}`: binary signals
  (abuse/churn/repeat at or above --signal-threshold, life events and acts by membership, emotions at
  or above the threshold); macro-F1 is the mean F1 of the positive classes.

Thresholds are chosen on TRAIN data (`--train`), never on the data scored: `select_on_train` tries a
fixed grid and keeps the value with the best train macro-F1 (ties: the smallest). Without `--train`
the defaults (emotion threshold 0.5, dead zone 0.05) are used and the report says so.

Reported per system: accuracy and macro-F1 with percentile-bootstrap 95 % intervals (1,000 resamples of
the rows, or of the pairs, with a fixed seed: every system is resampled with the same indices),
per-class precision/recall/F1. Macro-F1 averages over the classes present in the gold labels, the
same classes for every system; a class that is only predicted shows in the per-class table with
support 0 and does not enter the average (its false positives already cost the true classes recall).
The systems: the majority baseline (the most frequent gold label of the train data when given, else
of the scored data), the rules, rules + learned layer (`--model`, or in the dev report whenever the
`models` extra is installed), and the peers of `gezien_lab.peers`.
"""

from __future__ import annotations

from gezien_lab.evaluation.cli import main
from gezien_lab.evaluation.data import DEFAULT_DEAD_ZONE, DEFAULT_EMOTION_THRESHOLD, EvalDataError, Options
from gezien_lab.evaluation.metrics import (
    ClassScore,
    accuracy,
    bootstrap_ci,
    macro_f1,
    majority_label,
    per_class_scores,
)
from gezien_lab.evaluation.report import BEGIN, DOC, END, dev_report, format_markdown, format_text, write_doc
from gezien_lab.evaluation.results import Selection, SystemResult, TaskResult, score_system, select_on_train
from gezien_lab.evaluation.tasks import evaluate_file

__all__ = [
    "BEGIN",
    "DEFAULT_DEAD_ZONE",
    "DEFAULT_EMOTION_THRESHOLD",
    "DOC",
    "END",
    "ClassScore",
    "EvalDataError",
    "Options",
    "Selection",
    "SystemResult",
    "TaskResult",
    "accuracy",
    "bootstrap_ci",
    "dev_report",
    "evaluate_file",
    "format_markdown",
    "format_text",
    "macro_f1",
    "main",
    "majority_label",
    "per_class_scores",
    "score_system",
    "select_on_train",
    "write_doc",
]
