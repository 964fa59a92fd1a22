"""The Gezien side of the benchmark: open contacts through the API, the contact page, demo RSS.

Every bench builds its own fresh data dir under bench/.work/gezien/<name>/ (an SQLite database in
WAL mode, Gezien's embedded default), seeds it in a subprocess with Gezien's own Python
(bench/gezien_seed.py), serves it exactly as `gezien serve` does (granian --interface wsgi,
1 worker process, 1 blocking thread, 127.0.0.1; GEZIEN_THREADS changes the threads) through
bench/gunicorn_server.py, warms it up, drives it with wrk through bench/loadgen.py, stops it and
checks in the database that the requests really did what they claim (contacts written, customers
recognised). `--server gunicorn` serves it the former way instead (gunicorn, 1 worker, gthread,
4 threads), for comparison; gunicorn must then be installed in .venv.

    python bench/bench_gezien.py api  -d 10 -c 8     # open contacts (with recognition)
    python bench/bench_gezien.py view -d 10 -c 8     # GET /desk/contacts/<id>/, 200 earlier contacts
    python bench/bench_gezien.py rss  -d 60          # peak RSS serving the demo organisation
    python bench/bench_gezien.py api --server gunicorn
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from contextlib import closing
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cpuwatch import CpuWatch
from bench.gunicorn_server import (
    DEFAULT_SERVER,
    LOOPBACK,
    SERVERS,
    AppServer,
    default_threads,
    server_label,
)
from bench.loadgen import LoadResult, WrkMissingError, render, run_load, wrk_path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
WORK_DIR = ROOT / "bench" / ".work" / "gezien"
SEED_SCRIPT = ROOT / "bench" / "gezien_seed.py"
# Fixed, so that a session cookie made by one process is valid in the server. Loopback-only bench.
SECRET_KEY = "gezien-bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105

WARMUP_S = 3.0
API_CUSTOMERS = 1000  # the load cycles through the phone numbers of this many known customers
VIEW_EARLIER_CONTACTS = 200
DEMO_USER = "agent"
DEMO_PASSWORD = os.environ.get("GEZIEN_DEMO_PASSWORD", "gezien-demo")

OPEN_CONTACT_BODY = (
    '{"channel":"phone","identity":{"kind":"phone","value":"+3161234{n%' + str(API_CUSTOMERS) + ':04}"},'
    '"text":"Klant belt over de factuur van deze maand (gesprek {n}): het bedrag klopt niet."}'
)


# While the load runs, a probe opens one contact every PROBE_EVERY_S whose words call for a protocol
# (bereavement) and a routing decision, and watches the database until both and its signals are stored.
PROBE_TEXT = "Mijn man is vorige week overleden. Ik wil zijn abonnement stopzetten."
PROBE_EVERY_S = 0.2
PROBE_POLL_S = 0.01
PROBE_PATIENCE_S = 5.0  # after the load: how long the probe waits for the last contacts
OUTBOX_BATCH_COUNTED = 30  # bench/gezien_seed.py OUTBOX_BATCH
IN_PLACE_SQL = """
SELECT c.id FROM contacts_contact c WHERE c.id IN ({ids})
  AND EXISTS (SELECT 1 FROM contacts_message m JOIN contacts_messagesignals s ON s.message_id = m.id
              WHERE m.contact_id = c.id)
  AND EXISTS (SELECT 1 FROM assist_contactprotocol p WHERE p.contact_id = c.id)
  AND EXISTS (SELECT 1 FROM routing_routingdecision r WHERE r.contact_id = c.id)
"""


class BenchSetupError(RuntimeError):
    """Seeding or logging in failed; the message says where."""


# --------------------------------------------------------------------------- data dir and server


def _outbox_settle(db_path: Path, patience_s: float = 10.0) -> None:
    """Wait (at most `patience_s`) until the served process has handled every outbox row."""
    deadline = time.monotonic() + patience_s
    while time.monotonic() < deadline:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)) as conn:
            if not conn.execute("SELECT EXISTS (SELECT 1 FROM contacts_outboxentry)").fetchone()[0]:
                return
        time.sleep(0.05)


def site_env(data_dir: Path) -> dict[str, str | None]:
    """Environment for one data dir: SQLite under data_dir, a fixed key, nothing from the caller's DB."""
    return {
        "DJANGO_SETTINGS_MODULE": "gezien.config.settings",
        "GEZIEN_DATA_DIR": str(data_dir),
        "GEZIEN_SECRET_KEY": SECRET_KEY,
        "GEZIEN_2FA_REQUIRED_ROLES": "none",  # the bench signs managers in with a password alone
        "GEZIEN_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GEZIEN_LOG_LEVEL": "WARNING",
        "GEZIEN_DEBUG": None,
        "DATABASE_URL": None,
        "GEZIEN_SQLITE_PATH": None,
    }


