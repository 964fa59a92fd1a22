"""Live events: what changed, told at once to the screens that show it (the desk's workspace, a chat
customer's widget), over server-sent events.

A feature publishes `live_publish(topic, event, data)` where something changes; it is sent after the
surrounding transaction commits, so a rolled-back change is never shown. Every open stream subscribed
to the topic gets it. The bus is fire and forget: what must survive a dropped connection is in the
database too, and its events carry the row's id (`event_id`), so a reconnecting stream catches up from
the last id it saw (`live_response(catch_up=...)`) and shows nothing twice.

The bus of this module reaches the streams of this process (the embedded default: one server process).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import AsyncGenerator, Callable, Iterable, Mapping
from dataclasses import dataclass, field

from asgiref.sync import sync_to_async
from django.db import transaction
from django.http import HttpRequest, StreamingHttpResponse

logger = logging.getLogger(__name__)

KEEPALIVE_S = 15.0  # a comment line this often keeps proxies from closing an idle stream
RETRY_MS = 2000  # how long a browser waits before it reconnects a dropped stream
QUEUE_SIZE = 1000  # events a slow stream may fall behind before it is closed (the browser reconnects)
SEEN_KEPT = 500  # ids a stream remembers to show nothing twice


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

    def subscriber_count(self) -> int:
        """Open streams in this process (each counted once)."""
        with self._lock:
            return len({s for subs in self._subscriptions.values() for s in subs})


_bus = LocalBus()


def live_bus() -> LocalBus:
    return _bus


def live_publish(topic: str, event: str, data: Mapping[str, object], *, event_id: int | None = None) -> None:
    """Tell every stream subscribed to `topic` that `event` happened, once the surrounding
    transaction commits (at once outside one). Never raises into the caller."""
    live_event = LiveEvent(event, dict(data), event_id)

    def send() -> None:
        try:
            _bus.publish(topic, live_event)
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
    topics: Iterable[str], *, last_event_id: int | None = None, catch_up: CatchUp | None = None
) -> AsyncGenerator[bytes]:
    """The frames of a stream: subscribe first, then what was missed, then each event as it comes."""
    subscription = _bus.subscribe(topics)
    sent = _Sent(last_event_id)
    try:
        yield f"retry: {RETRY_MS}\n\n".encode()
        if catch_up is not None:
            for event in await sync_to_async(catch_up)(last_event_id):
                if sent.fresh(event):
                    yield event.sse()
        while True:
            try:
                next_event = await asyncio.wait_for(subscription.queue.get(), KEEPALIVE_S)
            except TimeoutError:
                yield b": keepalive\n\n"
                continue
            if next_event is None:
                return
            if sent.fresh(next_event):
                yield next_event.sse()
    finally:
        _bus.unsubscribe(subscription)


def live_response(
    topics: Iterable[str], *, last_event_id: int | None = None, catch_up: CatchUp | None = None
) -> StreamingHttpResponse:
    """A text/event-stream response for an async view (under ASGI it holds no thread while idle)."""
    response = StreamingHttpResponse(
        live_stream(topics, last_event_id=last_event_id, catch_up=catch_up),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
