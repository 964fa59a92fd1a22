"""`gezien serve` over ASGI: the desk, the API and the static files as before, and the `live_desk`
fixture's server survives a restart with its data."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tests.gezien_server import BIN, GezienServer, base_env

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
