"""The live bus: a published event reaches the streams of its topic once, after the commit, and a
reconnecting stream catches up without showing anything twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from django.db import transaction

from gezien.core.live import LiveEvent, live_bus, live_publish, live_stream

pytestmark = pytest.mark.django_db(transaction=True)  # live_publish waits for the commit


async def _frames(stream: AsyncIterator[bytes], count: int) -> list[bytes]:
    frames = []
    async for frame in stream:
        if frame.startswith((b"retry", b":")):
            continue
        frames.append(frame)
        if len(frames) == count:
            break
    return frames


def _run(publish_after_subscribe: object, **kwargs: object) -> list[bytes]:
    async def scenario() -> list[bytes]:
        stream = live_stream(["contact.1"], **kwargs)  # type: ignore[arg-type]
        first = await anext(stream)  # subscribed once the retry line is out
        assert first.startswith(b"retry")
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, publish_after_subscribe)  # type: ignore[arg-type]
        frames = await asyncio.wait_for(_frames(stream, 2), 5)
        await stream.aclose()
        return frames

    return asyncio.run(scenario())


def test_an_event_reaches_the_streams_of_its_topic_and_no_other() -> None:
    def publish() -> None:
        live_publish("contact.2", "message", {"id": 1})
        live_publish("contact.1", "message", {"id": 7}, event_id=7)
        live_publish("contact.1", "typing", {"from": "customer"})

    before = live_bus().subscriber_count()  # streams other tests of this process left open
    frames = _run(publish)
    assert frames == [
        b'id: 7\nevent: message\ndata: {"id":7}\n\n',
        b'event: typing\ndata: {"from":"customer"}\n\n',
    ]
    assert live_bus().subscriber_count() == before  # a closed stream leaves no subscription behind


def test_a_reconnect_catches_up_from_the_last_id_and_shows_nothing_twice() -> None:
    def catch_up(last: int | None) -> list[LiveEvent]:
        assert last == 5
        return [LiveEvent("message", {"id": 6}, 6)]

    def publish() -> None:
        live_publish("contact.1", "message", {"id": 4}, event_id=4)  # seen before the reconnect
        live_publish("contact.1", "message", {"id": 6}, event_id=6)  # also caught up
        live_publish("contact.1", "message", {"id": 8}, event_id=8)

    frames = _run(publish, last_event_id=5, catch_up=catch_up)
    assert [f.split(b"\n")[0] for f in frames] == [b"id: 6", b"id: 8"]


def test_an_event_is_sent_after_the_commit_and_never_for_a_rollback() -> None:
    def publish() -> None:
        try:
            with transaction.atomic():
                live_publish("contact.1", "message", {"id": 1}, event_id=1)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        with transaction.atomic():
            live_publish("contact.1", "message", {"id": 2}, event_id=2)
        live_publish("contact.1", "status", {"status": "closed"})

    frames = _run(publish)
    assert [f.split(b"\n")[0] for f in frames] == [b"id: 2", b"event: status"]


def test_an_event_too_large_for_notify_makes_its_streams_reconnect_and_catch_up() -> None:
    from gezien.core.live import NOTIFY_LIMIT, deliver, notify_payload

    small = notify_payload("chat.1", LiveEvent("message", {"id": 5, "text": "kort"}, 5))
    large_event = LiveEvent("message", {"id": 6, "text": "é" * NOTIFY_LIMIT}, 6)
    large = notify_payload("chat.1", large_event)
    assert len(large.encode()) < 200 and "é" not in large

    async def scenario() -> list[bytes | None]:
        stream = live_stream(["chat.1"])
        await anext(stream)
        deliver(small)  # what the listener thread does with a NOTIFY
        deliver(large)
        frames: list[bytes | None] = []
        async for frame in stream:
            frames.append(frame)
        frames.append(None)  # the stream ended: the browser reconnects with Last-Event-ID 5
        return frames

    frames = asyncio.run(asyncio.wait_for(scenario(), 5))
    assert frames == [b'id: 5\nevent: message\ndata: {"id":5,"text":"kort"}\n\n', None]
