"""`gezien serve` over ASGI: the desk, the API and the static files as before, and the `live_desk`
fixture's server survives a restart with its data."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from typing import Any

import pytest

from tests.gezien_server import BIN, GezienServer, SseReader, base_env

pytestmark = pytest.mark.slow  # real server processes


def test_the_asgi_server_serves_the_desk_the_api_and_static_files_and_keeps_its_data_over_a_restart(
    live_desk: GezienServer,
) -> None:
    live_desk.gezien("createuser", "sanne", "--password", "lang-genoeg-1")
    token = live_desk.gezien("token", "create", "--user", "sanne").strip()
    auth = {"Authorization": f"Bearer {token}"}
    status, headers, _ = live_desk.request("GET", "/desk/")
    assert status == 302 and headers["location"].startswith("/login/")
    assert live_desk.request("GET", "/static/gezien/desk.css")[0] == 200
    status, _, body = live_desk.request(
        "POST", "/api/contacts", {"channel": "phone", "text": "Goedemorgen, één vraag"}, auth
    )
    assert status == 201, body
    contact = json.loads(body)
    session = live_desk.login("sanne", "lang-genoeg-1")
    status, _, page = live_desk.request(
        "GET", f"/desk/contacts/{contact['id']}/", headers={"Cookie": f"sessionid={session}"}
    )
    assert status == 200 and "Goedemorgen, één vraag" in page.decode()

    live_desk.restart()
    status, _, body = live_desk.request("GET", f"/api/contacts/{contact['id']}", headers=auth)
    assert status == 200 and json.loads(body)["messages"][0]["text"] == "Goedemorgen, één vraag"
    assert live_desk.request("GET", "/api/nergens", headers=auth)[0] == 404


def test_several_server_processes_on_sqlite_without_redis_are_refused_with_the_way_out(tmp_path: Any) -> None:
    env = base_env(tmp_path, GEZIEN_WORKERS="2")
    done = subprocess.run([str(BIN / "gezien"), "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "GEZIEN_LIVE_URL=redis://" in done.stderr and "PostgreSQL" in done.stderr


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_server_told_to_stop_ends_the_open_desk_streams_and_exits_at_once(
    live_desk: GezienServer, stop: signal.Signals
) -> None:
    """A restart (systemd, a deploy, Ctrl+C) must not wait on the desks that are open: each desk's event
    stream ends (the browser reconnects when the server is back) and the process exits."""
    live_desk.gezien("createuser", "sanne", "--password", "lang-genoeg-1")
    session = live_desk.login("sanne", "lang-genoeg-1")
    stream = SseReader(live_desk.port, "/live/desk/", {"Cookie": f"sessionid={session}"})
    assert stream.status == 200
    process = live_desk._process
    assert process is not None
    started = time.monotonic()
    process.send_signal(stop)
    process.wait(timeout=10)  # it waited for the stream, minutes, before
    assert process.returncode == 0 and time.monotonic() - started < 10
    deadline = time.monotonic() + 5
    while not stream.ended and time.monotonic() < deadline:
        time.sleep(0.02)
    assert stream.ended
    stream.close()
