"""Coaching's habit reads: `gezien coaching reanalyse` reads closed contacts again (or for the first time)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import Any

from gezien.cli._base import setup


def cmd_coaching_reanalyse(args: argparse.Namespace) -> int:
    """Read every closed contact that has no current read (`--all`: every one again), rules only."""
    setup()
    from django.utils import timezone

    from gezien.coaching.services import reads_backfill

    since = None
    if args.since:
        try:
            day = date.fromisoformat(args.since)
        except ValueError:
            print(f"gezien: --since wil een datum als JJJJ-MM-DD, niet {args.since!r}", file=sys.stderr)
            return 2
        since = timezone.make_aware(datetime.combine(day, datetime.min.time()))

    def progress(done: int, total: int) -> None:
        if not args.quiet:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    count = reads_backfill(since=since, force=args.all, progress=progress)
    if not args.quiet:
        print(file=sys.stderr)
    print(f"{count} contacten gelezen")
    return 0


def add(sub: Any) -> None:
    coaching = sub.add_parser("coaching", help="the habit reads of closed contacts (issue 19)")
    coaching_sub = coaching.add_subparsers(dest="coaching_command", required=True)
    again = coaching_sub.add_parser("reanalyse", help="read closed contacts without a current read")
    again.add_argument("--all", action="store_true", help="read every closed contact again")
    again.add_argument("--since", default="", help="only contacts closed from this date (YYYY-MM-DD)")
    again.add_argument("--quiet", action="store_true", help="no progress on stderr")
    again.set_defaults(func=cmd_coaching_reanalyse)
