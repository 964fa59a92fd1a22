"""Python CPU per `POST /api/contacts` and per contact in the outbox drain, in-process.

A wall-clock bench is unreliable on a busy machine; `time.process_time()` counts only this process's
CPU. Seeds like `bench/gezien_seed.py api` (1,000 customers with a phone each, an agent with an API
token) in a temporary GEZIEN_DATA_DIR, sends N opens through the WSGI app of `gezien serve`
(`config.wsgi.application`, the lean /api/ path) with the outbox left for the drain, then drains it in
batches of the sizes given and reports the median CPU per request and the CPU per contact per batch.

    .venv/bin/python bench/cpu_open.py -n 600 --batches 30,100
    .venv/bin/python bench/cpu_open.py -n 300 --profile   # cProfile of the requests, top 40
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def wsgi_request(
    application: Any, method: str, path: str, raw: bytes, headers: dict[str, str]
) -> tuple[str, bytes]:
    """One request with a JSON body straight through a WSGI `application` (no server, no client): its
    status line and body, for measuring the CPU of the request itself."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
        "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(raw)),
        "SERVER_NAME": "localhost", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost", "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(raw),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }  # fmt: skip
    for name, value in headers.items():
        environ[f"HTTP_{name.upper().replace('-', '_')}"] = value
    status: list[str] = []
    chunks = application(environ, lambda s, h, e=None: status.append(s))
    out = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return status[0], out


def wsgi_post(application: Any, path: str, raw: bytes, auth: str) -> tuple[str, bytes]:
    """A POST with the given Authorization header (see `wsgi_request`)."""
    return wsgi_request(application, "POST", path, raw, {"Authorization": auth})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=600, help="opens to measure (after 50 to warm up)")
    parser.add_argument("--batches", default="30,100", help="outbox batch sizes to drain with")
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="cProfile the measured requests")
    parser.add_argument("--profile-drain", action="store_true", help="cProfile the drain")
    parser.add_argument("--repeat", type=int, default=3, help="batches drained per batch size")
    parser.add_argument(
        "--listeners", action="store_true", help="CPU and SQL queries per listener and batch, drain phases"
    )
    args = parser.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="gezien-cpu-open-")
    os.environ["GEZIEN_DATA_DIR"] = tmp
    os.environ.setdefault("GEZIEN_SECRET_KEY", "cpu-open-bench-secret-key-0123456789abcdefghijklmnop")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")
    os.environ.setdefault("GEZIEN_DEBUG", "0")
    from bench.gezien_seed import _setup, cmd_api, phone_e164

    _setup()
    seeded = cmd_api(argparse.Namespace(customers=args.customers))
    from django.conf import settings

    settings.GEZIEN_ANALYSIS_INLINE = False  # no drain thread: the rows wait for the drain below
    from django.db import connection

    from gezien.config import wsgi
    from gezien.contacts.analysing import analysis_warm_up
    from gezien.contacts.outbox import outbox_drain, outbox_waiting

    analysis_warm_up()
    auth = f"Bearer {seeded['token']}".encode("latin-1").decode("latin-1")

    def post(n: int) -> tuple[str, bytes]:
        body = json.dumps(
            {
                "channel": "phone",
                "identity": {"kind": "phone", "value": phone_e164(n % args.customers)},
                "text": f"Klant belt over de factuur van deze maand (gesprek {n}): het bedrag klopt niet.",
            }
        ).encode()
        return wsgi_post(wsgi.application, "/api/contacts", body, auth)

    for n in range(50):
        status, out = post(n)
        assert status.startswith("201"), (status, out[:300])
    outbox_drain()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    costs = []
    for n in range(50, 50 + args.n):
        started = time.process_time()
        if profiler:
            profiler.enable()
        status, out = post(n)
        if profiler:
            profiler.disable()
        costs.append(time.process_time() - started)
        assert status.startswith("201"), (status, out[:300])
    sample = json.loads(out)
    print(
        f"request: median {1000 * statistics.median(costs):.2f} ms CPU,"
        f" mean {1000 * statistics.mean(costs):.2f} ms, over {len(costs)} opens"
        f" (recognition {sample['recognition']})"
    )
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    waiting = outbox_waiting()
    spent = _listeners_timed(args.listeners)
    dprof = None
    if args.profile_drain:
        import cProfile

        dprof = cProfile.Profile()
    for size in [int(s) for s in args.batches.split(",")]:
        per = []
        from gezien.contacts import outbox

        for _ in range(args.repeat):
            if outbox_waiting() < size:
                break
            started = time.process_time()
            if dprof:
                dprof.enable()
            handled = outbox.outbox_handle(size)
            if dprof:
                dprof.disable()
            per.append((time.process_time() - started) / handled)
        if per:
            print(
                f"drain, batches of {size}: {1000 * statistics.median(per):.2f} ms CPU per contact"
                f" ({len(per)} batches)"
            )
    if dprof:
        import pstats

        pstats.Stats(dprof).sort_stats("cumulative").print_stats(50)
    if spent:
        batches = spent.pop("(batches)")[0]
        print(f"per batch, over {batches:.0f} batches: CPU ms, SQL queries")
        for name, (cpu, queries) in sorted(spent.items(), key=lambda item: -item[1][0]):
            print(f"  {1000 * cpu / batches:6.2f} ms {queries / batches:5.1f} q  {name}")
    print(f"({waiting} rows were waiting; data dir {tmp}; {connection.vendor})")
    return 0


def _listeners_timed(on: bool) -> dict[str, list[float]]:
    """Wrap the outbox's steps and every listener to sum their CPU time and SQL queries (when `on`)."""
    if not on:
        return {}
    from django.db import connection

    from gezien.contacts import analysing, outbox

    spent: dict[str, list[float]] = {"(batches)": [0.0, 0.0]}
    queries = [0]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries[0] += 1
        return execute(sql, params, many, context)

    connection.execute_wrappers.append(count)

    def timed(name: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            started, before = time.process_time(), queries[0]
            try:
                return function(*args, **kwargs)
            finally:
                row = spent.setdefault(name, [0.0, 0.0])
                row[0] += time.process_time() - started
                row[1] += queries[0] - before

        return wrapper

    def label(function) -> str:  # type: ignore[no-untyped-def]
        return f"{function.__module__}.{function.__qualname__}"

    handle = outbox.outbox_handle

    def counted_handle(size: int = outbox.BATCH) -> int:
        spent["(batches)"][0] += 1
        return handle(size)

    outbox.outbox_handle = timed("(whole batch)", counted_handle)
    outbox._claim = timed("(claim)", outbox._claim)
    outbox.messages_analyse_new = timed("(analyse + store signals)", outbox.messages_analyse_new)
    wrapped = {f: timed(label(f), f) for f in {*outbox._listeners, *analysing._listeners}}
    outbox._listeners[:] = [wrapped[f] for f in outbox._listeners]  # one wrapper each: called once
    analysing._listeners[:] = [wrapped[f] for f in analysing._listeners]
    return spent


if __name__ == "__main__":
    sys.exit(main())
