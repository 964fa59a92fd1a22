"""The peer side of the benchmark: django-helpdesk creating tickets through its own REST API.

Sets the peer up if needed (bench/peer_helpdesk/setup_peer.py: its own venv, a migrated
SQLite database in WAL mode), serves it the way Gezien is served (granian --interface wsgi,
1 worker process, 1 blocking thread, 127.0.0.1, same granian version; or with --server gunicorn
the former way: gunicorn, 1 worker, gthread, 4 threads), warms it up, then drives
`POST /api/tickets/` with wrk through bench/loadgen.py at a fixed concurrency, every request a
different ticket.

Auth: DRF token (`Authorization: Token <key>`), the cheapest scheme django-helpdesk's API
takes; basic auth would spend each request in Django's PBKDF2 password hasher.

    python bench/bench_peer_helpdesk.py                  # 10 s at 8 connections, prints a table
    python bench/bench_peer_helpdesk.py -d 15 -c 16 --json
    python bench/bench_peer_helpdesk.py --server gunicorn
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cpuwatch import CpuWatch
from bench.gunicorn_server import DEFAULT_SERVER, SERVERS, AppServer, default_threads
from bench.loadgen import LoadResult, WrkMissingError, run_load, wrk_path
from bench.peer_helpdesk.setup_peer import WORK_DIR, ensure_peer, fresh_database, project_env

WARMUP_S = 3.0
API_PATH = "/api/tickets/"


def ticket_body_template(queue_ids: tuple[int, ...]) -> str:
    """A ticket whose title, description, submitter and queue vary with the request counter."""
    first = min(queue_ids)
    if sorted(queue_ids) != list(range(first, first + len(queue_ids))):
        raise RuntimeError(f"peer queue ids are not contiguous: {queue_ids}")
    queue = f"{{n%{len(queue_ids)}+{first}}}" if len(queue_ids) > 1 else str(first)
    body = {
        "queue": "QUEUE",
        "title": "Caller +316{n%100000000:08} cannot log in (case {n})",
        "description": (
            "Customer on +316{n%100000000:08} called: the portal rejects their password since "
            "this morning. Reference {n}, account {r%100000:05}."
        ),
        "submitter_email": "customer{n}@example.com",
        "priority": 3,
    }
    return json.dumps(body).replace('"QUEUE"', queue)


def _count_tickets(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM helpdesk_ticket").fetchone()[0])


def run_peer(
    duration_s: float = 10.0, connections: int = 8, server_name: str = DEFAULT_SERVER
) -> dict[str, object]:
    """Benchmark django-helpdesk ticket creation; returns rps, p50/p95/p99 (ms), errors, rss_mb.

    rps counts 2xx responses per second; errors counts non-2xx responses and socket errors;
    rss_mb is the peak RSS (VmHWM) of the server's main process plus its worker, in MiB.
    Served by `server_name` with the same workers and threads as Gezien (bench_gezien.gezien_server).
    Raises WrkMissingError when wrk is not installed.
    """
    wrk_path()
    install = ensure_peer()
    db_path = fresh_database("run")
    server = AppServer(
        binary=install.server_binary(server_name),
        server=server_name,
        workers=1,
        threads=default_threads(server_name),
        app="wsgi:application",
        chdir=install.project_dir,
        env={
            **project_env(db_path),
            # Webhooks are read from the environment by helpdesk; none must fire from the bench.
            "HELPDESK_NEW_TICKET_WEBHOOK_URLS": None,
            "HELPDESK_FOLLOWUP_WEBHOOK_URLS": None,
        },
        log_path=WORK_DIR / "server.log",
        ready_path=API_PATH,
    )
    url_headers = {"Authorization": f"Token {install.token}"}
    body = ticket_body_template(install.queue_ids)
    server.start()
    try:
        url = server.url(API_PATH)
        warmup = run_load(
            url, body, headers=url_headers, connections=connections, duration_s=WARMUP_S, first_n=10_000_000
        )
        if warmup.ok == 0:
            raise RuntimeError(f"peer warm-up created no ticket: {warmup.sample_error}")
        assert server.pid is not None
        watch = CpuWatch(server.pid)
        watch.start()
        result: LoadResult = run_load(
            url, body, headers=url_headers, connections=connections, duration_s=duration_s, first_n=0
        )
        cpu = watch.stop(result.loadgen_cpu_s)
    finally:
        server.stop()
    rss = server.peak_rss_mb()
    tickets = _count_tickets(db_path)
    if result.ok:
        cpu["server_cpu_ms_per_request"] = round(
            10 * cpu["server_cpu_pct"] * result.duration_s / result.ok, 2
        )
    return {
        **cpu,
        "rps": result.rps,
        "p50_ms": result.p50_ms,
        "p95_ms": result.p95_ms,
        "p99_ms": result.p99_ms,
        "errors": result.errors,
        "rss_mb": rss["total"],
        "rss_worker_mb": rss["workers"],
        "rss_master_mb": rss["master"],
        "requests": result.requests,
        "ok": result.ok,
        "duration_s": result.duration_s,
        "connections": connections,
        "max_ms": result.max_ms,
        "status_counts": result.status_counts,
        "sample_error": result.sample_error,
        "loadgen_cpu_pct": round(100 * result.loadgen_cpu_s / result.duration_s, 1)
        if result.duration_s
        else 0.0,
        "tickets_in_db": tickets,
        "warmup_ok": warmup.ok,
        "server": (
            f"django-helpdesk {install.helpdesk_version} / Django {install.django_version} / "
            f"{server.label} ({server_name} "
            f"{install.granian_version if server_name == 'granian' else install.gunicorn_version})"
        ),
        "auth": "DRF TokenAuthentication",
        "database": "SQLite WAL (synchronous=NORMAL, IMMEDIATE transactions)",
    }


def format_table(figures: dict[str, object]) -> str:
    rows = [
        ("server", figures["server"]),
        ("endpoint", f"POST {API_PATH} ({figures['auth']})"),
        ("database", figures["database"]),
        ("connections", figures["connections"]),
        ("duration (s)", figures["duration_s"]),
        ("tickets/s (2xx)", figures["rps"]),
        ("p50 (ms)", figures["p50_ms"]),
        ("p95 (ms)", figures["p95_ms"]),
        ("p99 (ms)", figures["p99_ms"]),
        ("max (ms)", figures["max_ms"]),
        ("errors", figures["errors"]),
        ("wrk CPU (% of a core)", figures["loadgen_cpu_pct"]),
        (
            "peak RSS (MiB)",
            f"{figures['rss_mb']} (worker {figures['rss_worker_mb']},"
            f" main process {figures['rss_master_mb']})",
        ),
        (
            "tickets in db",
            f"{figures['tickets_in_db']} (warm-up {figures['warmup_ok']} + run {figures['ok']})",
        ),
    ]
    if figures.get("sample_error"):
        rows.append(("first error", figures["sample_error"]))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="django-helpdesk peer: ticket creation through its REST API."
    )
    parser.add_argument(
        "-d", "--duration", type=float, default=10.0, help="seconds of measured load (max 30)"
    )
    parser.add_argument("-c", "--connections", type=int, default=8)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--server", choices=SERVERS, default=DEFAULT_SERVER, help="what serves the peer")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        figures = run_peer(args.duration, args.connections, args.server)
    except WrkMissingError as error:
        print(error, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(format_table(figures))
        print(f"(whole run {time.monotonic() - started:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
