"""The `gezien` command for operators.

gezien serve                 serve the desk (PORT, default 8000; GEZIEN_BIND, default 127.0.0.1)
gezien migrate               create or update the database
gezien demo-data             load the demo organisation (idempotent)
gezien createuser NAME       create an agent (--role, --team, --password or prompt; the password policy)
gezien unlock NAME           let someone sign in again after too many failed attempts (--address IP)
gezien reset-2fa NAME        switch someone's two-factor sign-in off (a lost phone)
gezien token create --user NAME [--name LABEL] [--scopes S ...] [--days N] [--rate 600/min]   a new API token
gezien token list --user NAME / gezien token revoke ID
gezien worker                run background tasks (database queue, or RQ with GEZIEN_TASKS_URL), the contacts
                             outbox and the insights tick
gezien insights tick         the insights heartbeat once (for cron when no worker runs)
gezien insights digest       the weekly digest to departments (--week YYYY-MM-DD, --dry-run, --department)
gezien analysis reanalyse    analyse stored messages again (--missing, --all; default: missing or stale)
gezien analysis train        refit the learned layer's heads on the desk's corrections plus public data
gezien analysis eval ...     the evaluation harness (gezien_lab.evaluation)
gezien analyse FILE|-        signals for the texts in a JSONL or CSV file (or stdin), as JSONL
gezien staffing --calls 100 --interval 30m --aht 180s --target 80/20 [--patience 120s] [--shrinkage 30%]
                             agents needed for a queue (Erlang C, Erlang A with --patience), as a table
gezien mail fetch [--mailbox NAME] [--once]   IMAP intake until SIGTERM (--once: what is there now)
gezien mailbox add NAME --address ADDR [--imap URL] [--smtp URL] [--team TEAM]   a mailbox (docs/mail.md)
gezien mailbox list          the mailboxes, their servers shown without secrets
gezien mail ingest --mailbox NAME FILE|- [FILE ...]   raw mails (a mail server's pipe), one JSON line each
gezien cti replay FILE|- [--url URL --token T] [--speed X]   play call events (JSON lines, "delay" in s)
gezien cti ring [NUMBER] [--answer USER] [--ring-s 8] [--talk-s 30] [--url URL --token T]
                             a ringing call for the desk (default: the demo widow's number); docs/phone.md
gezien privacy export --customer ID [--out FILE]   everything about a customer as a zip (subject-access)
gezien privacy erase --customer ID --yes           erase a customer's personal data (docs/privacy.md)
gezien backup [--out FILE]   the database and the data folder's files in one archive (while serving)
gezien restore FILE --yes    put an archive of `gezien backup` back (stop the desk and workers first)
gezien audit list [--customer ID] [--actor ID] [--action A] [--since D] [--until D] [--limit N] [--json]
                             the audit log, newest first (docs/security.md "Audit")
gezien audit verify          check the audit log's hash chain (exit 1 when it is broken)
gezien manage ...            any Django management command
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING, Any

from gezien.core.files import private_umask

if TYPE_CHECKING:
    from datetime import datetime

    from gezien.core.backup import BackupReport
    from gezien.workforce.table import StaffingQuestion


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from gezien.manage import main as manage_main

    manage_main(["gezien", *args])


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve with granian (a Rust HTTP server) through its ASGI interface: live event streams wait on
    the event loop without holding a thread, every other request runs the WSGI application on a
    thread of its own (gezien.config.asgi; decision 0012)."""
    port = os.environ.get("PORT", "8000")
    bind = os.environ.get("GEZIEN_BIND", "127.0.0.1")
    refusal = _live_across_workers()
    if refusal:
        print(f"gezien: {refusal}", file=sys.stderr)
        return 2
    _open_files_raise()
    print(f"Gezien: http://{bind}:{port}/", flush=True)
    argv = [
        "granian",
        "--interface", "asgi",
        "--host", bind,
        "--port", port,
        "--workers", os.environ.get("GEZIEN_WORKERS", "1"),
        # Requests at once per worker, open event streams included (granian's default is 1024).
        "--backpressure", os.environ.get("GEZIEN_CONNECTIONS", str(SERVE_CONNECTIONS)),
        "--log-level", "info" if args.access_log else "warning",
        *(["--access-log"] if args.access_log else []),
        "gezien.config.serving:application",
    ]  # fmt: skip
    from granian.cli import entrypoint

    sys.argv = argv
    entrypoint()  # type: ignore[no-untyped-call]
    return 0


