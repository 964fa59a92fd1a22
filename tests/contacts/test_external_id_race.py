"""Thirty simultaneous deliveries of one message `external_id` to a real `gezien serve`: one is stored
and answered 201, the other 29 find it and answer 200 (the unique constraint decides), on SQLite and
on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

import pytest

pytestmark = pytest.mark.slow

CALLERS = 30


def _burst(server: Any, path: str, body: dict[str, Any], token: str) -> Counter[int]:
    headers = {"Authorization": f"Bearer {token}"}
    start = threading.Barrier(CALLERS)
    answers: list[int] = []

    def post() -> None:
        start.wait()
        status, _headers, _body = server.request("POST", path, body, headers)
        answers.append(status)

    threads = [threading.Thread(target=post) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(answers)


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres_too)])
def test_one_external_id_posted_thirty_times_at_once_is_stored_once(
    database: str, gezien_servers: Any
) -> None:
    (server,) = gezien_servers(1, database=database)
    server.gezien("createuser", "koppeling", "--role", "agent", "--password", "lang-genoeg-wachtwoord-1")
    token = server.gezien("token", "create", "--user", "koppeling").strip()
    headers = {"Authorization": f"Bearer {token}"}
    status, _h, raw = server.request(
        "POST", "/api/contacts", {"channel": "chat", "text": "Hallo", "external_id": "c-1"}, headers
    )
    assert status == 201, raw
    contact = json.loads(raw)["id"]

    message = {"text": "Waar blijft mijn pakket?", "external_id": "m-1"}
    assert _burst(server, f"/api/contacts/{contact}/messages", message, token) == {201: 1, 200: CALLERS - 1}
    opening = {"channel": "chat", "text": "Nog een vraag", "external_id": "c-2"}
    assert _burst(server, "/api/contacts", opening, token) == {201: 1, 200: CALLERS - 1}

    status, _h, raw = server.request("GET", f"/api/contacts/{contact}", headers=headers)
    texts = [m["text"] for m in json.loads(raw)["messages"]]
    assert texts.count("Waar blijft mijn pakket?") == 1