def fresh_data_dir(name: str) -> Path:
    data_dir = WORK_DIR / name
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    return data_dir


def _process_env(env: dict[str, str | None]) -> dict[str, str]:
    merged = dict(os.environ)
    for key, value in env.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def seed(env: dict[str, str | None], *args: str, timeout_s: float = 600) -> dict[str, Any]:
    """Run bench/gezien_seed.py with Gezien's Python in this data dir's environment; its JSON answer."""
    completed = subprocess.run(
        [str(BIN / "python"), str(SEED_SCRIPT), *args],
        cwd=ROOT, env=_process_env(env), capture_output=True, text=True, timeout=timeout_s, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise BenchSetupError(f"gezien_seed {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def gezien_cli(
    env: dict[str, str | None], *args: str, timeout_s: float = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "gezien"), *args],
        cwd=ROOT, env=_process_env(env), capture_output=True, text=True, timeout=timeout_s, check=False,
    )  # fmt: skip


def gezien_server(
    env: dict[str, str | None], data_dir: Path, server: str = DEFAULT_SERVER, interface: str = "asgi"
) -> AppServer:
    """Gezien served the way `gezien serve` does it: granian's ASGI interface, 1 worker, GEZIEN_THREADS
    (default 1) threads for the sync views; with interface="wsgi" the former way (granian's WSGI
    interface, as many blocking threads); or, with server="gunicorn", 1 worker, gthread, 4 threads."""
    asgi = server == "granian" and interface == "asgi"
    return AppServer(
        binary=BIN / server,
        server=server,
        interface="asgi" if asgi else "wsgi",
        app="gezien.config.serving:application" if asgi else "gezien.config.serving:wsgi_application",
        chdir=ROOT,
        env=env,
        workers=1,
        threads=default_threads(server),
        log_path=data_dir / "server.log",
        ready_path="/health",
    )


def versions() -> dict[str, str]:
    """Versions of what serves Gezien (read from Gezien's venv); "not installed" for a missing one."""
    code = (
        "import importlib.metadata as m, json, sqlite3, sys\n"
        "def v(n):\n"
        "    try:\n"
        "        return m.version(n)\n"
        "    except m.PackageNotFoundError:\n"
        "        return 'not installed'\n"
        "print(json.dumps({**{n: v(n) for n in ('Django', 'django-ninja', 'granian', 'gunicorn', 'gezien')},"
        "'python': sys.version.split()[0], 'sqlite': sqlite3.sqlite_version}))"
    )
    completed = subprocess.run([str(BIN / "python"), "-c", code], capture_output=True, text=True, check=True)
    found: dict[str, str] = json.loads(completed.stdout)
    return found


# --------------------------------------------------------------------------- HTTP helpers


def _request(
    port: int, method: str, path: str, *, headers: dict[str, str] | None = None, body: str | None = None
) -> tuple[int, dict[str, list[str]], bytes]:
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        all_headers: dict[str, list[str]] = {}
        for key, value in response.getheaders():
            all_headers.setdefault(key.lower(), []).append(value)
        return response.status, all_headers, data
    finally:
        conn.close()


def _cookies(headers: dict[str, list[str]]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for raw in headers.get("set-cookie", []):
        jar.load(raw)
    return {name: morsel.value for name, morsel in jar.items()}


def login(port: int, username: str, password: str) -> str:
    """Log in through the desk's own /login/ form (CSRF and all); returns the sessionid cookie."""
    status, headers, page = _request(port, "GET", "/login/")
    csrf_cookie = _cookies(headers).get("csrftoken")
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or csrf_cookie is None or match is None:
        raise BenchSetupError(f"GET /login/ gave {status} without a CSRF token")
    form = urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1).decode()}
    )
    status, headers, page = _request(
        port,
        "POST",
        "/login/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://{LOOPBACK}:{port}/login/",
        },
        body=form,
    )
    session = _cookies(headers).get("sessionid")
    if status != 302 or not session:
        raise BenchSetupError(f"login as {username} failed: {status} {page[:300]!r}")
    return session


