"""`gezien serve` for real: a server process on 127.0.0.1, its own SQLite database, HTTP from outside."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gezien_server import sqlite_data_dir

pytestmark = pytest.mark.slow  # a real server process and its own migrated database

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _gezien(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(BIN / "gezien"), *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _request(port: int, method: str, path: str, body: object = None, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_template: Path
) -> Iterator[tuple[int, str]]:
    data = sqlite_data_dir(migrated_sqlite_template, tmp_path_factory.mktemp("serve"))  # `gezien migrate`d
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(GEZIEN_DATA_DIR=str(data), GEZIEN_SECRET_KEY="test-serve", PORT=str(_free_port()))
    _gezien(env, "createuser", "sanne", "--password", "lang-genoeg-1")
    token = _gezien(env, "token", "create", "--user", "sanne").strip()
    process = subprocess.Popen(
        [str(BIN / "gezien"), "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    port = int(env["PORT"])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if _request(port, "GET", "/health")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        yield port, token
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_the_server_answers_health_and_sends_people_to_the_login_page(server: tuple[int, str]) -> None:
    port, _token = server
    assert _request(port, "GET", "/health")[0] == 200
    status, headers, _body = _request(port, "GET", "/desk/")
    assert status == 302 and headers["location"].startswith("/login/")
    assert _request(port, "GET", "/static/gezien/desk.css")[0] == 200


def test_the_api_over_http_opens_and_recognises(server: tuple[int, str]) -> None:
    port, token = server
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    created = _request(
        port,
        "POST",
        "/api/customers",
        {
            "first_name": "Annie",
            "last_name": "Jansen",
            "identities": [{"kind": "phone", "value": "06-12345678"}],
        },
        auth,
    )
    assert created[0] == 201, created[2]
    status, _h, body = _request(
        port,
        "POST",
        "/api/contacts",
        {"channel": "phone", "identity": {"kind": "phone", "value": "+31612345678"}, "text": "Goedemorgen"},
        auth,
    )
    answer = json.loads(body)
    assert status == 201
    assert answer["recognition"] == "recognised"
    assert answer["customer"]["full_name"] == "Annie Jansen"
    assert (
        _request(port, "POST", "/api/contacts", {"channel": "phone"}, {"Content-Type": "application/json"})[0]
        == 401
    )
    assert _request(port, "GET", "/api/docs")[0] == 302


def test_the_server_analyses_an_opened_contact_off_the_request_within_a_second_or_so(
    server: tuple[int, str],
) -> None:
    port, token = server
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    status, _h, body = _request(
        port, "POST", "/api/contacts", {"channel": "chat", "text": "Ik ben echt boos, die factuur!"}, auth
    )
    assert status == 201
    answer = json.loads(body)
    assert answer["messages"][0]["signals"] is None  # the answer does not wait for the analysis
    deadline = time.monotonic() + 10  # generous for a busy test machine; the bench measures the real delay
    while True:
        read = json.loads(_request(port, "GET", f"/api/contacts/{answer['id']}", headers=auth)[2])
        if read["messages"][0]["signals"] is not None:
            break
        assert time.monotonic() < deadline, "the server's outbox thread did not analyse the message"
        time.sleep(0.05)
    assert read["messages"][0]["signals"]["top_emotion"] == "anger"
