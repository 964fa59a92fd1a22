"""Where a Gezien worker spends its time under the benchmark's load: py-spy on the live worker.

Sets up the same data as bench/bench_gezien.py, serves it the same way (granian, 1 worker process,
1 blocking thread, as `gezien serve`; --server gunicorn for 1 gunicorn worker with 4 threads),
drives the same wrk load and meanwhile samples the worker process with py-spy: by default only
the thread holding the GIL (where the worker's Python CPU goes), with --wall every busy Python
thread (wall time, so also threads waiting for SQLite's write lock or for the GIL). py-spy sees
Python frames only: granian's HTTP work in Rust threads is not sampled. Prints the
functions with the most samples, inclusive and self, and the share per area (SQL compile,
SQLite, templates, ...), then the SQL of one request. The collapsed stacks (for flamegraph.pl
or speedscope) stay under bench/.work/profile/.

Needs py-spy in Gezien's venv (`.venv/bin/pip install py-spy`) and ptrace rights (root, or
kernel.yama.ptrace_scope=0).

    python bench/profile_gezien.py api  -d 10
    python bench/profile_gezien.py view -d 10
    python bench/profile_gezien.py api --server gunicorn
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_gezien import (
    BIN,
    OPEN_CONTACT_BODY,
    WARMUP_S,
    WORK_DIR,
    gezien_server,
    login,
    prepare_contact_view,
    prepare_open_contact,
    seed,
)
from bench.gunicorn_server import DEFAULT_SERVER, SERVERS, child_pids
from bench.loadgen import run_load

OUT_DIR = WORK_DIR.parent / "profile"

# First matching substring of a frame (file or function) names the area a sample is charged to,
# looked at from the innermost frame outwards.
AREAS = [
    ("DB connect + PRAGMAs", ("get_new_connection", "init_connection_state", "_close (django/db")),
    ("SQLite execute + commit", ("SQLiteCursorWrapper.execute", "executemany", "._commit (django/db")),
    ("ORM: SQL compile", ("sql/compiler.py", "sql/query.py", "sql/where.py", "expressions.py", "lookups.py")),
    ("ORM: model init / rows", ("models/base.py", "models/query.py", "related_descriptors.py")),
    ("templates", ("django/template/",)),
    ("forms / widgets", ("django/forms/",)),
    ("i18n / translation", ("translation/", "gettext")),
    ("pydantic / ninja", ("pydantic", "ninja/")),
    ("phonenumbers", ("phonenumbers/",)),
    ("auth / permissions", ("contrib/auth/",)),
    ("sessions", ("contrib/sessions/",)),
    ("middleware + handler", ("django/core/handlers", "django/middleware", "django/utils/deprecation")),
    ("server: granian / gunicorn", ("granian/", "gunicorn/")),
]


def _frames(stack: str) -> list[str]:
    return stack.split(";")


def _area(frames: list[str]) -> str:
    for frame in reversed(frames):
        for name, needles in AREAS:
            if any(needle in frame for needle in needles):
                return name
    return "other"


def summarise(collapsed: Path, top: int = 30) -> str:
    """Inclusive and self sample shares per function, and per area, from py-spy's raw output."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    gezien: collections.Counter[str] = collections.Counter()
    areas: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _sep, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = _frames(stack)
        total += count
        for frame in set(frames):
            inclusive[frame] += count
            if "gezien/" in frame and "/site-packages/" not in frame:
                gezien[frame] += count
        own[frames[-1]] += count
        areas[_area(frames)] += count
    if total == 0:
        return "no samples"

    def table(title: str, counter: collections.Counter[str], limit: int) -> list[str]:
        rows = [f"{title} ({total} samples)"]
        rows += [f"  {100 * n / total:5.1f}%  {frame[:150]}" for frame, n in counter.most_common(limit)]
        return rows

    lines = table("by area (innermost matching frame)", areas, len(areas))
    lines += table("Gezien functions, inclusive", gezien, top)
    lines += table("all functions, inclusive", inclusive, top)
    lines += table("all functions, self", own, top)
    return "\n".join(lines)


def profile(
    kind: str, duration_s: float, connections: int, gil: bool = True, server_name: str = DEFAULT_SERVER
) -> Path:
    py_spy = BIN / "py-spy"
    if not py_spy.exists():
        raise SystemExit(f"py-spy is missing: {BIN / 'pip'} install py-spy")
    if kind == "api":
        env, data_dir, headers = prepare_open_contact("profile-api")
        path, method, body = "/api/contacts", "POST", OPEN_CONTACT_BODY
    else:
        env, data_dir, seeded = prepare_contact_view("profile-view")
        path, method, body = f"/desk/contacts/{seeded['contact_id']}/", "GET", None
    server = gezien_server(env, data_dir, server_name)
    server.start()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    collapsed = OUT_DIR / f"{kind}{'.gil' if gil else '.wall'}.collapsed.txt"
    try:
        if kind == "view":
            headers = {"Cookie": f"sessionid={login(server.port, seeded['username'], seeded['password'])}"}
        url = server.url(path)
        run_load(url, body, method=method, headers=headers, connections=connections, duration_s=WARMUP_S)
        assert server.pid is not None
        (worker,) = child_pids(server.pid)
        recorder = subprocess.Popen(
            [str(py_spy), "record", "--pid", str(worker), "--duration", str(round(duration_s)),
             "--rate", "250", "--format", "raw", "--output", str(collapsed), "--nonblocking",
             *(["--gil"] if gil else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(0.5)
        result = run_load(
            url, body, method=method, headers=headers, connections=connections, duration_s=duration_s,
            first_n=1_000_000,
        )  # fmt: skip
        _out, err = recorder.communicate(timeout=duration_s + 60)
        if recorder.returncode != 0:
            raise SystemExit(f"py-spy failed: {err[-2000:]}")
    finally:
        server.stop()
    print(
        f"{kind}: {result.rps} req/s, p50 {result.p50_ms} ms, p99 {result.p99_ms} ms, {result.errors} errors"
    )
    print(f"(rate under py-spy --nonblocking; the samples are in {collapsed})")
    if kind == "api":
        queries = seed(env, "queries", "--api")["api"]
    else:
        queries = seed(env, "queries", "--contact-id", str(seeded["contact_id"]))["view"]
    print(f"SQL per request: {queries['queries']} queries, {queries['sql_ms']} ms in SQLite,"
          f" {queries['wall_ms']} ms for the whole request in-process")  # fmt: skip
    for sql in queries["sql"]:
        print(f"  {sql[:120]}")
    (OUT_DIR / f"{kind}.queries.json").write_text(json.dumps(queries, indent=2))
    return collapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("kind", choices=["api", "view"])
    parser.add_argument("-d", "--duration", type=float, default=10.0)
    parser.add_argument("-c", "--connections", type=int, default=8)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--wall",
        action="store_true",
        help="sample every busy thread (wall time, includes lock and GIL waits) instead of only"
        " the thread holding the GIL (CPU spent in Python, the default)",
    )
    parser.add_argument("--server", choices=SERVERS, default=DEFAULT_SERVER, help="what serves Gezien")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    collapsed = profile(
        args.kind, args.duration, args.connections, gil=not args.wall, server_name=args.server
    )
    print(summarise(collapsed, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