def measure(
    server: AppServer, path: str, body: str | None, **load_args: Any
) -> tuple[LoadResult, dict[str, float]]:
    """One measured wrk run against `server`, with the CPU the server and everything else used."""
    assert server.pid is not None
    watch = CpuWatch(server.pid)
    watch.start()
    result = run_load(server.url(path), body, **load_args)
    cpu = watch.stop(result.loadgen_cpu_s)
    if result.ok:
        cpu["server_cpu_ms_per_request"] = round(
            10 * cpu["server_cpu_pct"] * result.duration_s / result.ok, 2
        )
    return result, cpu


def _figures(result: LoadResult, cpu: dict[str, float] | None = None) -> dict[str, Any]:
    return {
        **(cpu or {}),
        "rps": result.rps,
        "p50_ms": result.p50_ms,
        "p90_ms": result.p90_ms,
        "p95_ms": result.p95_ms,
        "p99_ms": result.p99_ms,
        "max_ms": result.max_ms,
        "mean_ms": result.mean_ms,
        "errors": result.errors,
        "requests": result.requests,
        "ok": result.ok,
        "duration_s": result.duration_s,
        "connections": result.connections,
        "status_counts": result.status_counts,
        "sample_error": result.sample_error,
        "loadgen_cpu_pct": round(100 * result.loadgen_cpu_s / result.duration_s, 1)
        if result.duration_s
        else 0.0,
    }


def _rss(server: AppServer) -> dict[str, float]:
    rss = server.peak_rss_mb()
    return {"rss_mb": rss["total"], "rss_worker_mb": rss["workers"], "rss_master_mb": rss["master"]}


def _label(server: AppServer) -> str:
    return f"{server.label}, SQLite WAL"


# How `gezien serve` serves it (and the benches by default); each result names its own server.
SERVER_LABEL = (
    server_label(DEFAULT_SERVER, default_threads(DEFAULT_SERVER), interface="asgi") + ", SQLite WAL"
)


# --------------------------------------------------------------------------- 1. open contact via the API


class InPlaceProbe(threading.Thread):
    """Beside the load: open a contact every PROBE_EVERY_S through the API (as a channel does, in turn
    with wrk's requests) and poll the SQLite database read-only, beside the server, until its signals,
    its protocol and its routing decision are all stored. The delay counts from sending the open."""

    def __init__(self, port: int, headers: dict[str, str], database: Path) -> None:
        super().__init__(name="in-place-probe", daemon=True)
        self.port, self.headers, self.database = port, headers, database
        self.stop_opening = threading.Event()
        self.sent: dict[int, float] = {}
        self.delays_ms: list[float] = []
        self.errors = 0

    def run(self) -> None:
        db = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=5)
        pending: dict[int, float] = {}
        next_open, n, deadline = time.monotonic(), 0, None
        try:
            while pending or deadline is None:
                now = time.monotonic()
                if deadline is None and self.stop_opening.is_set():
                    deadline = now + PROBE_PATIENCE_S
                if deadline is not None and now > deadline:
                    break
                if deadline is None and now >= next_open:
                    n, next_open = n + 1, next_open + PROBE_EVERY_S
                    self._open(n, pending)
                if pending:
                    ids = ",".join(str(i) for i in pending)
                    found = [row[0] for row in db.execute(IN_PLACE_SQL.format(ids=ids))]
                    at = time.monotonic()
                    for contact_id in found:
                        self.delays_ms.append(1000 * (at - pending.pop(contact_id)))
                time.sleep(PROBE_POLL_S)
        finally:
            db.close()
        self.missing = len(pending)

    def _open(self, n: int, pending: dict[int, float]) -> None:
        body = json.dumps(
            {"channel": "email", "identity": {"kind": "phone", "value": f"+3161234{n % API_CUSTOMERS:04}"},
             "text": f"{PROBE_TEXT} (bericht {n})"}
        )  # fmt: skip
        sent = time.monotonic()
        try:
            status, _h, answer = _request(
                self.port, "POST", "/api/contacts",
                headers={**self.headers, "Content-Type": "application/json"}, body=body,
            )  # fmt: skip
        except OSError:
            status, answer = 0, b""
        if status != 201:
            self.errors += 1
            return
        contact_id = int(json.loads(answer)["id"])
        self.sent[contact_id] = sent
        pending[contact_id] = sent

    def figures(self) -> dict[str, Any]:
        delays = sorted(self.delays_ms)

        def pct(p: float) -> float | None:
            return round(delays[min(len(delays) - 1, int(p * len(delays)))], 1) if delays else None

        return {
            "in_place_probes": len(self.sent),
            "in_place_missing": self.missing,
            "in_place_errors": self.errors,
            "in_place_p50_ms": round(statistics.median(delays), 1) if delays else None,
            "in_place_p99_ms": pct(0.99),
            "in_place_max_ms": round(delays[-1], 1) if delays else None,
        }


