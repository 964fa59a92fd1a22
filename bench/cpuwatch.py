"""CPU accounting around one measured load run: the server's share, wrk's, and everything else.

On a 2-core machine a benchmark is only as good as the quiet around it. CpuWatch reads
/proc/stat (all CPUs) and /proc/<pid>/stat (the server's main process and its workers, all their
threads included: granian's Rust I/O threads too) before and after a run, so a result can say
how busy the server was (is it CPU-bound?) and how much CPU other processes took meanwhile (was
the machine shared?). Linux only; percentages are of one core.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from bench.gunicorn_server import descendant_pids

_TICK = os.sysconf("SC_CLK_TCK")


def system_busy_s() -> float:
    """Seconds of CPU all cores spent not idle (user, nice, system, irq, softirq, steal) since boot."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = stat.readline().split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / _TICK


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (0.0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            text = stat.read()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    fields = text[text.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


@dataclass
class CpuWatch:
    """Start before a load run, stop after; `server_pid` is the server's main process."""

    server_pid: int
    _start: float = 0.0
    _system: float = 0.0
    _procs: dict[int, float] = field(default_factory=dict)

    def _server_pids(self) -> list[int]:
        return [self.server_pid, *descendant_pids(self.server_pid)]

    def start(self) -> None:
        self._procs = {pid: process_cpu_s(pid) for pid in self._server_pids()}
        self._system = system_busy_s()
        self._start = time.monotonic()

    def stop(self, loadgen_cpu_s: float = 0.0) -> dict[str, float]:
        elapsed = time.monotonic() - self._start
        system = system_busy_s() - self._system
        server = sum(process_cpu_s(pid) - self._procs.get(pid, 0.0) for pid in self._server_pids())
        other = max(0.0, system - server - loadgen_cpu_s)
        return {
            "server_cpu_pct": round(100 * server / elapsed, 1),
            "background_cpu_pct": round(100 * other / elapsed, 1),
            "cores": float(os.cpu_count() or 0),
        }
