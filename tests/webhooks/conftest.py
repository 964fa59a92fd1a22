"""Webhook tests: a real HTTP receiver on 127.0.0.1 (http.server on a thread of its own) that checks
each request's signature and answers with the status codes it is told to."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from gezien.webhooks.delivery import sender_stop

SECRET = "een-geheim-van-minstens-zestien"


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool
    status: int  # what the receiver answered

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    host: str
    port: int
    secret: str = SECRET
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # the status codes for the next requests (else 200)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/hooks/gezien"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            expected = "sha256=" + hmac.new(receiver.secret.encode(), body, hashlib.sha256).hexdigest()
            given = self.headers.get("X-Gezien-Signature", "")
            status = receiver.answers.pop(0) if receiver.answers else 200
            receiver.received.append(
                Received(self.path, dict(self.headers), body, hmac.compare_digest(expected, given), status)
            )
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"kapot")

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    holder = Receiver("127.0.0.1", 0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    holder.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _sender_stopped_after() -> Iterator[None]:
    """The sender thread a test started stops with it (before the next test's database)."""
    yield
    sender_stop()