SERVE_CONNECTIONS = 10_000


def _live_across_workers() -> str:
    """Several server processes must share their live events: PostgreSQL's LISTEN/NOTIFY where the
    database is PostgreSQL and GEZIEN_LIVE_URL says nothing else (set here for the workers); on SQLite
    GEZIEN_LIVE_URL must name Redis. Returns why it cannot start, or ""."""
    workers = os.environ.get("GEZIEN_WORKERS", "1")
    if not workers.isdigit() or int(workers) <= 1 or os.environ.get("GEZIEN_LIVE_URL"):
        return ""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://")):
        os.environ["GEZIEN_LIVE_URL"] = "postgres"
        return ""
    return (
        f"GEZIEN_WORKERS={workers} needs the server processes to share live events: on SQLite set "
        "GEZIEN_LIVE_URL=redis://HOST:6379/0 (Redis), use PostgreSQL (DATABASE_URL), or serve with one"
        " process."
    )


def _open_files_raise() -> None:
    """Every open event stream is a socket: let the server open as many files as the system allows."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))


def cmd_migrate(args: argparse.Namespace) -> int:
    _manage("migrate", "--no-input", *(["-v", "0"] if args.quiet else []))
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    _setup()
    from gezien.demo.loader import load_demo

    report = load_demo(password=os.environ.get("GEZIEN_DEMO_PASSWORD", "gezien-demo"))
    print(report.describe())
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    _setup()
    from gezien.accounts.services import agent_create, team_ensure
    from gezien.core.errors import DomainError

    password = args.password or os.environ.get("GEZIEN_PASSWORD")
    if not password:
        password = getpass.getpass("Wachtwoord: ")
    try:
        user = agent_create(
            username=args.username,
            password=password,
            role=args.role,
            first_name=args.first_name,
            last_name=args.last_name,
            team=team_ensure(name=args.team) if args.team else None,
        )
    except DomainError as exc:
        print(f"gezien: {exc.message}", file=sys.stderr)
        return 2
    _audit_cli("user.create", "user", user.pk, role=args.role)
    print(f"Gebruiker {args.username} aangemaakt ({args.role}).")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    _setup()
    from gezien.accounts.models import User
    from gezien.accounts.signin import account_unlock
    from gezien.accounts.throttle import address_unlock

    if args.address:
        was = address_unlock(args.address)
        print(f"Adres {args.address} {'ontgrendeld' if was else 'was niet geblokkeerd'}.")
        return 0
    if not args.username:
        print("gezien: noem een gebruiker (of --address)", file=sys.stderr)
        return 2
    user = User.objects.filter(username=args.username).first()
    if user is None:
        print(f"gezien: onbekende gebruiker {args.username}", file=sys.stderr)
        return 2
    was = account_unlock(user=user, by=None, source="cli")
    print(f"Gebruiker {user.username} {'ontgrendeld' if was else 'was niet geblokkeerd'}.")
    return 0


def cmd_reset_2fa(args: argparse.Namespace) -> int:
    _setup()
    from gezien.accounts.models import User
    from gezien.accounts.signin import second_factor_reset

    user = User.objects.filter(username=args.username).first()
    if user is None:
        print(f"gezien: onbekende gebruiker {args.username}", file=sys.stderr)
        return 2
    was_on = second_factor_reset(user=user, by=None, source="cli")
    print(f"Tweestapsverificatie van {user.username} {'staat uit' if was_on else 'stond al uit'}.")
    return 0


def _audit_cli(action: str, object_type: str, object_id: int | str, **details: str | int | None) -> None:
    """An audit entry for what a command did: the actor is the operating-system account that ran it."""
    from gezien.audit.log import audit_record

    audit_record(
        action=action,
        actor_id=None,
        actor_name=getpass.getuser(),
        source="cli",
        object_type=object_type,
        object_id=object_id,
        details=details,
    )


def _moment(raw: str, *, end: bool = False) -> datetime | None:
    """A date (YYYY-MM-DD: that day's start, or with `end` the next day's) or an ISO moment; None if empty."""
    from datetime import date, datetime, time, timedelta

    from django.utils import timezone

    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw) + timedelta(days=1 if end else 0)
            return timezone.make_aware(datetime.combine(day, time.min))
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise SystemExit(f"gezien: {raw!r} is geen datum (JJJJ-MM-DD) of tijdstip (ISO 8601)") from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def cmd_audit_list(args: argparse.Namespace) -> int:
    _setup()
    import json

    from gezien.audit.export import entry_dict
    from gezien.audit.selectors import audit_entries

    entries = audit_entries(
        customer_id=args.customer,
        actor_id=args.actor,
        action=args.action or None,
        since=_moment(args.since),
        until=_moment(args.until, end=True),
    )[: args.limit]
    for entry in entries:
        row = entry_dict(entry)
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            who = row["actor_name"] or "-"
            customer = f" klant {row['customer_id']}" if row["customer_id"] is not None else ""
            print(f"#{row['id']} {row['at']} {who} ({row['source']}) {row['action']} "
                  f"{row['object_type']}:{row['object_id']}{customer}")  # fmt: skip
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    _setup()
    from gezien.audit.selectors import audit_verify

    ok, first_bad = audit_verify(full=not args.quick)
    if ok:
        print("Keten intact.")
        return 0
    print(f"Keten verbroken bij #{first_bad}.", file=sys.stderr)
    return 1


def _add_audit(sub: Any) -> None:
    audit = sub.add_parser("audit", help="the audit log: who read or changed what")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    listing = audit_sub.add_parser("list", help="entries, newest first")
    listing.add_argument("--customer", type=int, default=None, help="about this customer (id)")
    listing.add_argument("--actor", type=int, default=None, help="by this person (user id)")
    listing.add_argument(
        "--action", default="", help="e.g. contact.view, or contact. for every contact action"
    )
    listing.add_argument("--since", default="", help="from this date (YYYY-MM-DD) or moment")
    listing.add_argument("--until", default="", help="up to and including this date, or before this moment")
    listing.add_argument("--limit", type=int, default=100)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(func=cmd_audit_list)
    verify = audit_sub.add_parser("verify", help="check the hash chain; exit 1 when broken")
    verify.add_argument(
        "--quick", action="store_true", help="from the last checkpoint only, not from the first entry"
    )
    verify.set_defaults(func=cmd_audit_verify)


def cmd_token(args: argparse.Namespace) -> int:
    _setup()
    from gezien.accounts.models import ApiToken, User
    from gezien.accounts.tokens import token_create, token_revoke
    from gezien.core.errors import DomainError

    if args.action == "revoke":
        record = ApiToken.objects.filter(pk=args.id).first()
        if record is None:
            print(f"gezien: onbekend token {args.id}", file=sys.stderr)
            return 2
        token_revoke(token=record)
        print(f"Token {record.prefix}… ingetrokken.")
        return 0
    user = User.objects.filter(username=args.user).first()
    if user is None:
        print(f"gezien: onbekende gebruiker {args.user}", file=sys.stderr)
        return 2
    if args.action == "list":
        for item in ApiToken.objects.filter(user=user):
            state = "ingetrokken" if item.revoked_at else "actief"
            expires = f"{item.expires_at:%Y-%m-%d}" if item.expires_at else "-"
            shown = ",".join(item.scopes)
            print(
                f"{item.pk}\t{item.prefix}…\t{item.name}\t{state}\t{item.created_at:%Y-%m-%d}\t{expires}\t{shown}"
            )
        return 0
    scopes = [scope for part in args.scopes for scope in part.replace(",", " ").split()]
    try:
        _record, token = token_create(
            user=user, name=args.name, scopes=scopes or ["*"], days=args.days, rate=args.rate
        )
    except DomainError as exc:
        print(f"gezien: {exc.message}", file=sys.stderr)
        return 2
    print(token)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import signal

    # A SIGTERM before the task queue installs its own handler stops the worker cleanly too.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    _setup()
    from django.conf import settings

    from gezien.contacts.outbox import WORKER_POLL_S, outbox_thread_start
    from gezien.core.tick import ticker_start
    from gezien.mail.imap import watch_all_start
    from gezien.web.health import heartbeat_start

    # Beside the task queue: the outbox of contact changes (analysis and every listener on contacts), the
    # heartbeat of insights (matters settling, SLA breaches, spikes, digests) and the IMAP intake of every
    # active mailbox with an IMAP URL (a thread per mailbox, stopped with the worker).
    outbox_thread_start(WORKER_POLL_S)
    beating = heartbeat_start()  # /health tells when no worker beats any more
    if settings.GEZIEN_INSIGHTS_TICK_SECONDS > 0:
        ticker_start(settings.GEZIEN_INSIGHTS_TICK_SECONDS)
    mail_stop, mail_thread = watch_all_start()
    try:
        if settings.GEZIEN_TASKS_URL:  # the queue on Redis (RQ): a worker that also runs deferred tasks
            _manage("rqworker", "--with-scheduler", *RQ_WORKER_OPTIONS, *args.rest, "default")
        else:
            _manage("db_worker", *args.rest)
    finally:
        beating.set()
        mail_stop.set()
        mail_thread.join(timeout=10)
    return 0


# Each task in the worker's own process (gezien.core.tasks_rq.GezienWorker), as django-tasks' jobs.
RQ_WORKER_OPTIONS = (
    "--worker-class", "gezien.core.tasks_rq.GezienWorker",
    "--job-class", "django_tasks_rq.backend.Job",
)  # fmt: skip


def cmd_insights_tick(args: argparse.Namespace) -> int:
    _setup()
    from gezien.core.tick import tick

    for name, result in tick().items():
        print(f"{name}: {result}")
    return 0


def cmd_insights_digest(args: argparse.Namespace) -> int:
    options = [*(["--week", args.week] if args.week else []), *(["--dry-run"] if args.dry_run else [])]
    _manage("insights_digest", *options, *(["--department", args.department] if args.department else []))
    return 0


def cmd_analysis_reanalyse(args: argparse.Namespace) -> int:
    _setup()
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
    _setup()
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


def _add_analysis(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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


def _add_staffing(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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


def cmd_mail_fetch(args: argparse.Namespace) -> int:
    """IMAP intake: every active mailbox with an IMAP URL (or only --mailbox), one line per mailbox and round.
    --once: what is there now, exit 1 when a mailbox failed; else until SIGTERM or SIGINT."""
    _setup()
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
    _setup()
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
    _setup()
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


def cmd_privacy_export(args: argparse.Namespace) -> int:
    """The archive of one customer, written to `--out` (default klant-ID.zip; `-` for stdout), readable
    by its owner only, and complete or not there at all."""
    _setup()
    import tempfile
    from pathlib import Path

    from gezien.customers.models import Customer
    from gezien.privacy.audited import Actor, audit
    from gezien.privacy.exporting import archive_counts, customer_archive

    customer = Customer.objects.filter(pk=args.customer).first()
    if customer is None:
        print(f"gezien: klant {args.customer} bestaat niet", file=sys.stderr)
        return 2
    audit(
        Actor(None, "cli"),
        action="customer.export",
        object_type="customer",
        object_id=customer.pk,
        customer_id=customer.pk,
        details={"via": "cli", **archive_counts(customer)},
    )
    if args.out == "-":
        for chunk in customer_archive(customer):
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return 0
    target = Path(args.out or f"klant-{customer.pk}.zip").resolve()
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".zip")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in customer_archive(customer):
                out.write(chunk)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    print(f"{target}")
    return 0


def cmd_privacy_erase(args: argparse.Namespace) -> int:
    _setup()
    from gezien.core.errors import DomainError
    from gezien.privacy.audited import Actor
    from gezien.privacy.erase import erase_request

    if not args.yes:
        print("gezien: wissen kan niet ongedaan worden gemaakt; bevestig met --yes", file=sys.stderr)
        return 2
    try:
        result = erase_request(customer_id=args.customer, actor=Actor(None, "cli"))
    except DomainError as error:
        print(f"gezien: {error}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{kind} {n}" for kind, n in sorted(result.request.counts.items()))
    print(f"Klant {args.customer} gewist ({counts or 'niets gevonden'}).")
    return 0


def _add_privacy(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    privacy = sub.add_parser("privacy", help="GDPR: export or erase a customer's data")
    privacy_sub = privacy.add_subparsers(dest="action", required=True)
    export = privacy_sub.add_parser("export", help="everything about a customer as one zip archive")
    export.add_argument("--customer", type=int, required=True, metavar="ID")
    export.add_argument("--out", default="", metavar="FILE", help="default klant-ID.zip; - for stdout")
    export.set_defaults(func=cmd_privacy_export)
    erase = privacy_sub.add_parser("erase", help="erase a customer's personal data (cannot be undone)")
    erase.add_argument("--customer", type=int, required=True, metavar="ID")
    erase.add_argument("--yes", action="store_true", help="yes, erase it")
    erase.set_defaults(func=cmd_privacy_erase)


def cmd_backup(args: argparse.Namespace) -> int:
    _setup()
    from pathlib import Path

    from gezien.core.backup import BackupError, backup_write

    try:
        report = backup_write(Path(args.out) if args.out else None)
    except BackupError as exc:
        print(f"gezien backup: {exc}", file=sys.stderr)
        return 1
    _audit_backup("backup.create", report)
    print(report.describe())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    if not args.yes:
        print(
            "gezien restore: this replaces the database and the data folder's files with the archive's; "
            "stop the desk and the workers, then run it again with --yes",
            file=sys.stderr,
        )
        return 2
    _setup()
    from pathlib import Path

    from gezien.core.backup import BackupError, backup_restore

    try:
        report = backup_restore(Path(args.file))
    except BackupError as exc:
        print(f"gezien restore: {exc} (nothing was changed)", file=sys.stderr)
        return 1
    _audit_backup("backup.restore", report)  # in the restored log, after the entries of the backup
    print(f"restored: {report.describe()}")
    return 0


def _audit_backup(action: str, report: BackupReport) -> None:
    """Every customer's data read (a backup) or replaced (a restore), by the operator's account."""
    files = {f"files_{k}": v for k, v in report.files.items()}
    _audit_cli(action, "backup", report.path.name, database=report.database, **files)


def _add_backup(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = sub.add_parser("backup", help="the database and the data folder's files in one archive")
    backup.add_argument(
        "--out", default="", help="the archive (default: DATA_DIR/backups/gezien-TIME.tar.gz)"
    )
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="put an archive of `gezien backup` back")
    restore.add_argument("file")
    restore.add_argument("--yes", action="store_true", help="yes, replace the database and the files")
    restore.set_defaults(func=cmd_restore)


def _cti_sender(args: argparse.Namespace) -> Any:
    """Over the API of a running desk (--url, a token with cti:write), else straight into the database."""
    from gezien.phone.replay import http_sender

    if args.url:
        token = args.token or os.environ.get("GEZIEN_TOKEN", "")
        if not token:
            raise SystemExit("--url vraagt om --token (of GEZIEN_TOKEN)")
        return http_sender(args.url, token)
    _setup()
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
        _setup()
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


def _add_cti(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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


def cmd_manage(args: argparse.Namespace) -> int:
    _manage(*args.rest)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gezien", description="Gezien customer-service desk")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the desk")
    serve.add_argument("--access-log", action="store_true")
    serve.set_defaults(func=cmd_serve)
    migrate = sub.add_parser("migrate", help="create or update the database")
    migrate.add_argument("--quiet", action="store_true")
    migrate.set_defaults(func=cmd_migrate)
    sub.add_parser("demo-data", help="load the demo organisation").set_defaults(func=cmd_demo_data)
    create = sub.add_parser("createuser", help="create an agent")
    create.add_argument("username")
    create.add_argument("--role", default="agent", choices=["agent", "teamlead", "manager", "admin"])
    create.add_argument("--team", default="")
    create.add_argument("--first-name", default="")
    create.add_argument("--last-name", default="")
    create.add_argument("--password", default="", help="or set GEZIEN_PASSWORD, or be prompted")
    create.set_defaults(func=cmd_createuser)
    unlock = sub.add_parser("unlock", help="let someone sign in again after too many failed attempts")
    unlock.add_argument("username", nargs="?", default="")
    unlock.add_argument("--address", default="", help="unlock a client address instead")
    unlock.set_defaults(func=cmd_unlock)
    reset_2fa = sub.add_parser("reset-2fa", help="switch someone's two-factor sign-in off")
    reset_2fa.add_argument("username")
    reset_2fa.set_defaults(func=cmd_reset_2fa)
    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="action", required=True)
    token_create_p = token_sub.add_parser("create")
    token_create_p.add_argument("--user", required=True)
    token_create_p.add_argument("--name", default="")
    token_create_p.add_argument(
        "--scopes", nargs="*", default=[], help='e.g. "contacts:read contacts:write" (default: *, all)'
    )
    token_create_p.add_argument("--days", type=int, default=None, help="default GEZIEN_TOKEN_DAYS; 0: never")
    token_create_p.add_argument("--rate", default="", help='its own limit, e.g. "1200/min"')
    token_list_p = token_sub.add_parser("list")
    token_list_p.add_argument("--user", required=True)
    token_revoke_p = token_sub.add_parser("revoke")
    token_revoke_p.add_argument("id", type=int)
    token.set_defaults(func=cmd_token)
    insights = sub.add_parser("insights", help="insights: the periodic tick")
    insights_sub = insights.add_subparsers(dest="insights_command", required=True)
    insights_sub.add_parser(
        "tick", help="settle matters, mark SLA breaches, detect spikes, send due digests, catch up figures"
    ).set_defaults(func=cmd_insights_tick)
    digest = insights_sub.add_parser("digest", help="send the weekly digest to departments (once per week)")
    digest.add_argument("--week", default="", help="any day of the week (default: last week)")
    digest.add_argument("--dry-run", action="store_true", help="render and print, send nothing")
    digest.add_argument("--department", default="", help="only this department (its code)")
    digest.set_defaults(func=cmd_insights_digest)
    worker = sub.add_parser("worker", help="run background tasks")
    worker.add_argument("rest", nargs=argparse.REMAINDER)
    worker.set_defaults(func=cmd_worker)
    _add_analysis(sub)
    _add_staffing(sub)
    _add_mailbox(sub)
    _add_mail(sub)
    _add_privacy(sub)
    _add_backup(sub)
    _add_cti(sub)
    _add_audit(sub)
    manage = sub.add_parser("manage", help="a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


# Commands whose options belong to another parser: everything after the command goes to it as it is
# (argparse's REMAINDER would stop at a leading option such as `gezien analyse --format csv -`).
_PASS_THROUGH = {
    ("analyse",): cmd_analyse,
    ("analysis", "eval"): cmd_analysis_eval,
    ("analysis", "train"): cmd_analysis_train,
    ("worker",): cmd_worker,  # `gezien worker --burst` (RQ), `--batch` (the database queue)
}


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # this process is the command (not a caller of main(), e.g. a test)
        private_umask()  # the database, its WAL and mails on disk: the owner's only (docs/security.md)
    given = list(sys.argv[1:] if argv is None else argv)
    for prefix, command in _PASS_THROUGH.items():
        if tuple(given[: len(prefix)]) == prefix:
            return int(command(argparse.Namespace(rest=given[len(prefix) :])))
    args = build_parser().parse_args(given)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
