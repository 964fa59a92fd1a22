"""Start, probe and stop a WSGI server on 127.0.0.1 for a benchmark, and read its peak memory.

Shared by both sides of the benchmark so that Gezien and its peer are served the same way.
Two servers, picked by `server` (bench/run.py --server):

- "granian" (the default, what `gezien serve` runs): `granian --interface wsgi --workers 1
  --blocking-threads 1`, a Rust HTTP server whose main process spawns one worker process; the
  worker runs the Python app on its blocking thread(s) and does HTTP in Rust threads.
- "gunicorn": the former setup, `gunicorn --workers 1 --threads 4 --worker-class gthread`.

Either way: no access log, bound to a free port on 127.0.0.1. Threads come from GEZIEN_THREADS
when set (as for `gezien serve`), else 1 for granian and 4 for gunicorn.

(The file keeps its old name, gunicorn_server.py, so that nothing that imports it breaks.)

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


SERVERS = ("granian", "gunicorn")
DEFAULT_SERVER = "granian"


def default_threads(server: str) -> int:
    """Python threads per worker: GEZIEN_THREADS when set (like `gezien serve`), else the server's default."""
    if os.environ.get("GEZIEN_THREADS"):
        return int(os.environ["GEZIEN_THREADS"])
    return 1 if server == "granian" else 4


def server_label(server: str, threads: int, workers: int = 1, interface: str = "wsgi") -> str:
    """The command-line flags that describe how a side is served, for reports."""
    if server == "granian" and interface == "asgi":
        return f"granian --interface asgi --workers {workers}, GEZIEN_THREADS={threads}"
    if server == "granian":
        return f"granian --interface wsgi --workers {workers} --blocking-threads {threads}"
    return f"gunicorn --workers {workers} --threads {threads} --worker-class gthread"


def descendant_pids(parent: int) -> list[int]:
    """Pids of the live children of `parent`, their children, and so on (one /proc scan each level)."""
    found: list[int] = []
    level = child_pids(parent)
    while level:
        found += level
        level = [grandchild for pid in level for grandchild in child_pids(pid)]
    return found


@functools.cache
def _gunicorn_help(gunicorn: str) -> str:
    completed = subprocess.run([gunicorn, "--help"], capture_output=True, text=True, timeout=60, check=False)
    return completed.stdout


@dataclass
class AppServer:
    """One server main process with its worker process(es), serving a WSGI app on 127.0.0.1.

    binary: path of the granian or gunicorn executable (its virtual environment decides the Python).
    app: WSGI application spec, e.g. "wsgi:application" or "gezien.config.wsgi:application".
    chdir: folder the server changes to (and imports the app from).
    env: environment variables added to (or, with value None, removed from) os.environ.
    ready_path: path requested until any HTTP answer comes back (a 401 or 404 counts as ready).
    server: "granian" or "gunicorn" (see the module docstring); both sides of a comparison
        should be served by the same one.
    threads: granian's --blocking-threads, or gunicorn's --threads (gthread worker class).
    interface: granian's "wsgi" or "asgi" (Gezien's ASGI app runs its sync views on GEZIEN_THREADS
        threads of its own: granian's blocking threads do not apply).
    """

    binary: Path
    app: str
    chdir: Path
    env: Mapping[str, str | None] = field(default_factory=dict)
    server: str = DEFAULT_SERVER
    workers: int = 1
    threads: int = 1
    worker_class: str = "gthread"  # gunicorn only
    interface: str = "wsgi"  # granian only
    port: int = 0
    log_path: Path | None = None
    ready_path: str = "/"
    extra_args: Sequence[str] = ()
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

    @property
    def label(self) -> str:
        return server_label(self.server, self.threads, self.workers, self.interface)

    def command(self) -> list[str]:
        if self.server not in SERVERS:
            raise ValueError(f"unknown server {self.server!r}; one of {SERVERS}")
        if self.server == "granian":
            # The main process only supervises; it spawns the worker process(es), which import the
            # app from --working-dir. GRANIAN_* variables in the environment are removed in start().
            if self.interface == "asgi":
                threads = ["--backpressure", "10000"]  # as `gezien serve`
            else:
                threads = ["--blocking-threads", str(self.threads)]
            return [
                str(self.binary),
                "--interface", self.interface,
                "--host", LOOPBACK,
                "--port", str(self.port),
                "--workers", str(self.workers),
                *threads,
                "--working-dir", str(self.chdir),
                "--log-level", "warning",
                *self.extra_args,
                self.app,
            ]  # fmt: skip
        argv = [
            str(self.binary),
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--worker-class", self.worker_class,
            "--bind", f"{LOOPBACK}:{self.port}",
            "--chdir", str(self.chdir),
            "--log-level", "warning",
            "--timeout", "60",
            "--graceful-timeout", "5",
        ]  # fmt: skip
        if "--no-control-socket" in _gunicorn_help(str(self.binary)):
            # gunicorn >= 24 opens a control socket under ~/.gunicorn by default; a bench needs none.
            argv.append("--no-control-socket")
        argv.extend(self.extra_args)
        argv.append(self.app)
        return argv

    def start(self, timeout_s: float = 60.0) -> None:
        """Launch the server and wait until it answers HTTP on ready_path."""
        if self._process is not None:
            raise RuntimeError("server already started")
        if not Path(self.binary).exists():
            raise FileNotFoundError(f"{self.server} is not installed: {self.binary} is missing")
        if self.port == 0:
            self.port = free_port()
        # Only the command line configures the server: no stray GRANIAN_* or GUNICORN_CMD_ARGS.
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("GRANIAN_") and key != "GUNICORN_CMD_ARGS"
        }
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
                    f"{self.server} exited with status {self._process.returncode} before it was ready"
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
        raise TimeoutError(f"{self.server} not ready after {timeout_s:.0f}s: {last_error}{self._log_hint()}")

    def _log_hint(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        tail = self.log_path.read_text(errors="replace")[-2000:]
        return f"\n--- {self.log_path} (tail) ---\n{tail}"

    def sample_rss(self) -> None:
        """Record the current VmHWM of the main process and its workers (kept as a per-pid maximum).

        Workers are the main process's descendants: granian's worker and gunicorn's are direct
        children (granian's worker runs its Rust I/O threads and the Python blocking thread in
        that one process). A worker that was replaced counts with its own peak as well.
        """
        if self._process is None or self._process.poll() is not None:
            return
        master = self._process.pid
        for pid in [master, *descendant_pids(master)]:
            peak = vm_hwm_kib(pid)
            if peak is not None:
                self._peaks_kib[pid] = max(peak, self._peaks_kib.get(pid, 0))

    def peak_rss_mb(self) -> dict[str, float]:
        """Peak RSS in MiB: main process ("master"), workers (summed over worker pids seen) and total.

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
        """Sample RSS, then SIGTERM the main process (SIGKILL its process group if it lingers)."""
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

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
