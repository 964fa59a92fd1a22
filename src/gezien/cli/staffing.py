"""The workforce maths: `gezien staffing`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gezien.workforce.table import StaffingQuestion


def cmd_staffing(args: argparse.Namespace) -> int:
    """A quick staffing question: no database, only the workforce maths."""
    from gezien.workforce import parsing
    from gezien.workforce.table import StaffingQuestion, format_staffing, staffing_report

    try:
        target_sl, target_s = parsing.parse_target(args.target)
        question = StaffingQuestion(
            calls=parsing.parse_amount(args.calls, name="--calls"),
            interval_s=parsing.parse_duration(args.interval, name="intervalduur"),
            aht_s=parsing.parse_duration(args.aht, name="afhandeltijd"),
            target_s=target_s,
            target_sl=target_sl,
            patience_s=_optional_duration(args.patience, "geduld"),
            shrinkage=parsing.parse_percentage(args.shrinkage, name="shrinkage"),
            concurrency=parsing.parse_concurrency(args.concurrency),
            max_occupancy=_optional_percentage(args.max_occupancy, "--max-occupancy"),
            max_abandon=_optional_percentage(args.max_abandon, "--max-abandon"),
        )
        _staffing_check(question)
    except ValueError as exc:
        print(f"gezien: {exc}", file=sys.stderr)
        return 2
    print(format_staffing(staffing_report(question)), end="")
    return 0


def _optional_duration(text: str | None, name: str) -> float | None:
    from gezien.workforce.parsing import parse_duration

    return None if text is None else parse_duration(text, name=name)


def _optional_percentage(text: str | None, name: str) -> float | None:
    from gezien.workforce.parsing import parse_percentage

    if text is None:
        return None
    value = parse_percentage(text, name=name, allow_hundred=True)
    if value == 0:
        raise ValueError(f"{name} moet groter zijn dan 0%")
    return value


def _staffing_check(question: StaffingQuestion) -> None:
    """Inputs the maths cannot take, said in the desk's words before it refuses them."""
    if question.interval_s <= 0 or question.aht_s <= 0:
        raise ValueError("intervalduur en afhandeltijd moeten groter zijn dan 0")
    if question.patience_s is not None and question.patience_s <= 0:
        raise ValueError("geduld moet groter zijn dan 0")
    if question.max_abandon is not None and question.patience_s is None:
        raise ValueError("--max-abandon vraagt om --patience (opgehangen bellers zijn een Erlang A-cijfer)")


def add(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    staffing = sub.add_parser(
        "staffing",
        help="agents needed for a queue, as a table (Erlang C; Erlang A with --patience)",
        description="Example: gezien staffing --calls 100 --interval 30m --aht 180s --target 80/20",
    )
    staffing.add_argument("--calls", required=True, help="contacts per interval, e.g. 100")
    staffing.add_argument("--interval", required=True, help="interval length, e.g. 15m, 30m, 1h")
    staffing.add_argument("--aht", required=True, help="average handling time, e.g. 180s or 3m")
    staffing.add_argument("--target", required=True, help="service level target: 80/20 is 80%% within 20 s")
    staffing.add_argument("--patience", help="mean wait before callers hang up, e.g. 120s (Erlang A)")
    staffing.add_argument("--shrinkage", default="0%", help="share of paid time off the line, e.g. 30%%")
    staffing.add_argument("--concurrency", default="1", help="contacts an agent handles at once (chat)")
    staffing.add_argument("--max-occupancy", help="highest occupancy allowed, e.g. 85%%")
    staffing.add_argument("--max-abandon", help="most callers hanging up, e.g. 5%% (with --patience)")
    staffing.set_defaults(func=cmd_staffing)
