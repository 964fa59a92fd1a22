"""Live events: what changed, told at once to the screens that show it (the desk's workspace, a chat
customer's widget), over server-sent events.

A feature publishes `live_publish(topic, event, data)` where something changes; it is sent after the
surrounding transaction commits, so a rolled-back change is never shown. Every open stream subscribed
to the topic gets it. The bus is fire and forget: what must survive a dropped connection is in the
database too, and its events carry the row's id (`event_id`), so a reconnecting stream catches up from
the last id it saw (`live_response(catch_up=...)`) and shows nothing twice.

Where the events travel (`GEZIEN_LIVE_URL`, decision 0012): within this process (unset: the embedded
default, one server process), or through Redis pub/sub (`redis://...`) or PostgreSQL LISTEN/NOTIFY
(`postgres`) to every server process, each of which runs one listener thread feeding its own streams.
A listener that lost its connection closes this process's streams once it is back: the browsers
reconnect and catch up from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest, StreamingHttpResponse

logger = logging.getLogger(__name__)

KEEPALIVE_S = 15.0  # a comment line this often keeps proxies from closing an idle stream
RETRY_MS = 2000  # how long a browser waits before it reconnects a dropped stream
QUEUE_SIZE = 1000  # events a slow stream may fall behind before it is closed (the browser reconnects)
SEEN_KEPT = 500  # ids a stream remembers to show nothing twice
CHANNEL = "gezien_live"  # the Redis channel and the PostgreSQL NOTIFY channel of every event
NOTIFY_LIMIT = 7999  # bytes: PostgreSQL refuses a NOTIFY payload of 8000 bytes or more
READY_WAIT_S = 5.0  # a new stream waits this long at most for this process's listener to be connected
RECONNECT_WAIT_S = (0.5, 1.0, 2.0, 5.0)  # a lost listener tries again after these waits (then every 5 s)


@dataclass(frozen=True)
class LiveEvent:
    """One thing that changed: its name, what a screen needs to show it, and the database id of a
    durable one (a message), by which a reconnecting stream catches up."""

    event: str
    data: Mapping[str, object]
    id: int | None = None

    def sse(self) -> bytes:
        """This event as a server-sent-events frame."""
        head = f"id: {self.id}\n" if self.id is not None else ""
        body = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        return f"{head}event: {self.event}\ndata: {body}\n\n".encode()


@dataclass(eq=False)
class Subscription:
    """An open stream's mailbox: events for its topics, put from any thread into its event loop."""

    topics: frozenset[str]
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[LiveEvent | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))

    def deliver(self, event: LiveEvent | None) -> None:
        """Hand `event` to the stream (thread-safe). `None` closes it."""
        with contextlib.suppress(RuntimeError):  # a closed loop: the stream is gone
            self.loop.call_soon_threadsafe(self._put, event)

    def _put(self, event: LiveEvent | None) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:  # too far behind: close it; the browser reconnects and catches up
            logger.warning("live stream fell %d events behind; closing it", QUEUE_SIZE)
            self.queue.get_nowait()
            self.queue.put_nowait(None)


