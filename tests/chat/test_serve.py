"""The chat end to end on a real `gezien serve` (ASGI): a visitor chats through the widget API, follows
the event stream, the agent's reply arrives on it, and after a server restart a reconnect with the last
id it saw catches up with what it missed, nothing twice."""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest

from tests.gezien_server import LOOPBACK, GezienServer

pytestmark = pytest.mark.slow  # a real server process

ORIGIN = "https://www.winkel.example"


class Stream:
    """A widget's EventSource, by hand: the events of the chat, one at a time."""

    def __init__(self, server: GezienServer, token: str, last_event_id: str | None = None) -> None:
        self.connection = http.client.HTTPConnection(LOOPBACK, server.port, timeout=10)
        headers = {"Origin": ORIGIN, "Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.connection.request("GET", f"/widget/api/v1/events?token={token}", headers=headers)
        self.response = self.connection.getresponse()
        assert self.response.status == 200, self.response.read()
        assert self.response.getheader("Access-Control-Allow-Origin") == ORIGIN

    def next_event(self) -> tuple[str, str, dict[str, Any]]:
        fields: dict[str, str] = {}
        while True:
            line = self.response.fp.readline().decode().rstrip("\n")
            if line == "":
                if "event" in fields:
                    return fields["event"], fields.get("id", ""), json.loads(fields["data"])
                fields = {}
                continue
            if line.startswith(":") or line.startswith("retry"):
                continue
            name, _sep, value = line.partition(": ")
            fields[name] = value

    def close(self) -> None:
        self.connection.close()


def _json(server: GezienServer, method: str, path: str, body: object = None, **headers: str) -> Any:
    status, _headers, raw = server.request(method, path, body, headers)
    return status, (json.loads(raw) if raw else None)


def test_a_chat_on_a_real_server_with_a_restart_in_between(live_desk: GezienServer) -> None:
    live_desk.gezien("createuser", "beheer", "--role", "admin", "--password", "lang-genoeg-1")
    admin = {"Authorization": "Bearer " + live_desk.gezien("token", "create", "--user", "beheer").strip()}
    status, widget = _json(
        live_desk, "POST", "/api/widgets", {"name": "Winkel", "allowed_origins": [ORIGIN]}, **admin
    )
    assert status == 201, widget
    visitor = {"Origin": ORIGIN}
    status, session = _json(
        live_desk, "POST", f"/widget/api/v1/{widget['key']}/sessions", {"name": "Piet"}, **visitor
    )
    assert status == 201, session
    visitor["Authorization"] = f"Bearer {session['token']}"
    status, sent = _json(
        live_desk, "POST", "/widget/api/v1/messages", {"text": "Mijn modem knippert"}, **visitor
    )
    assert status == 201, sent
    status, contacts = _json(live_desk, "GET", "/api/contacts?channel=chat", **admin)
    (found,) = contacts["items"]
    contact = found["id"]

    stream = Stream(live_desk, session["token"], last_event_id=str(sent["message"]["id"]))  # shown already
    try:
        status, reply = _json(
            live_desk,
            "POST",
            f"/api/contacts/{contact}/messages",
            {"author": "agent", "text": "Ik kijk mee!"},
            **admin,
        )
        assert status == 201, reply
        event, event_id, data = stream.next_event()
        while event != "message":
            event, event_id, data = stream.next_event()
        assert data["text"] == "Ik kijk mee!" and data["from"] == "agent" and event_id == str(data["id"])
    finally:
        stream.close()

    live_desk.restart()  # the stream dropped; meanwhile the agent writes again
    status, _ = _json(
        live_desk,
        "POST",
        f"/api/contacts/{contact}/messages",
        {"author": "agent", "text": "Gevonden."},
        **admin,
    )
    assert status == 201
    again = Stream(live_desk, session["token"], last_event_id=event_id)
    try:
        event, _id, data = again.next_event()
        assert (event, data["text"]) == ("message", "Gevonden.")  # caught up, and "Ik kijk mee!" not twice
    except TimeoutError as exc:
        raise AssertionError("the reconnect did not catch up") from exc
    finally:
        again.close()
