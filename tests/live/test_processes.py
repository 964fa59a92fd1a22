"""Live events across server processes and restarts: an agent's reply sent through one `gezien serve`
reaches the customer's event stream open on another (Redis; PostgreSQL LISTEN/NOTIFY in the PostgreSQL
run), and a stream that reconnects after a server restart gets what it missed once, and nothing twice."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.gezien_server import GezienServer, SseReader

pytestmark = pytest.mark.slow  # real server processes

ORIGIN = "http://winkel.example"
WIDGET = "winkel-test"
MAKE_WIDGET = (
    "from gezien.chat.services import widget_create; "
    f"widget_create(name='Winkel', allowed_origins=['{ORIGIN}'], key='{WIDGET}')"
)


class Chat:
    """A customer chatting through the widget API, and an agent answering through the staff API."""

    def __init__(self, server: GezienServer) -> None:
        server.gezien("manage", "shell", "-c", MAKE_WIDGET)
        server.gezien("createuser", "sanne", "--password", "lang-genoeg-1")
        self.staff = {
            "Authorization": f"Bearer {server.gezien('token', 'create', '--user', 'sanne').strip()}"
        }
        status, _, body = server.request(
            "POST",
            f"/widget/api/v1/{WIDGET}/sessions",
            {"name": "Annie", "language": "nl"},
            {"Origin": ORIGIN},
        )
        assert status == 201, body
        self.token = json.loads(body)["token"]
        self.customer = {"Authorization": f"Bearer {self.token}", "Origin": ORIGIN}
        status, _, body = server.request("POST", "/widget/api/v1/messages", {"text": "Hallo?"}, self.customer)
        assert status == 201, body
        self.contact_id = self._contact_of(server)

    def _contact_of(self, server: GezienServer) -> int:
        status, _, body = server.request("GET", "/api/contacts?channel=chat", headers=self.staff)
        assert status == 200, body
        found = json.loads(body)
        items = found["items"] if isinstance(found, dict) else found
        return int(items[0]["id"])

    def reply(self, server: GezienServer, text: str) -> int:
        status, _, body = server.request(
            "POST", f"/api/contacts/{self.contact_id}/messages", {"author": "agent", "text": text}, self.staff
        )
        assert status == 201, body
        return int(json.loads(body)["id"])

    def stream(self, server: GezienServer, last_event_id: int | None = None) -> SseReader:
        headers = {"Origin": ORIGIN}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        reader = SseReader(server.port, f"/widget/api/v1/events?token={self.token}", headers)
        assert reader.status == 200
        return reader


def _texts(events: list[dict[str, Any]]) -> list[str]:
    return [e["data"]["text"] for e in events if e["event"] == "message"]


def _across(servers: list[GezienServer]) -> None:
    a, b = servers
    chat = Chat(a)
    stream = chat.stream(b)
    try:
        stream.wait_for(lambda e: e["event"] == "message" and e["data"]["text"] == "Hallo?")  # caught up
        sent = chat.reply(a, "Goedemorgen Annie, ik kijk even mee.")
        events = stream.wait_for(lambda e: e["id"] == sent)
        assert _texts(events) == ["Hallo?", "Goedemorgen Annie, ik kijk even mee."]
    finally:
        stream.close()


def test_a_reply_through_one_process_reaches_a_stream_on_another_through_redis(
    gezien_servers: Callable[..., list[GezienServer]], redis_url: str
) -> None:
    _across(gezien_servers(2, live_url=redis_url))


@pytest.mark.postgres_too
def test_a_reply_through_one_process_reaches_a_stream_on_another_through_postgres_notify(
    gezien_servers: Callable[..., list[GezienServer]],
) -> None:
    _across(gezien_servers(2, database="postgres", live_url="postgres"))


def test_processes_sharing_a_redis_cache_show_each_other_who_has_a_contact_open(
    gezien_servers: Callable[..., list[GezienServer]], redis_url: str
) -> None:
    a, b = gezien_servers(2, live_url=redis_url, cache_url=redis_url.rsplit("/", 1)[0] + "/1")
    chat = Chat(a)
    a.gezien("createuser", "naomi", "--password", "lang-genoeg-2", "--first-name", "Naomi")
    naomi = {"Authorization": f"Bearer {a.gezien('token', 'create', '--user', 'naomi').strip()}"}
    viewers = f"/api/contacts/{chat.contact_id}/viewers"
    status, _, body = a.request("POST", viewers, {"state": "typing"}, naomi)
    assert status == 200, body
    status, _, body = b.request("GET", viewers, headers=chat.staff)  # asked of the other process
    assert status == 200, body
    assert [(v["name"], v["state"]) for v in json.loads(body)["viewers"]] == [("Naomi", "typing")]


def test_a_stream_reconnecting_after_a_restart_gets_what_it_missed_once(live_desk: GezienServer) -> None:
    chat = Chat(live_desk)
    first = chat.reply(live_desk, "Eerste antwoord")
    stream = chat.stream(live_desk)
    seen = stream.wait_for(lambda e: e["id"] == first)
    stream.close()
    live_desk.restart()  # the stream dropped; while it was away the agent answered twice
    missed = [chat.reply(live_desk, "Tweede antwoord"), chat.reply(live_desk, "Derde antwoord")]
    again = chat.stream(live_desk, last_event_id=max(e["id"] for e in seen if e["id"] is not None))
    try:
        events = again.wait_for(lambda e: e["id"] == missed[-1])
        later = chat.reply(live_desk, "Vierde antwoord")
        events = again.wait_for(lambda e: e["id"] == later)
    finally:
        again.close()
    assert [e["id"] for e in events if e["event"] == "message"] == [*missed, later]
    assert _texts(events) == ["Tweede antwoord", "Derde antwoord", "Vierde antwoord"]