class LocalBus:
    """Topics and their subscriptions within this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: dict[str, set[Subscription]] = {}

    def publish(self, topic: str, event: LiveEvent) -> None:
        with self._lock:
            subscriptions = tuple(self._subscriptions.get(topic, ()))
        for subscription in subscriptions:
            subscription.deliver(event)

    def subscribe(self, topics: Iterable[str]) -> Subscription:
        subscription = Subscription(frozenset(topics), asyncio.get_running_loop())
        with self._lock:
            for topic in subscription.topics:
                self._subscriptions.setdefault(topic, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            for topic in subscription.topics:
                kept = self._subscriptions.get(topic)
                if kept is not None:
                    kept.discard(subscription)
                    if not kept:
                        del self._subscriptions[topic]

    def close(self, topic: str | None = None) -> None:
        """Close the streams of `topic` (None: every stream): they reconnect and catch up."""
        with self._lock:
            if topic is None:
                subscriptions = {s for subs in self._subscriptions.values() for s in subs}
            else:
                subscriptions = set(self._subscriptions.get(topic, ()))
        for subscription in subscriptions:
            subscription.deliver(None)

    def subscriber_count(self) -> int:
        """Open streams in this process (each counted once)."""
        with self._lock:
            return len({s for subs in self._subscriptions.values() for s in subs})


_bus = LocalBus()
_ending = threading.Event()  # the server is shutting down: streams end, and new ones end at once


def live_streams_end() -> None:
    """End every open stream of this process and each one opened after (the server is stopping): the
    browsers reconnect, to this server once it is back or to another process. Without it a server
    waits for its open streams to end by themselves before it exits, which they never do."""
    _ending.set()
    _bus.close()


def live_bus() -> LocalBus:
    return _bus


class Transport:
    """Carries events to the streams of this process: the in-process transport hands them straight to
    the local bus; the others send them to every process, whose listener hands them to its bus."""

    name = "in-process"

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.ready.set()

    def start(self) -> None:
        """Start listening (a no-op here)."""

    def send(self, topic: str, event: LiveEvent) -> None:
        _bus.publish(topic, event)


def encode(topic: str, event: LiveEvent) -> str:
    return json.dumps(
        {"t": topic, "e": event.event, "d": event.data, "i": event.id},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def deliver(raw: str | bytes) -> None:
    """Hand one event that came from another process (or this one, the long way) to the local bus."""
    try:
        payload = json.loads(raw)
        topic, event_id = str(payload["t"]), payload.get("i")
        if payload.get("r"):  # too large to carry: its streams reconnect and catch it up from the database
            if event_id is not None:
                _bus.close(topic)
            return
        _bus.publish(topic, LiveEvent(str(payload["e"]), payload.get("d") or {}, event_id))
    except (ValueError, KeyError, TypeError):
        logger.warning("live event not understood: %.200r", raw)


class _Listening(Transport):
    """A transport with a listener thread per process (started once, reconnecting for ever)."""

    def __init__(self) -> None:
        super().__init__()
        self.ready.clear()
        self._started = False
        self._start_lock = threading.Lock()
        self._ever_connected = False

    def start(self) -> None:
        with self._start_lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run, name=f"live-{self.name}", daemon=True).start()

    def _run(self) -> None:
        failures = 0
        while True:
            try:
                self.listen()
            except Exception as error:  # the connection went: try again, then catch the streams up
                self.ready.clear()
                wait = RECONNECT_WAIT_S[min(failures, len(RECONNECT_WAIT_S) - 1)]
                failures += 1
                logger.warning("live listener (%s) lost: %s; again in %.1f s", self.name, error, wait)
                time.sleep(wait)

    def connected(self) -> None:
        """The listener listens (again): after a gap, the streams reconnect and catch up what it missed."""
        if self._ever_connected:
            _bus.close()
        self._ever_connected = True
        self.ready.set()

    def listen(self) -> None:
        raise NotImplementedError


class RedisTransport(_Listening):
    name = "redis"

    def __init__(self, url: str) -> None:
        super().__init__()
        import redis

        self._client = redis.Redis.from_url(url, health_check_interval=30)

    def send(self, topic: str, event: LiveEvent) -> None:
        self._client.publish(CHANNEL, encode(topic, event))

    def listen(self) -> None:
        pubsub = self._client.pubsub()
        try:
            pubsub.subscribe(CHANNEL)
            for message in pubsub.listen():  # type: ignore[no-untyped-call]
                if message["type"] == "subscribe":
                    self.connected()
                elif message["type"] == "message":
                    deliver(message["data"])
        finally:
            pubsub.close()


def notify_payload(topic: str, event: LiveEvent) -> str:
    """The event as a NOTIFY payload; one too large for NOTIFY goes as its topic and id only, and the
    receiving streams of that topic reconnect and catch it up from the database."""
    payload = encode(topic, event)
    if len(payload.encode()) > NOTIFY_LIMIT:
        payload = json.dumps({"t": topic, "e": event.event, "i": event.id, "r": 1})
    return payload


class PostgresTransport(_Listening):
    """LISTEN/NOTIFY on the database: a listening connection and a sending one per process."""

    name = "postgres"

    def __init__(self, conninfo: str, params: Mapping[str, Any]) -> None:
        super().__init__()
        self._conninfo, self._params = conninfo, dict(params)
        self._send_lock = threading.Lock()
        self._sending: Any = None

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self._conninfo, autocommit=True, **self._params)

    def send(self, topic: str, event: LiveEvent) -> None:
        payload = notify_payload(topic, event)
        with self._send_lock:
            for attempt in (1, 2):  # a connection that went away is made again once
                try:
                    if self._sending is None or self._sending.closed:
                        self._sending = self._connect()
                    self._sending.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
                    return
                except Exception:
                    self._sending = None
                    if attempt == 2:
                        raise

    def listen(self) -> None:
        with self._connect() as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self.connected()
            for notify in connection.notifies():
                deliver(notify.payload)


_transport: Transport | None = None
_transport_lock = threading.Lock()


def transport_for(url: str) -> Transport:
    """The transport `GEZIEN_LIVE_URL` names ("" in-process, redis://..., postgres)."""
    if not url:
        return Transport()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisTransport(url)
    if url in ("postgres", "postgresql"):
        from django.db import connections

        database = connections["default"]
        if database.vendor != "postgresql":
            raise ImproperlyConfigured(
                "GEZIEN_LIVE_URL=postgres needs PostgreSQL as the database (DATABASE_URL): use Redis"
                " (GEZIEN_LIVE_URL=redis://...) or one server process."
            )
        params = database.get_connection_params()
        for unwanted in ("cursor_factory", "context", "server_side_binding", "prepare_threshold"):
            params.pop(unwanted, None)
        return PostgresTransport("", params)
    if url.startswith(("postgres://", "postgresql://")):
        return PostgresTransport(url, {})
    raise ImproperlyConfigured(f"GEZIEN_LIVE_URL: redis://..., postgres or nothing, not {url[:40]!r}")


def live_transport() -> Transport:
    """This process's transport (made from the settings on first use, its listener started)."""
    global _transport
    if _transport is None:
        with _transport_lock:
            if _transport is None:
                made = transport_for(settings.GEZIEN_LIVE_URL)
                made.start()
                _transport = made
    return _transport


def live_publish(topic: str, event: str, data: Mapping[str, object], *, event_id: int | None = None) -> None:
    """Tell every stream subscribed to `topic` (in every server process) that `event` happened, once
    the surrounding transaction commits (at once outside one). Never raises into the caller."""
    live_event = LiveEvent(event, dict(data), event_id)

    def send() -> None:
        try:
            live_transport().send(topic, live_event)
        except Exception:  # a screen not told is no reason to fail the change
            logger.exception("live event %s on %s not published", event, topic)

    transaction.on_commit(send)


def last_event_id_from(request: HttpRequest) -> int | None:
    """The id a reconnecting stream saw last: the browser's `Last-Event-ID` header, or
    `?last_event_id=` (a first connection that already showed a page up to that id)."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or ""
    return int(raw) if raw.isdigit() else None


CatchUp = Callable[[int | None], list[LiveEvent]]


class _Sent:
    """What a stream has shown, so an event is shown once even if it comes by catch-up and by the
    bus: nothing at or below the id the browser saw before it reconnected, no id twice."""

    def __init__(self, last_event_id: int | None) -> None:
        self.floor = last_event_id or 0
        self._ids: dict[int, None] = {}

    def fresh(self, event: LiveEvent) -> bool:
        if event.id is None:
            return True
        if event.id <= self.floor or event.id in self._ids:
            return False
        self._ids[event.id] = None
        if len(self._ids) > SEEN_KEPT:
            del self._ids[next(iter(self._ids))]
        return True


async def live_stream(
    topics: Iterable[str],
    *,
    last_event_id: int | None = None,
    catch_up: CatchUp | None = None,
    ends_after_s: float | None = None,
) -> AsyncGenerator[bytes]:
    """The frames of a stream: subscribe first, then what was missed, then each event as it comes; it
    ends after `ends_after_s` seconds when given (the browser reconnects, and its session is asked again)."""
    deadline = None if ends_after_s is None else time.monotonic() + ends_after_s
    subscription = _bus.subscribe(topics)
    sent = _Sent(last_event_id)
    try:
        if _ending.is_set():
            return
        transport = live_transport()
        if not transport.ready.is_set():  # catch up only once what follows will reach this process
            await asyncio.to_thread(transport.ready.wait, READY_WAIT_S)
        yield f"retry: {RETRY_MS}\n\n".encode()
        if catch_up is not None:
            for event in await sync_to_async(catch_up)(last_event_id):
                if sent.fresh(event):
                    yield event.sse()
        while True:
            wait_s = KEEPALIVE_S
            if deadline is not None:
                wait_s = min(wait_s, deadline - time.monotonic())
                if wait_s <= 0:
                    return
            try:
                next_event = await asyncio.wait_for(subscription.queue.get(), wait_s)
            except TimeoutError:
                if deadline is None or time.monotonic() < deadline:
                    yield b": keepalive\n\n"
                continue
            if next_event is None:
                return
            if sent.fresh(next_event):
                yield next_event.sse()
    finally:
        _bus.unsubscribe(subscription)


def live_response(
    topics: Iterable[str],
    *,
    last_event_id: int | None = None,
    catch_up: CatchUp | None = None,
    ends_after_s: float | None = None,
) -> StreamingHttpResponse:
    """A text/event-stream response for an async view (under ASGI it holds no thread while idle)."""
    response = StreamingHttpResponse(
        live_stream(topics, last_event_id=last_event_id, catch_up=catch_up, ends_after_s=ends_after_s),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
