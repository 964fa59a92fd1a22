"""Call events and the telephone system: `gezien cti replay|ring|asterisk|call|transfer|extension`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
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


def _event_dict(event: Any) -> dict[str, Any]:
    """A `phone.services.EventIn` as the API takes it."""
    body = {"event": event.event, "call_id": event.call_id, **event.data()}
    return {k: v for k, v in body.items() if v}


def _agents(args: argparse.Namespace) -> Any:
    """channel -> the desk person whose phone it is: from the database, or (with --url) the desk's
    GET /api/cti/extensions, read again at most every 60 s."""
    from gezien.phone.calling import channel_owner

    if not args.url:
        from gezien.phone.calling import agent_for_channel, username_of

        return lambda channel: username_of(agent_for_channel(channel))
    import time

    from gezien.phone.replay import http_get

    token = args.token or os.environ.get("GEZIEN_TOKEN", "")
    cache: dict[str, Any] = {"at": -1e9, "rows": []}

    def owner(channel: str) -> str:
        if time.monotonic() - cache["at"] > 60:
            rows = http_get(args.url, token, "/api/cti/extensions")
            cache["rows"] = [(r["user"], r["extension"], r["interface"]) for r in rows]
            cache["at"] = time.monotonic()
        return channel_owner(channel, cache["rows"])

    return owner


def cmd_cti_asterisk(args: argparse.Namespace) -> int:
    """Listen to Asterisk's manager interface and hand its calls to the desk, until stopped."""
    import json
    import time

    from gezien.core.errors import DomainError
    from gezien.phone.ami import AmiAuthError, AmiError, parse_ami_url
    from gezien.phone.recordings import recording_attach_to_call, recording_path_in
    from gezien.phone.replay import ReplayError, http_attach_recording

    raw = args.ami or os.environ.get("GEZIEN_CTI_AMI", "")
    if not raw:
        print(
            "gezien cti asterisk: geef --ami tcp://gebruiker:wachtwoord@host:5038 (of GEZIEN_CTI_AMI)",
            file=sys.stderr,
        )
        return 2
    try:
        url = parse_ami_url(raw)
    except AmiError as exc:
        print(f"gezien cti asterisk: {exc}", file=sys.stderr)
        return 2
    folder = Path(args.recordings_dir).expanduser() if args.recordings_dir else None
    if folder is not None and not folder.is_dir():
        print(f"gezien cti asterisk: --recordings-dir {folder} is geen map", file=sys.stderr)
        return 2
    setup()
    send = _cti_sender(args)
    from django.db import close_old_connections, connection

    from gezien.phone.adapters.asterisk import AsteriskMapper, FileSettle, MixMonitorWatch, serve

    agent_of = _agents(args)
    mapper = AsteriskMapper(agent_of=agent_of)
    watch = MixMonitorWatch(agent_of=agent_of, agent_channel=args.recording_agent_channel)
    settle = FileSettle()
    handled = 0

    def say(text: str) -> None:
        print(f"gezien cti asterisk: {text}", file=sys.stderr, flush=True)

    def fresh_connection() -> None:
        # Straight into the database: a connection that went away is opened again (never one inside a
        # transaction: a caller's, e.g. a test's, would be lost with it).
        if not args.url and not connection.in_atomic_block:
            close_old_connections()

    def deliver(body: dict[str, Any]) -> dict[str, Any] | None:
        for attempt in range(5):
            try:
                answer: dict[str, Any] = send(body)
                return answer
            except OSError as exc:  # the desk is away a moment: try again
                say(f"{exc}; opnieuw ({attempt + 1})")
                time.sleep(min(2**attempt, 10))
            except ReplayError as exc:
                say(f"{body['event']} {body['call_id']}: {exc}")
                return None
        return None

    def recording_seen(message: dict[str, str]) -> None:
        for done in watch.seen(message):
            if folder is None:
                say(f"opname {done.filename} van gesprek {done.call_id} overgeslagen: geen --recordings-dir")
                continue
            try:
                path = recording_path_in(folder, done.filename)
            except DomainError as exc:
                say(f"gesprek {done.call_id}: {exc.message}")
                continue
            settle.add(done, path, time.monotonic())

    def handle(message: dict[str, str]) -> bool:
        nonlocal handled
        fresh_connection()
        try:
            events = mapper.events(message)
        except ReplayError as exc:
            say(str(exc))
            return False
        for event in events:
            body = _event_dict(event)
            answer = deliver(body)
            if answer is not None:
                line = {"ami": message.get("Event", ""), "event": body, "answer": answer}
                print(json.dumps(line, ensure_ascii=False), flush=True)
            handled += 1
        recording_seen(message)
        return bool(args.stop_after and handled >= args.stop_after)

    def attach(done: Any, path: Path) -> dict[str, Any] | None:
        """The finished recording to its call's contact: over the desk's API, or into the database."""
        try:
            assert folder is not None  # only then are recordings waiting
            path = recording_path_in(folder, str(path))  # checked again: not swapped for a link since
            if args.url:
                token = args.token or os.environ.get("GEZIEN_TOKEN", "")
                got = http_attach_recording(args.url, token, done.call_id, path, done.agent_channel)
                keys = ("id", "contact_id", "created", "analysis_state", "agent_channel", "duration_s")
                return {key: got.get(key) for key in keys}
            fresh_connection()
            recording = recording_attach_to_call(
                call_id=done.call_id, path=path, agent_channel=done.agent_channel
            )
        except (DomainError, ReplayError) as exc:
            say(f"opname {done.filename} van gesprek {done.call_id}: {getattr(exc, 'message', exc)}")
            return None
        return {
            "id": recording.pk,
            "contact_id": recording.contact_id,
            "created": bool(getattr(recording, "created_now", False)),
            "analysis_state": recording.analysis_state,
            "agent_channel": recording.agent_channel,
            "duration_s": recording.duration_s,
        }

    def idle() -> bool:
        nonlocal handled
        if settle.waiting:
            ready, given_up = settle.ready(time.monotonic())
            for done, _path in given_up:
                waited = f"{settle.give_up_s:.0f} s"
                say(f"opname {done.filename} van gesprek {done.call_id} na {waited} nog niet af: opgegeven")
            for done, path in ready:
                recording = attach(done, path)
                if recording is not None:
                    line = {
                        "ami": done.event,
                        "recording": {"call_id": done.call_id, "file": done.filename, **recording},
                    }
                    print(json.dumps(line, ensure_ascii=False), flush=True)
                handled += 1
        return bool(args.stop_after and handled >= args.stop_after)

    try:
        serve(url, handle, seconds=args.seconds, say=say, idle=idle)
    except AmiAuthError as exc:
        print(f"gezien cti asterisk: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 0
    return 0


def _person(name: str) -> Any:
    from gezien.phone.services import agent_named

    person = agent_named(name)
    if person is None:
        raise SystemExit(f"gezien cti: geen medewerker {name!r}")
    return person


def _domain(work: Any) -> int:
    """Run `work()`; a refusal of the domain is one line on stderr and exit status 1."""
    import json

    from gezien.core.errors import DomainError

    try:
        result = work()
    except DomainError as exc:
        print(f"gezien cti: {exc.message}", file=sys.stderr)
        return 1
    if result is not None:
        print(json.dumps(result, ensure_ascii=False))
    return 0


def cmd_cti_call(args: argparse.Namespace) -> int:
    """Click-to-call: the agent's phone rings, then it dials the number."""
    setup()
    from gezien.api.cti import call_out
    from gezien.phone.calling import call_originate

    agent = _person(args.user)
    return _domain(
        lambda: call_out(call_originate(agent=agent, to=args.number, actor=None, source="cli")).model_dump(
            mode="json"
        )
    )


def cmd_cti_transfer(args: argparse.Namespace) -> int:
    """Warm transfer of a call that is going on to a colleague."""
    setup()
    from gezien.api.cti import call_out
    from gezien.phone.calling import call_by_call_id, call_transfer

    to_agent = _person(args.to_user)
    return _domain(
        lambda: call_out(
            call_transfer(call=call_by_call_id(args.call_id), to_agent=to_agent, actor=None, source="cli")
        ).model_dump(mode="json")
    )


def cmd_cti_extension(args: argparse.Namespace) -> int:
    """List, set or remove who answers which phone."""
    setup()
    from gezien.phone.calling import extension_remove, extension_set
    from gezien.phone.models import Extension

    if args.action == "list":
        for found in Extension.objects.select_related("user"):
            print(f"{found.user.get_username()}\t{found.extension}\t{found.interface}")
        return 0
    person = _person(args.user)
    if args.action == "remove":
        return _domain(lambda: {"removed": extension_remove(user=person, actor=None, source="cli")})
    if not args.extension:
        print("gezien cti extension set USER EXTENSION [--interface PJSIP/201]", file=sys.stderr)
        return 2
    return _domain(
        lambda: {
            "user": person.get_username(),
            "extension": (
                found := extension_set(
                    user=person, extension=args.extension, interface=args.interface, actor=None, source="cli"
                )
            ).extension,
            "interface": found.interface,
        }
    )


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
    asterisk = cti_sub.add_parser(
        "asterisk", help="listen to Asterisk's manager interface (AMI) and hand its calls to the desk"
    )
    asterisk.add_argument("--ami", default="", help="tcp://user:secret@host:5038 (or GEZIEN_CTI_AMI)")
    asterisk.add_argument(
        "--seconds", type=float, default=0, help="stop after this long (0: run until stopped)"
    )
    asterisk.add_argument(
        "--stop-after", type=int, default=0, help="stop after this many call events and recordings (tests)"
    )
    asterisk.add_argument(
        "--recordings-dir",
        default="",
        help="where MixMonitor writes its recordings: finished ones are attached to their call's contact "
        "(only files inside this folder are read)",
    )
    asterisk.add_argument(
        "--recording-agent-channel",
        choices=("auto", "left", "right"),
        default="auto",
        help="the agent's side of the stereo file (auto: left when MixMonitor ran on the agent's phone)",
    )
    call = cti_sub.add_parser("call", help="click-to-call: the agent's phone rings, then dials NUMBER")
    call.add_argument("number")
    call.add_argument("--user", required=True, help="the agent (username or e-mail)")
    call.set_defaults(func=cmd_cti_call)
    transfer = cti_sub.add_parser("transfer", help="warm transfer of a call going on to a colleague")
    transfer.add_argument("call_id", help="the telephone system's call id")
    transfer.add_argument("--to-user", required=True, help="the colleague (username or e-mail)")
    transfer.set_defaults(func=cmd_cti_transfer)
    extension = cti_sub.add_parser("extension", help="who answers which phone: list | set | remove")
    extension.add_argument("action", choices=("list", "set", "remove"))
    extension.add_argument("user", nargs="?", default="")
    extension.add_argument("extension", nargs="?", default="")
    extension.add_argument(
        "--interface", default="", help="the device, e.g. PJSIP/201 (default PJSIP/<extension>)"
    )
    extension.set_defaults(func=cmd_cti_extension)
    for parser, func in ((replay, cmd_cti_replay), (ring, cmd_cti_ring), (asterisk, cmd_cti_asterisk)):
        parser.add_argument("--url", default="", help="a running desk, e.g. http://127.0.0.1:8000")
        parser.add_argument("--token", default="", help="an API token with cti:write (or GEZIEN_TOKEN)")
        if parser is not asterisk:
            parser.add_argument(
                "--speed", type=float, default=1.0, help="play faster (2: twice as fast; 0: no waits)"
            )
        parser.set_defaults(func=func)
