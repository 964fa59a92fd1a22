"""Serving and running: `gezien serve`, `migrate`, `demo-data`, `worker`, `insights tick|digest`,
`manage`."""

from __future__ import annotations

import argparse
import os
import sys

from gezien.cli._base import manage, setup


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
    manage("migrate", "--no-input", *(["-v", "0"] if args.quiet else []))
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    setup()
    from gezien.demo.loader import load_demo

    report = load_demo(password=os.environ.get("GEZIEN_DEMO_PASSWORD", "gezien-demo"))
    print(report.describe())
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import signal

    # A SIGTERM before the task queue installs its own handler stops the worker cleanly too.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    setup()
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
            manage("rqworker", "--with-scheduler", *RQ_WORKER_OPTIONS, *args.rest, "default")
        else:
            manage("db_worker", *args.rest)
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
    setup()
    from gezien.core.tick import tick

    for name, result in tick().items():
        print(f"{name}: {result}")
    return 0


def cmd_insights_digest(args: argparse.Namespace) -> int:
    options = [*(["--week", args.week] if args.week else []), *(["--dry-run"] if args.dry_run else [])]
    manage("insights_digest", *options, *(["--department", args.department] if args.department else []))
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    manage(*args.rest)
    return 0


def add(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = sub.add_parser("serve", help="serve the desk")
    serve.add_argument("--access-log", action="store_true")
    serve.set_defaults(func=cmd_serve)
    migrate = sub.add_parser("migrate", help="create or update the database")
    migrate.add_argument("--quiet", action="store_true")
    migrate.set_defaults(func=cmd_migrate)
    sub.add_parser("demo-data", help="load the demo organisation").set_defaults(func=cmd_demo_data)
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


def add_manage(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Last in the help: any Django management command."""
    command = sub.add_parser("manage", help="a Django management command")
    command.add_argument("rest", nargs=argparse.REMAINDER)
    command.set_defaults(func=cmd_manage)
