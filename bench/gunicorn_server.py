"""Start, probe and stop a gunicorn server on 127.0.0.1 for a benchmark, and read its peak memory.

Shared by both sides of the benchmark so that Gezien and its peer are served the same way:
one worker process, gthread worker class, 4 threads (`gunicorn --workers 1 --threads 4
--worker-class gthread`), no access log, bound to a free port on 127.0.0.1.

Standard library only; Linux only (peak RSS comes from /proc/<pid>/status VmHWM).
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def vm_hwm_kib(pid: int) -> int | None:
    """Peak resident set size (VmHWM) of a live process in KiB, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


def child_pids(parent: int) -> list[int]:
    """Pids of the live processes whose parent is `parent` (scans /proc)."""
    children: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                text = stat.read()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        # The command name is in parentheses and may hold spaces; fields after it are plain.
        fields = text[text.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == parent:
            children.append(int(entry))
    return children


@functools.cache
def _gunicorn_help(gunicorn: str) -> str:
    completed = subprocess.run([gunicorn, "--help"], capture_output=True, text=True, timeout=60, check=False)
    return completed.stdout


@dataclass
class GunicornServer:
    """One gunicorn master with its worker(s), serving a WSGI app on 127.0.0.1.

    gunicorn: path of the gunicorn executable (its virtual environment decides the Python).
    app: WSGI application spec, e.g. "wsgi:application" or "gezien.config.wsgi:application".
    chdir: folder gunicorn changes to before importing the app.
    env: environment variables added to (or, with value None, removed from) os.environ.
    ready_path: path requested until any HTTP answer comes back (a 401 or 404 counts as ready).
    """

    gunicorn: Path
    app: str
    chdir: Path
    env: Mapping[str, str | None] = field(default_factory=dict)
    workers: int = 1
    threads: int = 4
    worker_class: str = "gthread"
    port: int = 0
    log_path: Path | None = None
    ready_path: str = "/"
    extra_args: Sequence[str] = ()
    # "gunicorn" or "granian" (then `gunicorn` is the granian binary): both sides of a comparison
    # should be served by the same server, and `gezien serve` uses granian.
    server: str = "gunicorn"
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _peaks_kib: dict[int, int] = field(default_factory=dict, init=False, repr=False)
    _log_file: IO[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def command(self) -> list[str]:
        if self.server == "granian":
            return [
                str(self.gunicorn),
                "--interface", "wsgi",
                "--host", LOOPBACK,
                "--port", str(self.port),
                "--workers", str(self.workers),
                "--blocking-threads", str(self.threads),
                "--working-dir", str(self.chdir),
                "--log-level", "warning",
                *self.extra_args,
                self.app,
            ]  # fmt: skip
        argv = [
            str(self.gunicorn),
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--worker-class", self.worker_class,
            "--bind", f"{LOOPBACK}:{self.port}",
            "--chdir", str(self.chdir),
            "--log-level", "warning",
            "--timeout", "60",
            "--graceful-timeout", "5",
        ]  # fmt: skip
        if "--no-control-socket" in _gunicorn_help(str(self.gunicorn)):
            # gunicorn >= 24 opens a control socket under ~/.gunicorn by default; a bench needs none.
            argv.append("--no-control-socket")
        argv.extend(self.extra_args)
        argv.append(self.app)
        return argv

    def start(self, timeout_s: float = 60.0) -> None:
        """Launch gunicorn and wait until it answers HTTP on ready_path."""
        if self._process is not None:
            raise RuntimeError("server already started")
        if self.port == 0:
            self.port = free_port()
        env = dict(os.environ)
        for key, value in self.env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        stdout: IO[bytes] | int = self._log_file if self._log_file is not None else subprocess.DEVNULL
        self._process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        try:
            self._wait_ready(timeout_s)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout_s: float) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout_s
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with status {self._process.returncode} before it was ready"
                    f"{self._log_hint()}"
                )
            try:
                conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=5)
                try:
                    conn.request("GET", self.ready_path)
                    conn.getresponse().read()
                    return
                finally:
                    conn.close()
            except OSError as error:
                last_error = error
                time.sleep(0.1)
        raise TimeoutError(f"gunicorn not ready after {timeout_s:.0f}s: {last_error}{self._log_hint()}")

    def _log_hint(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        tail = self.log_path.read_text(errors="replace")[-2000:]
        return f"\n--- {self.log_path} (tail) ---\n{tail}"

    def sample_rss(self) -> None:
        """Record the current VmHWM of the master and its workers (kept as a per-pid maximum)."""
        if self._process is None or self._process.poll() is not None:
            return
        master = self._process.pid
        for pid in [master, *child_pids(master)]:
            peak = vm_hwm_kib(pid)
            if peak is not None:
                self._peaks_kib[pid] = max(peak, self._peaks_kib.get(pid, 0))

    def peak_rss_mb(self) -> dict[str, float]:
        """Peak RSS in MiB: master, workers (summed over worker pids seen) and total.

        VmHWM is the kernel's high-water mark for each process, so a sample taken after the
        load (stop() takes one) covers the whole run. Shared pages count in each process.
        """
        self.sample_rss()
        master = self.pid
        master_kib = self._peaks_kib.get(master, 0) if master is not None else 0
        workers_kib = sum(v for pid, v in self._peaks_kib.items() if pid != master)
        return {
            "master": round(master_kib / 1024, 1),
            "workers": round(workers_kib / 1024, 1),
            "total": round((master_kib + workers_kib) / 1024, 1),
        }

    def stop(self, timeout_s: float = 15.0) -> None:
        """Sample RSS, then SIGTERM the master (SIGKILL its process group if it lingers)."""
        process = self._process
        if process is None:
            return
        self.sample_rss()
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=timeout_s)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> GunicornServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
