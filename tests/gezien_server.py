"""A real `gezien serve` for tests that need live updates: the server as it runs in production (granian,
ASGI, its own process, its own database), on a free port of 127.0.0.1.

pytest-django's live_server is a threaded WSGI server in the test process: it cannot hold an async
event stream open beside other requests the way `gezien serve` does. Tests that want the real thing use
the fixtures of tests/conftest.py:

- `live_desk`: a started server on a fresh migrated SQLite database (a copy of one migrated per run),
  with the in-process live bus. `live_desk.url("/path")`, `live_desk.gezien("createuser", ...)` (a CLI
  command on the same database), `live_desk.restart()` (a stop and a start on the same port and data),
  `live_desk.login(username, password)` (a session cookie for the desk, through the login form).
- `gezien_servers`: a factory for several servers sharing one database and a live backend:
  `gezien_servers(count=2, database="postgres"|"sqlite", live_url="redis://..."|"postgres"|"")`.
  PostgreSQL needs DATABASE_URL (the CI's PostgreSQL run); the test database is made and dropped here.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode, urlsplit, urlunsplit

BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 180.0
SECRET_KEY = "test-live-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def base_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a server and its CLI commands: nothing of the test process's database or
    settings (pytest-django's), its own data folder, a fixed secret key (several processes share it)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "GEZIEN_LIVE_URL",
            "GEZIEN_WORKERS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests' own (Playwright's loop): never a server's
        )
        and not k.startswith("GRANIAN_")
    }
    # Servers and commands of the tests sign people in without an authenticator app (conftest's
    # _no_second_factor_required); a test that wants the default passes GEZIEN_2FA_REQUIRED_ROLES itself.
    env.update(GEZIEN_DATA_DIR=str(data_dir), GEZIEN_SECRET_KEY=SECRET_KEY, GEZIEN_2FA_REQUIRED_ROLES="none")
    env.update(extra)
    return env


def gezien_command(env: Mapping[str, str], *args: str, timeout_s: float = 600) -> str:
    done = subprocess.run(
        [str(BIN / "gezien"), *args], env=dict(env), capture_output=True, text=True, timeout=timeout_s
    )
    if done.returncode != 0:
        raise RuntimeError(f"gezien {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def request(
    port: int,
    method: str,
    path: str,
    body: object = None,
    headers: Mapping[str, str] | None = None,
    timeout_s: float = 15,
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request; a dict or list body is sent as JSON, str or bytes as is."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout_s)
    sent_headers = dict(headers or {})
    if isinstance(body, dict | list):
        body = json.dumps(body)
        sent_headers.setdefault("Content-Type", "application/json")
    try:
        conn.request(method, path, body=body, headers=sent_headers)  # type: ignore[arg-type]
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@dataclass
class GezienServer:
    """One `gezien serve` process (stopped and started again on the same port and data by restart())."""

    env: dict[str, str]
    port: int = field(default_factory=free_port)
    log_path: Path | None = None
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _log: IO[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def gezien(self, *args: str) -> str:
        """A CLI command on this server's database (createuser, token create, demo-data ...)."""
        return gezien_command(self.env, *args)

    def request(
        self, method: str, path: str, body: object = None, headers: Mapping[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        return request(self.port, method, path, body, headers)

    def start(self) -> None:
        if self._process is not None:
            raise RuntimeError("already started")
        env = {**self.env, "PORT": str(self.port)}
        if self.log_path is not None:
            self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._process = subprocess.Popen(
            [str(BIN / "gezien"), "serve"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log or subprocess.DEVNULL,
            stderr=self._log or subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if request(self.port, "GET", "/health", timeout_s=5)[0] == 200:
                    return
            except OSError:
                pass
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gezien serve did not start on port {self.port}{self._log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
        if process is not None:  # granian's worker processes go with their group
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self) -> None:
        """Stop the server (its open streams drop) and start it again on the same port and data."""
        self.stop()
        self.start()

    def login(self, username: str, password: str) -> str:
        """Log in through the desk's /login/ form; the `sessionid` cookie's value."""
        status, headers, page = self.request("GET", "/login/")
        csrf = _cookie(headers, "csrftoken")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and csrf and token, f"GET /login/ gave {status}"
        form = urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1].decode()}
        )
        status, headers, _ = self.request(
            "POST",
            "/login/",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
                "Referer": self.url("/login/"),
            },
        )
        session = _cookie(headers, "sessionid")
        assert status == 302 and session, f"login as {username} gave {status}"
        return session

    def _log_tail(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n--- server log ---\n" + self.log_path.read_text(errors="replace")[-3000:]


def _cookie(headers: Mapping[str, str], name: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    raw = headers.get("set-cookie")
    if raw:
        jar.load(raw)
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


def migrated_sqlite(template_dir: Path) -> Path:
    """A migrated SQLite database, made once in `template_dir` (later calls find it there)."""
    database = template_dir / "gezien.sqlite3"
    if not database.exists():
        template_dir.mkdir(parents=True, exist_ok=True)
        gezien_command(base_env(template_dir), "migrate", "--quiet")
    return database


def sqlite_data_dir(template: Path, data_dir: Path) -> Path:
    """A data folder holding a copy of the migrated template database."""
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, data_dir / "gezien.sqlite3")
    return data_dir


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database on the server of DATABASE_URL (dropped afterwards); its URL."""
    import psycopg

    admin_url = os.environ["DATABASE_URL"]
    name = f"gezien_live_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sse_events(raw: bytes) -> list[dict[str, Any]]:
    """The events of a server-sent-events body: [{"id": int|None, "event": str, "data": dict}]."""
    events = []
    for frame in raw.decode().split("\n\n"):
        fields: dict[str, str] = {}
        for line in frame.split("\n"):
            if line and not line.startswith(":") and ": " in line:
                key, value = line.split(": ", 1)
                fields[key] = value
        if "event" in fields:
            events.append(
                {
                    "id": int(fields["id"]) if "id" in fields else None,
                    "event": fields["event"],
                    "data": json.loads(fields.get("data", "null")),
                }
            )
    return events


class SseReader:
    """An open event stream, read on a thread of its own: `events` fills as they arrive."""

    def __init__(self, port: int, path: str, headers: Mapping[str, str] | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.status: int | None = None
        self.ended = False
        self._conn = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
        self._conn.request("GET", path, headers={"Accept": "text/event-stream", **(headers or {})})
        self._response = self._conn.getresponse()
        self.status = self._response.status
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        frame: list[str] = []
        try:
            while True:
                line = self._response.fp.readline()
                if not line:
                    break
                text = line.decode().rstrip("\n")
                if text:
                    frame.append(text)
                    continue
                events = sse_events("\n".join(frame).encode() + b"\n\n")
                frame = []
                with self._lock:
                    self.events.extend(events)
        except (OSError, ValueError):
            pass
        finally:
            self.ended = True

    def wait_for(self, predicate: Any, timeout_s: float = 15) -> list[dict[str, Any]]:
        """The events so far, once one of them satisfies `predicate` (fails after `timeout_s`)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                seen = list(self.events)
            if any(predicate(event) for event in seen):
                return seen
            if self.ended:
                break
            time.sleep(0.02)
        raise AssertionError(f"no such event within {timeout_s} s; got {seen}")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.sock.shutdown(socket.SHUT_RDWR)  # type: ignore[union-attr]
        self._conn.close()


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A throw-away redis-server on a free loopback port (nothing saved); its URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no",
         "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://{LOOPBACK}:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def redis_available() -> bool:
    return bool(shutil.which("redis-server") or Path("/usr/bin/redis-server").exists())
