"""Python CPU per CTI event (`POST /api/cti/events`), in-process: the figure to rely on where the
machine is shared and `make bench-cti`'s wall-clock p99 is mostly other processes' noise.

Seeds like `bench/gezien_seed.py cti` (customers with a phone each, `--agents` agents, an API token) in
a temporary GEZIEN_DATA_DIR, then sends `-n` calls through the WSGI app of `gezien serve` as
bench/bench_cti.py plans them (newCall, answer by the next agent, hangup; every fifth call abandoned),
with the outbox left for the drain (as `gezien serve`'s drain thread or `gezien worker` runs it, off
the request), then drains it. Reports the median and mean CPU per event kind in the request and the
drain's CPU per event; `time.process_time()` counts only this process.

    .venv/bin/python bench/cpu_cti.py -n 200
    .venv/bin/python bench/cpu_cti.py -n 100 --profile   # cProfile of the requests, top 45
    .venv/bin/python bench/cpu_cti.py -n 100 --profile --top 0   # only the function calls per event
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=200, help="calls to measure (after 20 to warm up)")
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--agents", type=int, default=40)
    parser.add_argument("--profile", action="store_true", help="cProfile the measured requests")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (cumulative, tottime)")
    parser.add_argument("--top", type=int, default=45, help="functions of the profile shown (0: none)")
    parser.add_argument("--queries", action="store_true", help="count SQL queries per event kind")
    args = parser.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="gezien-cpu-cti-")
    os.environ["GEZIEN_DATA_DIR"] = tmp
    os.environ.setdefault("GEZIEN_SECRET_KEY", "cpu-cti-bench-secret-key-0123456789abcdefghijklmnopq")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")
    os.environ.setdefault("GEZIEN_DEBUG", "0")
    from bench.gezien_seed import _setup, cmd_cti

    _setup()
    seeded = cmd_cti(argparse.Namespace(customers=args.customers, agents=args.agents))
    from django.conf import settings

    settings.GEZIEN_ANALYSIS_INLINE = False  # no drain thread: the rows wait for the drain below
    from django.db import connection

    from bench.cpu_open import wsgi_post
    from gezien.config import wsgi
    from gezien.contacts import outbox
    from gezien.contacts.analysing import analysis_warm_up

    analysis_warm_up()
    auth = f"Bearer {seeded['token']}"
    agents: list[str] = seeded["agents"]

    def post(body: dict[str, Any]) -> tuple[str, bytes]:
        raw = json.dumps(body).encode()
        return wsgi_post(wsgi.application, "/api/cti/events", raw, auth)

    def call_events(index: int) -> list[dict[str, Any]]:
        call_id = f"cpu-{index}"
        number = f"06-1234{index % args.customers:04d}"
        ring = {"event": "newCall", "call_id": call_id, "from": number, "queue": "bench"}
        if index % 5 == 4:
            return [ring, {"event": "hangup", "call_id": call_id, "cause": "callerHangup"}]
        agent = agents[index % len(agents)]
        return [
            ring,
            {"event": "answer", "call_id": call_id, "user": agent},
            {"event": "hangup", "call_id": call_id, "cause": "normalClearing"},
        ]

    queries = [0]
    if args.queries:

        def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            queries[0] += 1
            return execute(sql, params, many, context)

        connection.execute_wrappers.append(count)

    for index in range(20):  # warm up
        for body in call_events(index):
            status, out = post(body)
            assert status.startswith(("200", "201")), (status, out[:300])
    while outbox.outbox_handle(100):
        pass
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    costs: dict[str, list[float]] = defaultdict(list)
    counted: dict[str, list[int]] = defaultdict(list)
    events = 0
    for index in range(20, 20 + args.n):
        for body in call_events(index):
            before = queries[0]
            started = time.process_time()
            if profiler:
                profiler.enable()
            status, out = post(body)
            if profiler:
                profiler.disable()
            costs[body["event"]].append(time.process_time() - started)
            counted[body["event"]].append(queries[0] - before)
            events += 1
            assert status.startswith("201"), (status, out[:300])
    request_cpu = sum(sum(v) for v in costs.values())
    started = time.process_time()
    drained = 0
    while handled := outbox.outbox_handle(100):
        drained += handled
    drain_cpu = time.process_time() - started
    everything = [c for values in costs.values() for c in values]
    print(f"{events} events of {args.n} calls, CPU in ms (process time), {connection.vendor}:")
    for kind in ("newCall", "answer", "hangup"):
        values = costs[kind]
        line = (
            f"  {kind:8} n={len(values):4}  median {1000 * statistics.median(values):6.2f}"
            f"  mean {1000 * statistics.mean(values):6.2f}"
            f"  p99 {1000 * sorted(values)[int(0.99 * (len(values) - 1))]:6.2f}"
        )
        if args.queries:
            line += f"  queries {statistics.mean(counted[kind]):5.1f}"
        print(line)
    print(
        f"  all      n={events:4}  median {1000 * statistics.median(everything):6.2f}"
        f"  mean {1000 * request_cpu / events:6.2f} (in the request)"
    )
    print(
        f"  outbox drain: {1000 * drain_cpu / events:.2f} ms per event ({drained} rows, off the request);"
        f" all work per event {1000 * (request_cpu + drain_cpu) / events:.2f} ms"
    )
    if profiler:
        import pstats

        stats = pstats.Stats(profiler)
        if args.top:
            stats.sort_stats(args.sort).print_stats(args.top)
        # Load-independent: Python function calls per event (CPU time swings with the machine's load).
        print(f"  Python function calls per event: {stats.total_calls / events:,.0f} (cProfile)")
    print(f"(data dir {tmp})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
