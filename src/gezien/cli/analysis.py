"""Message signals: `gezien analysis reanalyse|train|eval` and `gezien analyse`."""

from __future__ import annotations

import argparse
import sys

from gezien.cli._base import setup


def cmd_analysis_reanalyse(args: argparse.Namespace) -> int:
    setup()
    from gezien.analysis import ModelUnavailable
    from gezien.contacts.analysing import Scope, analyser, analyser_version, messages_reanalyse
    from gezien.core.progress import ProgressBar

    scope: Scope = "all" if args.all else "missing" if args.missing else "stale"
    try:
        using = analyser(args.model)
    except ModelUnavailable as exc:
        print(f"gezien: {exc}", file=sys.stderr)
        return 2
    bar = ProgressBar("Analyseren")
    done = messages_reanalyse(scope=scope, batch=args.batch, using=using, progress=bar)
    bar.close()
    print(f"{done} berichten geanalyseerd ({analyser_version(using)}).")
    return 0


def cmd_analysis_train(args: argparse.Namespace) -> int:
    setup()
    from gezien.contacts.training import train_with_corrections

    return train_with_corrections(args.rest, stdout=sys.stdout, stderr=sys.stderr)


def cmd_analysis_eval(args: argparse.Namespace) -> int:
    """The evaluation harness of `gezien_lab` (loaded only here: it is no part of the desk). Like
    `gezien analyse`, it uses the lexicons and the heads the environment names, as the desk does."""
    from gezien.config.analysis import analysis_config_from_env
    from gezien_lab.evaluation import main as evaluation_main

    return int(evaluation_main(args.rest, config=analysis_config_from_env()))


def cmd_analyse(args: argparse.Namespace) -> int:
    from gezien.analysis.batch import main as batch_main
    from gezien.config.analysis import analysis_config_from_env

    config = analysis_config_from_env()
    return int(batch_main(args.rest, stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr, config=config))


def _batch_size(raw: str) -> int:
    value = int(raw)
    if not 1 <= value <= 100_000:
        raise argparse.ArgumentTypeError("between 1 and 100000")
    return value


def add(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    analysis = sub.add_parser("analysis", help="message signals: reanalyse, train, eval")
    analysis_sub = analysis.add_subparsers(dest="action", required=True)
    reanalyse = analysis_sub.add_parser(
        "reanalyse",
        help="analyse stored messages again, after a lexicon or model change",
        description="By default: messages without signals, or analysed by another analyser version.",
    )
    which = reanalyse.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every message")
    which.add_argument("--missing", action="store_true", help="only messages without signals")
    reanalyse.add_argument("--batch", type=_batch_size, default=500, help="messages per transaction")
    reanalyse.add_argument(
        "--model", choices=["auto", "on", "off"], default=None, help="default: GEZIEN_ANALYSIS_MODEL"
    )
    reanalyse.set_defaults(func=cmd_analysis_reanalyse)
    train = analysis_sub.add_parser(
        "train", help="refit the learned layer on the desk's corrections plus the public data"
    )
    train.add_argument("rest", nargs=argparse.REMAINDER)
    train.set_defaults(func=cmd_analysis_train)
    evaluate = analysis_sub.add_parser("eval", help="the evaluation harness", add_help=False)
    evaluate.add_argument("rest", nargs=argparse.REMAINDER)
    evaluate.set_defaults(func=cmd_analysis_eval)
    analyse = sub.add_parser(
        "analyse", help="signals for texts in a JSONL or CSV file (- for stdin)", add_help=False
    )
    analyse.add_argument("rest", nargs=argparse.REMAINDER)
    analyse.set_defaults(func=cmd_analyse)
