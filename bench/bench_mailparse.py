"""How long `parse` + `classify` + `split_quote` take per message of the mail corpus.

    .venv/bin/python bench/bench_mailparse.py [--rounds 20]

Prints the median per-message time over the whole corpus (tests/mailparse/corpus) and over its
"typical" messages (the customer mails written for Gezien, leaving out the 270 kB log line), best of
the rounds. The mail intake target is 100 messages/s with recognition and analysis, so this part
should stay well under 2 ms a message.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tomllib
from pathlib import Path

from gezien.mailparse import classify, parse, split_quote

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "mailparse" / "corpus"


def run(raws: list[bytes], rounds: int) -> tuple[float, float]:
    """(best total seconds for one pass, median seconds per message) over `rounds` passes."""
    totals: list[float] = []
    per_message: list[float] = []
    own = frozenset({"despaak.example"})
    for _ in range(rounds):
        start = time.perf_counter()
        for raw in raws:
            one = time.perf_counter()
            parsed = parse(raw)
            classify(parsed, own_domains=own, own_message_id_suffix="@gezien.despaak.example")
            split_quote(parsed.text)
            per_message.append(time.perf_counter() - one)
        totals.append(time.perf_counter() - start)
    return min(totals), statistics.median(per_message)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    entries = tomllib.loads((CORPUS / "corpus.toml").read_text(encoding="utf-8"))["message"]
    everything = [(CORPUS / entry["file"]).read_bytes() for entry in entries]
    typical = [
        (CORPUS / entry["file"]).read_bytes()
        for entry in entries
        if entry["file"].startswith("own/nl-") and "long-line" not in entry["file"]
    ]
    for name, raws in (("whole corpus", everything), ("typical customer mails", typical)):
        total, median = run(raws, args.rounds)
        size = sum(map(len, raws)) / len(raws) / 1024
        print(
            f"{name}: {len(raws)} messages, mean {size:.1f} kB: {total / len(raws) * 1000:.3f} ms/message "
            f"(mean, best pass), median {median * 1000:.3f} ms, {len(raws) / total:.0f} messages/s"
        )


if __name__ == "__main__":
    main()
