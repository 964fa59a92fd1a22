"""Issue 18 in a real Chromium against a real `gezien serve`: a `newCall` for the widow's number pops up
her card (how to address her, her bereavement) on a signed-in agent's desk within a second; `answer`
opens the contact in that desk."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "lang-genoeg-wachtwoord-1"
WIDOW_NUMBER = "020-6123456"
# Counts the event streams a page opens (window.__streams).
COUNT_STREAMS = """(() => {
  const Native = window.EventSource;
  window.__streams = 0;
  function Counted(url, options) { window.__streams += 1; return new Native(url, options); }
  Counted.prototype = Native.prototype;
  Counted.CONNECTING = Native.CONNECTING; Counted.OPEN = Native.OPEN; Counted.CLOSED = Native.CLOSED;
  window.EventSource = Counted;
})()"""


@pytest.fixture
def served(live_desk: Any) -> Iterator[tuple[Any, str]]:
    live_desk.gezien(
        "createuser", "sanne", "--password", PASSWORD, "--first-name", "Sanne", "--last-name", "de Vries"
    )
    token = live_desk.gezien("token", "create", "--user", "sanne").strip()
    yield live_desk, token


def _api(server: Any, token: str, method: str, path: str, body: object) -> Any:
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    status, _headers, raw = server.request(method, path, body, auth)
    assert status in (200, 201), raw
    return json.loads(raw)


def test_a_ringing_call_pops_up_her_card_and_answer_opens_the_contact(
    served: tuple[Any, str], tmp_path: Path
) -> None:

    server, token = served
    widow = _api(
        server,
        token,
        "POST",
        "/api/customers",
        {
            "first_name": "Johanna",
            "last_name": "Jansen",
            "identities": [{"kind": "phone", "value": WIDOW_NUMBER}],
        },
    )
    details = f"/api/customers/{widow['id']}/details"
    _api(
        server, token, "POST", details, {"kind": "addressing", "text": "mevrouw Jansen", "address_form": "u"}
    )
    _api(server, token, "POST", details, {"kind": "life_event", "text": "Haar man Henk is overleden"})

    with chromium() as browser:
        context = browser.new_context(base_url=server.base_url, locale="nl-NL")
        context.add_init_script(COUNT_STREAMS)
        page = context.new_page()
        sign_in(page, "sanne", PASSWORD)
        page.wait_for_function("() => document.getElementById('call-popups').dataset.live === 'open'")

        started = time.monotonic()
        _api(
            server,
            token,
            "POST",
            "/api/cti/events",
            {"event": "newCall", "call_id": "pbx-1", "from": WIDOW_NUMBER},
        )
        popup = page.wait_for_selector("[data-testid=call-popup]", timeout=5000)
        took = time.monotonic() - started
        assert took < 1.0, f"the pop-up took {took:.2f} s"
        text = popup.inner_text()
        assert "mevrouw Jansen" in text
        assert "Spreek aan met u" in text
        assert "Haar man Henk is overleden" in text
        page.screenshot(path=str(tmp_path / "call-popup.png"))

        answered = _api(
            server, token, "POST", "/api/cti/events", {"event": "answer", "call_id": "pbx-1", "user": "sanne"}
        )
        contact_id = answered["call"]["contact_id"]
        page.wait_for_url(f"**/desk/contacts/{contact_id}/", timeout=5000)
        body = page.inner_text("body")
        assert "mevrouw Jansen" in body
        assert "u spreekt met" in body  # the greeting line the phone opening builds
        page.screenshot(path=str(tmp_path / "call-contact.png"), full_page=True)

        # On a contact's page the pop-ups listen on the workspace's stream: one connection, not two (a
        # browser keeps at most six to the desk over HTTP/1.1), and the calls still reach this desk.
        page.wait_for_function("() => document.getElementById('call-popups').dataset.live === 'shared'")
        assert page.evaluate("window.__streams") == 1
        ring = {"event": "newCall", "call_id": "pbx-2", "from": "0612345678"}
        _api(server, token, "POST", "/api/cti/events", ring)
        second = _api(
            server, token, "POST", "/api/cti/events", {"event": "answer", "call_id": "pbx-2", "user": "sanne"}
        )
        page.wait_for_url(f"**/desk/contacts/{second['call']['contact_id']}/", timeout=5000)
