"""A progress bar for long commands, on stderr: redrawn in place on a terminal, a line now and then
otherwise (logs, CI), so the output stays readable either way. Small enough not to need tqdm."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class ProgressBar:
    def __init__(self, label: str, stream: TextIO | None = None, every_s: float = 0.2) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.every_s = every_s
        self.started = time.monotonic()
        self.shown_at = -1.0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.logged_step = -1

    def __call__(self, done: int, total: int) -> None:
        """Show `done` of `total`; cheap to call often (it redraws at most every `every_s` seconds)."""
        now = time.monotonic()
        finished = done >= total
        if self.tty:
            if finished or now - self.shown_at >= self.every_s:
                self.stream.write("\r" + self.line(done, total, now))
                self.stream.flush()
                self.shown_at = now
            return
        step = 10 * done // total if total else 10
        if step != self.logged_step:  # 0 %, 10 %, ... 100 %: eleven lines at most
            self.stream.write(self.line(done, total, now) + "\n")
            self.logged_step = step

    def line(self, done: int, total: int, now: float) -> str:
        share = done / total if total else 1.0
        filled = int(WIDTH * share)
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate > 0 else 0.0
        return (
            f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} {share:4.0%}"
            f"  {rate:,.0f}/s  nog {left:,.0f} s "
        )

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
