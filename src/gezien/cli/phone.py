"""Call events: `gezien cti replay|ring`."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from gezien.cli._base import setup


def _cti_sender(args: argparse.Namespace) -> Any:
    """Over the API of a running desk (--url, a token with cti:write), else straight into the database."""
    from gezien.phone.replay import http_sender

    if args.url:
        token = args.token or os.environ.get("GEZIEN_TOKEN", "")
        if not token:
            raise SystemExit("--url vraagt om --token (of GEZIEN_TOKEN)")
        return http_sender(args.url, token)
    setup()
    from pydantic import ValidationError

    from gezien.api.cti import CallEventIn, call_out
    from gezien.core.errors import DomainError
    from gezien.phone.replay import ReplayError
    from gezien.phone.services import cti_event

    def send(event: dict[str, Any]) -> dict[str, Any]:
        try:
            payload = CallEventIn.model_validate(event)
            result = cti_event(payload.event_in())
        except ValidationError as exc:
            raise ReplayError(str(exc).splitlines()[0]) from None
        except DomainError as exc:
            raise ReplayError(f"{exc.field or ''}: {exc.message}") from None
        return {"created": result.created, "call": call_out(result.call).model_dump(mode="json")}

    return send


def _cti_play(args: argparse.Namespace, steps: Any) -> int:
    import json

    from gezien.phone.replay import ReplayError, play

    try:
        send = _cti_sender(args)
        for answer in play(steps, send, speed=args.speed):
            print(json.dumps(answer, ensure_ascii=False), flush=True)
    except ReplayError as exc:
        print(f"gezien cti: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_cti_replay(args: argparse.Namespace) -> int:
    from gezien.phone.replay import ReplayError, read_steps

    stream = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8")  # noqa: SIM115
    try:
        steps = list(read_steps(stream))
    except ReplayError as exc:
        print(f"gezien cti replay: {exc}", file=sys.stderr)
        return 1
    finally:
        if stream is not sys.stdin:
            stream.close()
    return _cti_play(args, steps)


def cmd_cti_ring(args: argparse.Namespace) -> int:
    from gezien.phone.replay import ringing_call

    number = args.number
    if not number:
        setup()
        from gezien.customers.models import Identity

        widow = Identity.objects.filter(
            kind="phone", customer__first_name="Johanna", customer__last_name="Jansen"
        ).first()
        if widow is None:
            print(
                "gezien cti ring: geen nummer gegeven en geen demoweduwe (gezien demo-data)", file=sys.stderr
            )
            return 1
        number = widow.display or widow.value
    return _cti_play(args, ringing_call(number, ring_s=args.ring_s, answer=args.answer, talk_s=args.talk_s))


def add(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cti = sub.add_parser("cti", help="call events from a telephone system (docs/phone.md)")
    cti_sub = cti.add_subparsers(dest="cti_command", required=True)
    replay = cti_sub.add_parser("replay", help="play call events from a file of JSON lines")
    replay.add_argument("file", metavar="FILE|-")
    ring = cti_sub.add_parser("ring", help="a ringing call for the desk (default: the demo widow's number)")
    ring.add_argument("number", nargs="?", default="")
    ring.add_argument("--answer", default="", help="the agent who answers (else the caller hangs up)")
    ring.add_argument("--ring-s", type=float, default=8.0, help="seconds it rings")
    ring.add_argument("--talk-s", type=float, default=30.0, help="seconds the answered call lasts")
    for parser, func in ((replay, cmd_cti_replay), (ring, cmd_cti_ring)):
        parser.add_argument("--url", default="", help="a running desk, e.g. http://127.0.0.1:8000")
        parser.add_argument("--token", default="", help="an API token with cti:write (or GEZIEN_TOKEN)")
        parser.add_argument(
            "--speed", type=float, default=1.0, help="play faster (2: twice as fast; 0: no waits)"
        )
        parser.set_defaults(func=func)
