"""The rules layer of this tree against an earlier commit's, in one process: same results? how much faster?

    .venv/bin/python bench/analysis_paired.py 8f25a7c             # 21 pairs of passes
    .venv/bin/python bench/analysis_paired.py main --pairs 41

The earlier commit's `src` is copied aside (`git archive`) and imported under its own `sys.modules`,
then both analysers read the 2,000 texts of `bench/analysis_corpus.jsonl`:

- **same results**: every text as its own role with the language detected, and forced to nl and en as
  customer and as agent (12,000 analyses); `Analysis.to_dict()` compared as JSON, the sha256 of each
  side printed. Exit status 1 when they differ (a change meant to be faster only must not change
  what the desk shows).
- **speed**: after a warm-up pass each, whole passes alternate (earlier, this, earlier, ...), one
  message at a time, timed by `time.process_time` (CPU of this process, pinned to one core): on a
  machine other work shares, alternating pairs see the same load, and the median of the ratios is
  steadier than either rate. Printed: each side's median messages per CPU-second and the paired
  ratio.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "analysis_corpus.jsonl"


def _load(src: Path) -> Any:
    """A rules-only Analyzer from the package tree `src`, in a `sys.modules` of its own."""
    for name in [m for m in sys.modules if m == "gezien" or m.startswith("gezien.")]:
        del sys.modules[name]
    sys.path.insert(0, str(src))
    try:
        from gezien.analysis import AnalysisConfig, Analyzer

        return Analyzer(AnalysisConfig())
    finally:
        sys.path.remove(str(src))


def _dump(analyzer: Any, rows: list[dict[str, str]]) -> str:
    out = []
    for row in rows:
        role = "agent" if row["role"] == "agent" else "customer"
        out.append(analyzer.analyze(row["text"], role=role).to_dict())
        for lang in ("nl", "en"):
            for as_role in ("customer", "agent"):
                out.append(analyzer.analyze(row["text"], lang=lang, role=as_role).to_dict())
    return "\n".join(json.dumps(d, ensure_ascii=False, sort_keys=True) for d in out)


def _pass(analyzer: Any, items: list[tuple[str, str]]) -> float:
    started = time.process_time()
    for text, role in items:
        analyzer.analyze(text, role=role)
    return len(items) / (time.process_time() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the earlier commit (anything git rev-parse takes)")
    parser.add_argument("--pairs", type=int, default=21, help="pairs of passes (default 21)")
    args = parser.parse_args(argv)
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", args.rev, "src"], capture_output=True, check=True
    ).stdout
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [(row["text"], "agent" if row["role"] == "agent" else "customer") for row in rows]
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        before = _load(Path(tmp) / "src")
        after = _load(ROOT / "src")
        dumps = [_dump(before, rows), _dump(after, rows)]
        digests = [hashlib.sha256(d.encode()).hexdigest()[:16] for d in dumps]
        same = dumps[0] == dumps[1]
        print(f"analyses ({len(rows) * 5:,}): {args.rev} {digests[0]}, this tree {digests[1]}: ", end="")
        print("identical" if same else "DIFFERENT")
        rates: tuple[list[float], list[float]] = ([], [])
        for _ in range(args.pairs):
            rates[0].append(_pass(before, items))
            rates[1].append(_pass(after, items))
    ratio = statistics.median(b / a for a, b in zip(*rates, strict=True))
    print(
        f"messages per CPU-second, median of {args.pairs} pairs: {args.rev} "
        f"{statistics.median(rates[0]):,.0f}, this tree {statistics.median(rates[1]):,.0f}; "
        f"paired ratio {ratio:.2f}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
