"""Server CPU per request, thread by thread: where a served request's CPU goes beyond the app itself.

Serves the bench's data the way `gezien serve` does (granian, 1 worker; --interface wsgi for granian's
WSGI interface, the former way), drives wrk at it, and reads every thread's user + system CPU of the
worker process from /proc before and after the measured run. Python threads are named from
`py-spy dump` (needs ptrace rights); granian's Rust threads carry their own names. Prints ms of CPU per
2xx response per thread, and in all: unlike a wall-clock rate this barely moves on a busy machine.

    .venv/bin/python bench/thread_cpu.py api  -d 10 [-c 8] [--interface wsgi]
    .venv/bin/python bench/thread_cpu.py view -d 10 [-c 8]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_gezien import (
    BIN,
    OPEN_CONTACT_BODY,
    WARMUP_S,
    gezien_server,
    login,
    prepare_contact_view,
    prepare_open_contact,
)
from bench.gunicorn_server import descendant_pids
from bench.loadgen import run_load

_TICK = os.sysconf("SC_CLK_TCK")


def threads_cpu(pid: int) -> dict[int, tuple[str, float]]:
    """Thread id -> (kernel name, user + system CPU seconds) of every thread of `pid`."""
    found: dict[int, tuple[str, float]] = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            text = Path(f"/proc/{pid}/task/{tid}/stat").read_text(errors="replace")
        except OSError:
            continue
        name = text[text.find("(") + 1 : text.rfind(")")]
        fields = text[text.rfind(")") + 2 :].split()
        found[int(tid)] = (name, (int(fields[11]) + int(fields[12])) / _TICK)
    return found


def python_thread_names(pid: int) -> dict[int, str]:
    """Native thread id -> Python thread name, from `py-spy dump` (empty without py-spy or ptrace)."""
    spy = BIN / "py-spy"
    if not spy.exists():
        return {}
    dump = subprocess.run([str(spy), "dump", "--pid", str(pid)], capture_output=True, text=True, check=False)
    return {int(tid): name for tid, name in re.findall(r"Thread (\d+) \(\w+\): \"([^\"]+)\"", dump.stdout)}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("part", choices=("api", "view"))
    parser.add_argument("-d", "--duration", type=float, default=10.0)
    parser.add_argument("-c", "--connections", type=int, default=8)
    parser.add_argument("--interface", choices=("asgi", "wsgi"), default="asgi")
    args = parser.parse_args()
    if args.part == "api":
        env, data_dir, headers = prepare_open_contact("threads-api")
        path, body, method = "/api/contacts", OPEN_CONTACT_BODY, "POST"
    else:
        env, data_dir, seeded = prepare_contact_view("threads-view")
        path, body, method = f"/desk/contacts/{seeded['contact_id']}/", None, "GET"
    server = gezien_server(env, data_dir, interface=args.interface)
    server.start()
    try:
        if args.part == "view":
            headers = {"Cookie": f"sessionid={login(server.port, seeded['username'], seeded['password'])}"}
        load = {"headers": headers, "method": method, "connections": args.connections}
        run_load(server.url(path), body, duration_s=WARMUP_S, first_n=10_000_000, **load)
        assert server.pid is not None
        workers = descendant_pids(server.pid) or [server.pid]
        worker = workers[-1]
        names = python_thread_names(worker)
        before = threads_cpu(worker)
        result = run_load(server.url(path), body, duration_s=args.duration, first_n=0, **load)
        after = threads_cpu(worker)
    finally:
        server.stop()
    ok = max(result.ok, 1)
    rows = []
    for tid, (name, cpu) in after.items():
        used = cpu - before.get(tid, (name, 0.0))[1]
        if used > 0:
            rows.append((used, f"{names.get(tid, name)} ({tid})"))
    total = sum(used for used, _ in rows)
    print(
        f"{args.part} {args.interface}, {args.connections} connections: {result.rps:.1f}/s,"
        f" p50 {result.p50_ms} ms, p99 {result.p99_ms} ms, {result.ok} ok"
    )
    for used, label in sorted(rows, reverse=True):
        print(f"  {1000 * used / ok:7.3f} ms/request  {label}")
    print(f"  {1000 * total / ok:7.3f} ms/request  worker process in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
