"""Coaching's habit reads: `gezien coaching reanalyse` reads closed contacts again (or for the first time);
`gezien coaching calibration export` writes the team leads' hand scores as JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any

from gezien.cli._base import setup


def _since(raw: str) -> datetime | None:
    """The start of the day `raw` (YYYY-MM-DD) in the desk's time zone; None for ""; ValueError else."""
    from django.utils import timezone

    if not raw:
        return None
    return timezone.make_aware(datetime.combine(date.fromisoformat(raw), datetime.min.time()))


def cmd_coaching_reanalyse(args: argparse.Namespace) -> int:
    """Read every closed contact that has no current read (`--all`: every one again), rules only."""
    setup()
    from gezien.coaching.services import reads_backfill

    try:
        since = _since(args.since)
    except ValueError:
        print(f"gezien: --since wil een datum als JJJJ-MM-DD, niet {args.since!r}", file=sys.stderr)
        return 2

    def progress(done: int, total: int) -> None:
        if not args.quiet:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    count = reads_backfill(since=since, force=args.all, progress=progress)
    if not args.quiet:
        print(file=sys.stderr)
    print(f"{count} contacten gelezen")
    return 0


def cmd_calibration_export(args: argparse.Namespace) -> int:
    """Every hand score of the calibration as one JSON object a line (docs/coaching.md "Calibration")."""
    setup()
    from gezien.coaching.calibration import calibration_export_all

    try:
        since = _since(args.since)
    except ValueError:
        print(f"gezien: --since wil een datum als JJJJ-MM-DD, niet {args.since!r}", file=sys.stderr)
        return 2
    out = open(args.output, "w", encoding="utf-8") if args.output != "-" else sys.stdout  # noqa: SIM115
    count = 0
    try:
        for row in calibration_export_all(since):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"{count} scores", file=sys.stderr)
    return 0


def add(sub: Any) -> None:
    coaching = sub.add_parser("coaching", help="the habit reads of closed contacts (issue 19)")
    coaching_sub = coaching.add_subparsers(dest="coaching_command", required=True)
    again = coaching_sub.add_parser("reanalyse", help="read closed contacts without a current read")
    again.add_argument("--all", action="store_true", help="read every closed contact again")
    again.add_argument("--since", default="", help="only contacts closed from this date (YYYY-MM-DD)")
    again.add_argument("--quiet", action="store_true", help="no progress on stderr")
    again.set_defaults(func=cmd_coaching_reanalyse)
    calibration = coaching_sub.add_parser("calibration", help="team leads' hand scores of the read")
    calibration_sub = calibration.add_subparsers(dest="calibration_command", required=True)
    export = calibration_sub.add_parser("export", help="the hand scores beside the read, as JSON lines")
    export.add_argument("--since", default="", help="only scores given from this date (YYYY-MM-DD)")
    export.add_argument("--output", "-o", default="-", help="a file (default: standard output)")
    export.set_defaults(func=cmd_calibration_export)
