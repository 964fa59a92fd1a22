"""The hot path served through granian's ASGI interface (what `gezien serve` runs since the live
events, decision 0012) against its WSGI interface (what it ran before), in one run.

    .venv/bin/python bench/bench_asgi.py                 # 3 rounds, API open contact + contact page
    .venv/bin/python bench/bench_asgi.py --rounds 1 -d 3 # a smoke run

Each round measures both interfaces, alternating which goes first, with bench/bench_gezien.py's
benches (wrk, 8 connections, a fresh database each); the medians over the rounds are printed and the
raw figures go to bench/.work/results/asgi-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_gezien

RESULTS_DIR = Path(__file__).resolve().parent / ".work" / "results"
INTERFACES = ("wsgi", "asgi")
KEYS = ("rps", "p50_ms", "p99_ms", "server_cpu_ms_per_request")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("-d", "--duration", type=float, default=10.0)
    parser.add_argument("--parts", default="api,view", help="api (open contact), view (contact page)")
    args = parser.parse_args()
    parts = args.parts.split(",")
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {p: {i: [] for i in INTERFACES} for p in parts}
    for index in range(args.rounds):
        order = INTERFACES if index % 2 == 0 else INTERFACES[::-1]
        for part in parts:
            for interface in order:
                if part == "api":
                    found = bench_gezien.run_open_contact(args.duration, 8, interface=interface)
                else:
                    found = bench_gezien.run_contact_view(args.duration, 8, interface=interface)
                runs[part][interface].append(found)
                figures = ", ".join(f"{k} {found.get(k)}" for k in KEYS)
                print(
                    f"round {index + 1} {part} {interface}: {figures}, verified {found['verified']}",
                    flush=True,
                )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"asgi-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(runs, indent=1))
    print(f"\nmedians of {args.rounds} rounds (8 connections, {args.duration:.0f} s each):")
    for part in parts:
        for interface in INTERFACES:
            medians = {
                key: statistics.median(float(r[key]) for r in runs[part][interface] if r.get(key) is not None)
                for key in KEYS
            }
            print(f"  {part:4} {interface}: " + ", ".join(f"{k} {v:.2f}" for k, v in medians.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