def prepare_open_contact(name: str = "api") -> tuple[dict[str, str | None], Path, dict[str, str]]:
    """A fresh data dir with one agent, its API token and API_CUSTOMERS customers with a phone each."""
    data_dir = fresh_data_dir(name)
    env = site_env(data_dir)
    seeded = seed(env, "api", "--customers", str(API_CUSTOMERS))
    return env, data_dir, {"Authorization": f"Bearer {seeded['token']}"}


def run_open_contact(
    duration_s: float = 10.0, connections: int = 8, server_name: str = DEFAULT_SERVER, interface: str = "asgi"
) -> dict[str, Any]:
    """POST /api/contacts with recognition: every request's phone number belongs to a known customer.

    Returns rps (201 responses per second), p50/p95/p99 in ms, errors, peak RSS, server CPU, and
    `verified`: the database holds one contact per 201 response (plus at most one per connection
    still in flight when wrk stopped), every one of them recognised, and every status was 201.
    """
    wrk_path()
    env, data_dir, headers = prepare_open_contact()
    server = gezien_server(env, data_dir, server_name, interface)
    server.start()
    try:
        url = server.url("/api/contacts")
        # One request by hand first: a wrong token or payload should fail loudly, not as 10 s of 4xx.
        status, _h, body = _request(
            server.port,
            "POST",
            "/api/contacts",
            headers={**headers, "Content-Type": "application/json"},
            body=render(OPEN_CONTACT_BODY, 20_000_000 + API_CUSTOMERS - 1),
        )
        probe = json.loads(body)
        if status != 201 or probe.get("recognition") != "recognised":
            raise BenchSetupError(f"probe POST /api/contacts gave {status}: {body[:300]!r}")
        warmup = run_load(
            url, OPEN_CONTACT_BODY, headers=headers, connections=connections, duration_s=WARMUP_S,
            first_n=10_000_000,
        )  # fmt: skip
        probe = InPlaceProbe(server.port, headers, data_dir / "gezien.sqlite3")
        probe.start()
        try:
            result, cpu = measure(
                server, "/api/contacts", OPEN_CONTACT_BODY, headers=headers, connections=connections,
                duration_s=duration_s, first_n=0,
            )  # fmt: skip
        finally:
            probe.stop_opening.set()
            probe.join(PROBE_PATIENCE_S + 30)
        # The last batch the outbox thread took is still being handled when wrk stops: let the server
        # finish it (a row left at a stop would be handled at the next start, but the check below asks
        # that the drain keeps up, so it must not count a batch cut off by stopping the server).
        _outbox_settle(data_dir / "gezien.sqlite3")
    finally:
        server.stop()
    counted = seed(env, "count")
    # The first request by hand, the in-place probes, every 201 wrk saw, and at most one request per
    # connection still in flight when each of the two wrk runs stopped (the server completes those; wrk
    # no longer counts them).
    expected = 1 + len(probe.sent) + probe.errors + warmup.ok + result.ok
    in_flight = 2 * connections
    recognised = counted["by_recognition"].get("recognised", 0)
    problems = []
    if not expected <= counted["contacts"] <= expected + in_flight:
        problems.append(
            f"{counted['contacts']} contacts in the database for {expected} 201 responses"
            f" (+ at most {in_flight} in flight)"
        )
    if recognised != counted["contacts"]:
        problems.append(f"only {recognised} of {counted['contacts']} contacts recognised")
    if set(result.status_counts) - {"201"}:
        problems.append(f"statuses {result.status_counts}")
    if probe.errors or probe.missing:
        problems.append(f"in-place probe: {probe.errors} failed opens, {probe.missing} not in place")
    if counted["outbox"]:
        problems.append(f"{counted['outbox']} outbox rows left unhandled")
    queries = seed(env, "queries", "--api")["api"]
    return {
        **_figures(result, cpu),
        **probe.figures(),
        **_rss(server),
        "warmup_ok": warmup.ok,
        "contacts_in_db": counted["contacts"],
        "recognition_in_db": counted["by_recognition"],
        "verified": not problems,
        "problems": problems,
        "queries_per_request": queries["queries"],
        "sql": queries["sql"],
        "outbox_queries_per_contact": queries["outbox_per_contact"],
        "customers": API_CUSTOMERS,
        "server": _label(server),
    }


