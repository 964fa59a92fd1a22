"""ASGI entry point (what `gezien serve` runs, through `gezien.config.serving`).

One event loop holds every connection. A request for an **async** view (a live event stream: the
desk's `/live/...`, the widget's events) goes to Django's ASGI handler and, while it waits for the
next event, holds no thread. Every other request (sync views: the desk's pages, the API) runs the
WSGI application of `gezien.config.wsgi` on a thread of a small pool of its own (GEZIEN_THREADS,
default 1), exactly as granian's WSGI interface ran it: the same lean middleware for `/api/`, and no
per-middleware hops between the loop and a thread that Django's ASGI handler would add to a sync
view (decision 0012 measures both).
"""

from __future__ import annotations

import asyncio
import functools
import io
import os
import queue
import signal
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import django
from django.core.handlers.asgi import ASGIHandler
from django.urls import Resolver404, resolve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")
django.setup(set_prefix=False)


class StreamHandler(ASGIHandler):
    """Django's ASGI handler without its per-request `ThreadSensitiveContext`. With it, every request
    that calls `sync_to_async` (the stream views do: the session, the catch-up) gets a thread of its
    own for as long as it lasts, with its own database connection: for an event stream, for hours. A
    thousand idle widgets were a thousand threads, ~650 KiB each, and the GIL shared among them. Here
    those calls take turns on asgiref's one shared thread instead (they are short)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        await self.handle(scope, receive, send)


django_asgi = StreamHandler()

from gezien.config.wsgi import application as wsgi_application  # noqa: E402 - after django.setup()
from gezien.core.live import live_streams_end  # noqa: E402

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]

BODY_IN_MEMORY = 1024 * 1024  # a larger request body (an upload) is spooled to a temporary file


@functools.lru_cache(maxsize=4096)
def is_async_path(path: str) -> bool:
    """Whether `path` is served by an async view (a live stream): those run on the event loop."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    view = match.func
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return bool(getattr(view_class, "view_is_async", False))
    return asyncio.iscoroutinefunction(view)


def _environ(scope: Scope, body: Any) -> dict[str, Any]:
    """The WSGI environ of an ASGI HTTP request (PEP 3333: strings are latin-1 decoded bytes)."""
    server = scope.get("server") or ("127.0.0.1", 80)
    client = scope.get("client") or ("", 0)
    path = scope["path"].encode()  # percent-decoded, as WSGI servers give PATH_INFO
    root = scope.get("root_path", "").encode()
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root.decode("latin-1"),
        "PATH_INFO": (path[len(root) :] if root and path.startswith(root) else path).decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name == "CONTENT_TYPE" or name == "CONTENT_LENGTH":
            environ[name] = value
            continue
        key = f"HTTP_{name}"
        if key in environ:
            value = f"{environ[key]}{'; ' if key == 'HTTP_COOKIE' else ','}{value}"
        environ[key] = value
    return environ


async def _read_body(receive: Receive) -> Any:
    """The request body as a file positioned at its end; None when the client went away."""
    message = await receive()
    if message["type"] == "http.disconnect":
        return None
    if not message.get("more_body", False):  # the common case: one message
        body: Any = io.BytesIO(message.get("body", b""))
        body.seek(0, io.SEEK_END)
        return body
    body = tempfile.SpooledTemporaryFile(max_size=BODY_IN_MEMORY)  # noqa: SIM115 - closed by the caller
    body.write(message.get("body", b""))
    while message.get("more_body", False):
        message = await receive()
        if message["type"] == "http.disconnect":
            body.close()
            return None
        body.write(message.get("body", b""))
    return body


