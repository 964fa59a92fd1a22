"""The ASGI application of `gezien serve`: an async view (a live stream) waits on the event loop and a
sync view runs meanwhile on the WSGI thread; what the stream waits for arrives when it is published."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from gezien.config import asgi
from gezien.core.live import live_publish, live_response


@login_not_required
async def stream_view(request: HttpRequest) -> StreamingHttpResponse:
    return live_response(["test.topic"])


@csrf_exempt
@login_not_required
def plain_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{request.method} {request.path} {request.body.decode()}")


urlpatterns = [path("live/test/", stream_view), path("plain/é/", plain_view)]


def _scope(path_: str, method: str = "GET") -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path_,
        "raw_path": path_.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"text/plain")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


class Exchange:
    """One request through the ASGI app: the body to send, the messages it sends back."""

    def __init__(self, body: bytes = b"") -> None:
        self.body = body
        self.sent: list[dict[str, Any]] = []
        self.got = asyncio.Event()
        self.disconnect = asyncio.Event()
        self._body_sent = False

    async def receive(self) -> dict[str, Any]:
        if not self._body_sent:
            self._body_sent = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        await self.disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Any) -> None:
        self.sent.append(dict(message))
        self.got.set()

    def content(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body")


@override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"])
def test_an_open_stream_waits_on_the_loop_while_a_sync_view_answers_and_gets_what_is_published() -> None:
    asgi.is_async_path.cache_clear()

    async def scenario() -> tuple[bytes, bytes, int]:
        stream = Exchange()
        streaming = asyncio.create_task(asgi.application(_scope("/live/test/"), stream.receive, stream.send))
        while b"retry" not in stream.content():
            await asyncio.wait_for(stream.got.wait(), 10)
            stream.got.clear()
        # The one WSGI thread is free: a sync request is answered while the stream stays open.
        plain = Exchange(b"hallo")
        await asyncio.wait_for(asgi.application(_scope("/plain/é/", "POST"), plain.receive, plain.send), 10)
        await asyncio.get_running_loop().run_in_executor(
            None, lambda: live_publish("test.topic", "message", {"id": 3}, event_id=3)
        )
        while b"event: message" not in stream.content():
            await asyncio.wait_for(stream.got.wait(), 10)
            stream.got.clear()
        stream.disconnect.set()  # the browser goes: the handler ends the stream
        await asyncio.wait_for(streaming, 10)
        return stream.content(), plain.content(), plain.sent[0]["status"]

    try:
        stream_body, plain_body, status = asyncio.run(scenario())
    finally:
        asgi.is_async_path.cache_clear()
    assert status == 200
    assert plain_body.decode() == "POST /plain/é/ hallo"
    assert b'id: 3\nevent: message\ndata: {"id":3}\n\n' in stream_body


@override_settings(ROOT_URLCONF=__name__)
def test_only_async_views_take_the_event_loop() -> None:
    asgi.is_async_path.cache_clear()
    try:
        assert asgi.is_async_path("/live/test/")
        assert not asgi.is_async_path("/plain/é/")
        assert not asgi.is_async_path("/static/gezien/desk.css")  # no view: whitenoise, on the thread
    finally:
        asgi.is_async_path.cache_clear()


pytestmark = pytest.mark.django_db(transaction=True)
