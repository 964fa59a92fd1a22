"""`gezien analysis train`: refit the learned layer's heads on the public data plus this desk's
corrections, write them to GEZIEN_MODEL_DIR (where the desk's analyser loads them from), and report
the dev figures before and after.

The corrections go to the trainer in memory: customer texts are never written to a file for it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

from django.conf import settings

from gezien.contacts.analysing import analysers_forget
from gezien.contacts.corrections import CorrectedSignal, corrections_as_examples
from gezien.contacts.vocabulary import EMOTION_LABELS, REGISTER_LABELS


def learnable(examples: list[CorrectedSignal]) -> list[CorrectedSignal]:
    """The corrections the learned layer has heads for (emotions and register); abuse, churn, repeat
    and life events are the rules' alone: their corrections are for whoever maintains the lexicons."""
    return [e for e in examples if e.signal in EMOTION_LABELS or e.signal in REGISTER_LABELS]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gezien analysis train",
        description="Refit the learned layer on the public data plus the corrections made in the desk.",
    )
    parser.add_argument("--data", type=Path, default=None, help="the public training data (default: found)")
    parser.add_argument(
        "--out", type=Path, default=None, help="where the heads go (default: GEZIEN_MODEL_DIR)"
    )
    parser.add_argument("--search", action="store_true", help="choose hyper-parameters anew")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows of each file")
    parser.add_argument("--cache-dir", type=Path, default=None, help="embedding cache")
    parser.add_argument("--no-cache", action="store_true")
    return parser


def train_with_corrections(argv: list[str], *, stdout: TextIO, stderr: TextIO) -> int:
    args = _parser().parse_args(argv)
    try:  # the training code lives in gezien_lab, apart from the desk: loaded only for this command
        from gezien_lab.public_data import default_data_dir
        from gezien_lab.training import LabelledExample, default_cache_dir, train_from_args
    except ImportError as exc:
        print(f"gezien: {exc}: pip install 'gezien[models]'", file=stderr)
        return 2
    data = args.data or default_data_dir(os.environ.get("GEZIEN_TRAINING_DATA"))
    if data is None:
        print("gezien: geen trainingsdata gevonden; geef --data DIR", file=stderr)
        return 2
    examples = corrections_as_examples()
    usable = learnable(examples)
    print(
        f"{len(examples)} gecorrigeerde signalen, waarvan {len(usable)} voor de geleerde laag "
        "(emoties en aanspreekvorm).",
        file=stdout,
    )
    out = args.out or settings.GEZIEN_MODEL_DIR
    try:
        extra = [LabelledExample(e.text, e.signal, e.value) for e in usable]
        args.cache_dir = args.cache_dir or default_cache_dir(os.environ)
        report = train_from_args(
            args,
            data_dir=data,
            extra=extra,
            out_dir=out,
            log=stderr,
            lexicon_dirs=tuple(settings.GEZIEN_LEXICON_DIRS),
        )
    except ImportError as exc:
        print(f"gezien: {exc}: pip install 'gezien[models]'", file=stderr)
        return 2
    except (OSError, ValueError, KeyError) as exc:
        print(f"gezien: trainen mislukt: {exc}", file=stderr)
        return 2
    analysers_forget()  # this process analyses with the new heads from now on
    print(report.describe(), file=stdout)
    print(
        "Nieuwe heads staan klaar; herstart de server en de workers, en werk de signalen bij met "
        "`gezien analysis reanalyse`.",
        file=stdout,
    )
    return 0