# --------------------------------------------------------------------------- 2. the contact page


def prepare_contact_view(name: str = "view") -> tuple[dict[str, str | None], Path, dict[str, Any]]:
    """A fresh data dir with an agent (password login) and a customer with 200 earlier contacts."""
    data_dir = fresh_data_dir(name)
    env = site_env(data_dir)
    seeded = seed(env, "view", "--earlier", str(VIEW_EARLIER_CONTACTS))
    if seeded["earlier"] != VIEW_EARLIER_CONTACTS or seeded["recognition"] != "recognised":
        raise BenchSetupError(f"view seed is not what the bench needs: {seeded}")
    return env, data_dir, seeded


def run_contact_view(
    duration_s: float = 10.0,
    connections: int = 8,
    also_connections: tuple[int, ...] = (),
    server_name: str = DEFAULT_SERVER,
    interface: str = "asgi",
) -> dict[str, Any]:
    """GET /desk/contacts/<id>/ as a logged-in agent, for a customer with 200 earlier contacts.

    The main figures are at `connections`; `also_connections` adds runs on the same server and
    data at other concurrencies (e.g. 1: one agent alone, the render time without queueing),
    returned under "by_connections".
    """
    wrk_path()
    env, data_dir, seeded = prepare_contact_view()
    path = f"/desk/contacts/{seeded['contact_id']}/"
    server = gezien_server(env, data_dir, server_name, interface)
    server.start()
    extra: dict[str, dict[str, Any]] = {}
    try:
        session = login(server.port, seeded["username"], seeded["password"])
        headers = {"Cookie": f"sessionid={session}"}
        status, _h, page = _request(server.port, "GET", path, headers=headers)
        if status != 200 or b"Anouk" not in page:
            raise BenchSetupError(f"GET {path} as the agent gave {status}: {page[:300]!r}")
        load: dict[str, Any] = {"method": "GET", "headers": headers}
        run_load(server.url(path), None, connections=connections, duration_s=WARMUP_S, **load)
        result, cpu = measure(server, path, None, connections=connections, duration_s=duration_s, **load)
        for other in also_connections:
            extra_result, extra_cpu = measure(
                server, path, None, connections=other, duration_s=duration_s, **load
            )
            extra[str(other)] = _figures(extra_result, extra_cpu)
    finally:
        server.stop()
    runs = [result.status_counts, *(figures["status_counts"] for figures in extra.values())]
    problems = [f"statuses {counts}" for counts in runs if set(counts) != {"200"}]
    queries = seed(env, "queries", "--contact-id", str(seeded["contact_id"]))["view"]
    return {
        **_figures(result, cpu),
        **_rss(server),
        "by_connections": extra,
        "earlier_contacts": seeded["earlier"],
        "html_bytes": len(page),
        "verified": not problems,
        "problems": problems,
        "queries_per_request": queries["queries"],
        "sql": queries["sql"],
        "in_process_ms": queries["wall_ms"],
        "server": _label(server),
    }


# --------------------------------------------------------------------------- 3. RSS serving the demo


