"""E-mail intake: `gezien mail fetch|ingest` and `gezien mailbox add|list`."""

from __future__ import annotations

import argparse
import sys

from gezien.cli._base import setup


def cmd_mail_fetch(args: argparse.Namespace) -> int:
    """IMAP intake: every active mailbox with an IMAP URL (or only --mailbox), one line per mailbox and round.
    --once: what is there now, exit 1 when a mailbox failed; else until SIGTERM or SIGINT."""
    setup()
    import signal
    import threading

    from gezien.mail.imap import FetchReport, fetch_once, watch_all
    from gezien.mail.models import Mailbox

    boxes = Mailbox.objects.filter(active=True).exclude(imap_url="")
    if args.mailbox:
        box = Mailbox.objects.filter(name=args.mailbox).first()
        if box is None:
            print(f"gezien: onbekende mailbox {args.mailbox}", file=sys.stderr)
            return 2
        if not box.imap_url or not box.active:
            print(f"gezien: mailbox {args.mailbox} heeft geen IMAP-adres of staat uit", file=sys.stderr)
            return 2
        boxes = boxes.filter(pk=box.pk)
    if not boxes.exists():
        print("gezien: geen actieve mailbox met een IMAP-adres (mailbox add ... --imap URL)", file=sys.stderr)
    if args.once:
        failed = False
        for box in boxes:
            report = fetch_once(box)
            print(report.line(), flush=True)
            failed = failed or bool(report.error)
        return 1 if failed else 0

    stop = threading.Event()
    lock = threading.Lock()

    def show(report: FetchReport) -> None:
        with lock:
            print(report.line(), flush=True)

    def stopping(_signum: int, _frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, stopping) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        watch_all(stop, name=args.mailbox, report=show)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _add_mail_fetch(mail_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    fetch = mail_sub.add_parser("fetch", help="IMAP intake: IDLE where the server has it, else polling")
    fetch.add_argument("--mailbox", default="", help="only this mailbox (its name)")
    fetch.add_argument("--once", action="store_true", help="fetch what is there and exit")
    fetch.set_defaults(func=cmd_mail_fetch)


def cmd_mailbox(args: argparse.Namespace) -> int:
    setup()
    from gezien.accounts.models import Team
    from gezien.core.errors import DomainError
    from gezien.mail.models import Mailbox
    from gezien.mail.services import mailbox_add, server_display

    if args.action == "list":
        for box in Mailbox.objects.select_related("team"):
            imap = server_display(box.imap_url, kind="imap", mailbox=box.name) or "-"
            smtp = server_display(box.smtp_url, kind="smtp", mailbox=box.name) or "-"
            team_name = box.team.name if box.team else "-"
            state = "actief" if box.active else "uit"
            print(f"{box.name}\t{box.address}\t{team_name}\t{imap}\t{smtp}\t{state}")
        return 0
    team = Team.objects.filter(name=args.team).first() if args.team else None
    if args.team and team is None:
        print(f"gezien: onbekend team {args.team}", file=sys.stderr)
        return 2
    try:
        box = mailbox_add(
            name=args.name, address=args.address, imap_url=args.imap, smtp_url=args.smtp, team=team
        )
    except DomainError as exc:
        print(f"gezien: {exc.message}", file=sys.stderr)
        return 2
    print(f"Mailbox {box.name} <{box.address}> aangemaakt.")
    return 0


def cmd_mail_ingest(args: argparse.Namespace) -> int:
    """Raw mails from files or stdin; prints each one's outcome as one JSON line, exit 0 for every outcome.
    Several files are read first (one unreadable or empty: nothing is stored), then handled in batches."""
    setup()
    import json

    from gezien.mail.intake import ingest, ingest_many
    from gezien.mail.models import Mailbox

    mailbox = Mailbox.objects.filter(name=args.mailbox).first()
    if mailbox is None:
        print(f"gezien: onbekende mailbox {args.mailbox}", file=sys.stderr)
        return 2
    raws = []
    for name in args.file:
        try:
            if name == "-":
                raw = sys.stdin.buffer.read()
            else:
                with open(name, "rb") as handle:
                    raw = handle.read()
        except OSError as exc:
            print(f"gezien: kan {name} niet lezen: {exc.strerror or exc}", file=sys.stderr)
            return 2
        if not raw.strip():
            print(f"gezien: {name} is leeg: geen e-mail om te verwerken", file=sys.stderr)
            return 2
        raws.append(raw)
    results = [ingest(mailbox, raws[0])] if len(raws) == 1 else ingest_many(mailbox, raws)
    for result in results:
        print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
    return 0


def _add_mailbox(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    mailbox = sub.add_parser("mailbox", help="mailboxes customers write to")
    mailbox_sub = mailbox.add_subparsers(dest="action", required=True)
    add = mailbox_sub.add_parser(
        "add",
        help="a new mailbox",
        description="URLs like imaps://user:pass@host:993/INBOX and smtp+starttls://user:pass@host:587; "
        "credentials may come from GEZIEN_MAIL_<NAME>_<IMAP|SMTP>_<USER|PASSWORD|TOKEN> instead.",
    )
    add.add_argument("name")
    add.add_argument("--address", required=True)
    add.add_argument("--imap", default="", help="e.g. imaps://user@host:993/INBOX (none: mail is piped in)")
    add.add_argument("--smtp", default="", help="e.g. smtp+starttls://user@host:587 or file:///folder")
    add.add_argument("--team", default="", help="the team whose queue its mail joins")
    mailbox_sub.add_parser("list", help="the mailboxes")
    mailbox.set_defaults(func=cmd_mailbox)


def _add_mail_ingest(mail_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ingest = mail_sub.add_parser(
        "ingest", help="raw RFC 5322 mails from FILEs or - (stdin), one JSON line each"
    )
    ingest.add_argument("--mailbox", required=True)
    ingest.add_argument("file", metavar="FILE|-", nargs="+")
    ingest.set_defaults(func=cmd_mail_ingest)


# The `gezien mail ...` commands: each adds its parser to the group.
_MAIL_COMMANDS = (_add_mail_ingest, _add_mail_fetch)


def _add_mail(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    mail = sub.add_parser("mail", help="e-mail intake")
    mail_sub = mail.add_subparsers(dest="mail_command", required=True)
    for add in _MAIL_COMMANDS:
        add(mail_sub)


def add(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    _add_mailbox(sub)
    _add_mail(sub)
