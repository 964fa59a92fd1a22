"""Chat tests: a widget on a website's origin, and a visitor's client that calls the widget API as the
widget's script does (JSON, the page's Origin, a bearer token once it has a session)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from gezien.chat.models import ChatWidget
from gezien.chat.services import widget_create

SITE = "https://www.voorbeeld-winkel.nl"
API = "/widget/api/v1"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()  # the rate limits count in the cache; each test starts from zero


@pytest.fixture
def widget(db: None, team: Any) -> ChatWidget:
    return widget_create(
        name="Winkel", allowed_origins=[SITE], team=team, secret="s3cret-van-de-winkel"
    ).widget


class Visitor:
    """A website visitor's widget: JSON in and out, the page's Origin on every call."""

    def __init__(self, widget: ChatWidget, origin: str | None = SITE, address: str = "192.0.2.10") -> None:
        self.client = Client(REMOTE_ADDR=address)
        self.widget = widget
        self.origin = origin
        self.token: str | None = None

    def headers(self) -> dict[str, str]:
        found = {"HTTP_ORIGIN": self.origin} if self.origin else {}
        if self.token:
            found["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return found

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        kwargs: dict[str, Any] = {**self.headers(), **extra}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = getattr(self.client, method)(API + path, **kwargs)
        response.body = (
            response.json()
            if not response.streaming
            and response.content
            and response.get("Content-Type", "").startswith("application/json")
            else None
        )
        return response

    def start(self, **body: Any) -> Any:
        response = self.call("post", f"/{self.widget.key}/sessions", {"language": "nl", **body})
        if response.status_code == 201:
            self.token = response.body["token"]
        return response

    def say(self, text: str) -> Any:
        return self.call("post", "/messages", {"text": text})


@pytest.fixture
def visitor(widget: ChatWidget) -> Visitor:
    return Visitor(widget)