def run_demo_rss(
    duration_s: float = 60.0, connections: int = 8, server_name: str = DEFAULT_SERVER
) -> dict[str, Any]:
    """Peak RSS (main process + worker) while the demo organisation is served: queue, contact and customer
    pages, customer search and the API, each in turn for an equal share of `duration_s`.

    Returns {"skipped": reason} when `gezien demo-data` does not work (yet).
    """
    wrk_path()
    data_dir = fresh_data_dir("rss")
    env = site_env(data_dir)
    migrated = gezien_cli(env, "migrate", "--quiet")
    if migrated.returncode != 0:
        raise BenchSetupError(f"gezien migrate failed:\n{migrated.stderr[-2000:]}")
    started = time.monotonic()
    demo = gezien_cli(env, "demo-data")
    load_s = round(time.monotonic() - started, 1)
    if demo.returncode != 0:
        last = (demo.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"skipped": f"demo data unavailable: `gezien demo-data` failed: {last[:200]}"}
    info = seed(env, "demo-info", "--user", DEMO_USER)
    if not info["contacts"] or not info["customers"]:
        return {"skipped": "demo data unavailable: `gezien demo-data` loaded no contacts or customers"}
    contact_lo, contact_hi = info["contact_ids"]
    customer_lo, customer_hi = info["customer_ids"]
    contacts_k = contact_hi - contact_lo + 1
    customers_k = customer_hi - customer_lo + 1
    bearer = {"Authorization": f"Bearer {info['token']}"}
    server = gezien_server(env, data_dir, server_name)
    server.start()
    phases: list[dict[str, Any]] = []
    try:
        session = login(server.port, DEMO_USER, DEMO_PASSWORD)
        cookie = {"Cookie": f"sessionid={session}"}
        plan: list[tuple[str, str, str, str | None, dict[str, str]]] = [
            ("queue page", "GET", "/desk/", None, cookie),
            ("contact pages", "GET", f"/desk/contacts/{{n%{contacts_k}+{contact_lo}}}/", None, cookie),
            ("customer pages", "GET", f"/customers/{{n%{customers_k}+{customer_lo}}}/", None, cookie),
            ("customer search", "GET", f"/customers/?q={info['search']}", None, cookie),
            ("API contact list", "GET", "/api/contacts?limit=50", None, bearer),
            ("API customer card", "GET", f"/api/customers/{{n%{customers_k}+{customer_lo}}}", None, bearer),
            ("API open contact", "POST", "/api/contacts", OPEN_CONTACT_BODY, bearer),
        ]
        share = max(1, round(duration_s / len(plan)))
        for name, method, path, body, headers in plan:
            result = run_load(
                server.url(path), body, method=method, headers=headers, connections=connections,
                duration_s=share, first_n=len(phases) * 1_000_000,
            )  # fmt: skip
            server.sample_rss()
            phases.append(
                {
                    "phase": name,
                    "path": f"{method} {path}",
                    "rps": result.rps,
                    "p95_ms": result.p95_ms,
                    "errors": result.errors,
                    "status_counts": result.status_counts,
                    "rss_so_far_mb": server.peak_rss_mb()["total"],
                }
            )
    finally:
        server.stop()
    rss = _rss(server)
    bad = [p for p in phases if p["errors"]]
    return {
        **rss,
        "phases": phases,
        "seconds_per_phase": share,
        "connections": connections,
        "demo_load_s": load_s,
        "demo_contacts": info["contacts"],
        "demo_customers": info["customers"],
        "verified": not bad,
        "problems": [f"{p['phase']}: statuses {p['status_counts']}" for p in bad],
        "server": _label(server),
    }


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Gezien benchmarks (one at a time; bench/run.py runs all).")
    parser.add_argument("bench", choices=["api", "view", "rss"])
    parser.add_argument("-d", "--duration", type=float, default=None, help="seconds of measured load")
    parser.add_argument("-c", "--connections", type=int, default=8)
    parser.add_argument("--server", choices=SERVERS, default=DEFAULT_SERVER, help="what serves Gezien")
    args = parser.parse_args(argv)
    try:
        if args.bench == "api":
            figures = run_open_contact(args.duration or 10.0, args.connections, args.server)
        elif args.bench == "view":
            figures = run_contact_view(args.duration or 10.0, args.connections, server_name=args.server)
        else:
            figures = run_demo_rss(args.duration or 60.0, args.connections, args.server)
    except WrkMissingError as error:
        print(error, file=sys.stderr)
        return 2
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