class _Threads:
    """The threads that run the WSGI app: a queue of calls, each answered into an asyncio future on the
    loop (lighter than loop.run_in_executor, which chains a second future per call)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._calls: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._started = False
        self._lock = threading.Lock()

    def _start(self) -> None:
        with self._lock:
            if self._started:
                return
            for index in range(self.count):
                threading.Thread(target=self._work, name=f"wsgi-{index}", daemon=True).start()
            self._started = True

    def _work(self) -> None:
        while True:
            self._calls.get()()

    def run(self, function: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        if not self._started:
            self._start()
        loop = asyncio.get_running_loop()
        future = loop.create_future()

        def call() -> None:
            try:
                result = function(*args)
            except BaseException as error:  # handed to the awaiting request
                loop.call_soon_threadsafe(_fail, future, error)
            else:
                loop.call_soon_threadsafe(_succeed, future, result)

        self._calls.put(call)
        return future


def _succeed(future: asyncio.Future[Any], result: Any) -> None:
    if not future.done():
        future.set_result(result)


def _fail(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


_threads = _Threads(int(os.environ.get("GEZIEN_THREADS") or 1))


def _call_wsgi(
    environ: dict[str, Any], send_soon: Callable[[Message], None]
) -> tuple[int, list[tuple[bytes, bytes]], Iterable[bytes] | None, bytes]:
    """Run the WSGI app on a pool thread. A plain response comes back whole; a streaming one comes back
    as its iterator, which the caller drains on the thread chunk by chunk."""
    started: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers]
        return lambda data: None

    result = wsgi_application(environ, start_response)  # type: ignore[no-untyped-call]
    status, headers = started
    raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    if getattr(result, "streaming", False):
        return int(status[:3]), raw_headers, result, b""
    try:
        content = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return int(status[:3]), raw_headers, None, content


async def _wsgi(scope: Scope, receive: Receive, send: Send) -> None:
    body = await _read_body(receive)
    if body is None:
        return
    loop = asyncio.get_running_loop()

    async def sending(message: Message) -> None:  # granian's send gives an awaitable, not a coroutine
        await send(message)

    def send_soon(message: Message) -> None:  # from the pool thread: wait until it is sent
        asyncio.run_coroutine_threadsafe(sending(message), loop).result()

    environ = _environ(scope, body)
    # A chunked body (no Content-Length) is read whole above: Django reads as much as this says.
    environ.setdefault("CONTENT_LENGTH", str(body.tell()))
    body.seek(0)
    try:
        status, headers, stream, content = await _threads.run(_call_wsgi, environ, send_soon)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if stream is None:
            await send({"type": "http.response.body", "body": content})
            return
        await _threads.run(_drain, stream, send_soon)
    finally:
        body.close()


def _drain(stream: Iterable[bytes], send_soon: Callable[[Message], None]) -> None:
    try:
        for chunk in stream:
            if chunk:
                send_soon({"type": "http.response.body", "body": chunk, "more_body": True})
        send_soon({"type": "http.response.body", "body": b""})
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def _streams_end_on_stop() -> None:
    """End the open event streams as soon as the server is told to stop.

    granian stops a worker on SIGTERM or SIGINT by letting its open requests finish first, and only then
    says `lifespan.shutdown`; an event stream never finishes by itself, so `gezien serve` with one desk
    open did not exit until it was killed. Its handler on the worker's event loop is wrapped: first the
    streams end (the browsers reconnect once the server is back), then granian's own stop runs. The
    handlers sit in the loop's `_signal_handlers` (asyncio keeps no public way to read them); where that
    is missing the streams still end at `lifespan.shutdown`."""
    loop = asyncio.get_running_loop()
    handlers: Mapping[int, asyncio.Handle] = getattr(loop, "_signal_handlers", {})
    for number in (signal.SIGTERM, signal.SIGINT):
        theirs = handlers.get(number)
        if theirs is None:
            continue

        def ours(theirs: asyncio.Handle = theirs) -> None:
            live_streams_end()
            theirs._run()

        loop.add_signal_handler(number, ours)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            _streams_end_on_stop()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            live_streams_end()
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    """Async views on the event loop (Django's ASGI handler); everything else on the WSGI thread."""
    kind = scope["type"]
    if kind == "http":
        if is_async_path(scope["path"]):
            await django_asgi(scope, receive, send)
        else:
            await _wsgi(scope, receive, send)
    elif kind == "lifespan":
        await _lifespan(receive, send)
    # websocket: not served (the live events are server-sent events, decision 0012)
