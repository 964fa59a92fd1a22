"""Click-to-call and warm transfer in a real Chromium against a real `gezien serve` whose telephone
system is the loopback Asterisk (tests/phone/ami_server.py): "Bel" beside the customer's number sends
Originate for the agent's phone and the desk says so; a call going on offers warm transfer, which sends
Atxfer and hands the contact to the colleague."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import chromium, sign_in
from tests.gezien_server import GezienServer, base_env, sqlite_data_dir
from tests.phone.ami_server import FakeAsterisk

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "lang-genoeg-wachtwoord-1"


@pytest.fixture
def served(tmp_path: Path, migrated_sqlite_template: Any) -> Iterator[tuple[GezienServer, FakeAsterisk, str]]:
    with FakeAsterisk() as asterisk:
        data_dir = sqlite_data_dir(migrated_sqlite_template, tmp_path / "desk")
        server = GezienServer(
            base_env(data_dir, GEZIEN_CTI_AMI=asterisk.url()), log_path=tmp_path / "desk.log"
        )
        server.start()
        try:
            for name, first in (("sanne", "Sanne"), ("piet", "Piet")):
                server.gezien(
                    "createuser", name, "--password", PASSWORD, "--first-name", first, "--last-name", "Bakker"
                )
            server.gezien("cti", "extension", "set", "sanne", "201")
            server.gezien("cti", "extension", "set", "piet", "202")
            token = server.gezien("token", "create", "--user", "sanne").strip()
            yield server, asterisk, token
        finally:
            server.stop()


def _api(server: GezienServer, token: str, path: str, body: object) -> Any:
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    status, _headers, raw = server.request("POST", path, body, auth)
    assert status in (200, 201), raw
    return json.loads(raw)


def test_bel_rings_the_agent_s_phone_and_a_call_is_transferred_warmly(
    served: tuple[GezienServer, FakeAsterisk, str], tmp_path: Path
) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    server, asterisk, token = served
    customer = _api(
        server,
        token,
        "/api/customers",
        {
            "first_name": "Anouk",
            "last_name": "de Vries",
            "identities": [{"kind": "phone", "value": "06-12345678"}],
        },
    )
    shots = tmp_path  # the screenshots: look at them with --basetemp
    with chromium() as browser:
        page = browser.new_context(base_url=server.base_url, locale="nl-NL").new_page()
        sign_in(page, "sanne", PASSWORD)

        page.goto(f"/customers/{customer['id']}/")
        page.click("[data-testid=call-button]")
        page.wait_for_selector("text=Uw toestel 201 gaat over; neem op en Gezien belt +31612345678.")
        page.screenshot(path=str(shots / "asterisk-click-to-call.png"), full_page=True)
        originate = next(a for a in asterisk.actions if a["Action"] == "Originate")
        assert originate["Channel"] == "PJSIP/201" and originate["Exten"] == "+31612345678"

        # The caller calls in; sanne answers: her contact page offers warm transfer to piet.
        _api(
            server, token, "/api/cti/events", {"event": "newCall", "call_id": "pbx-7", "from": "06-12345678"}
        )
        call = _api(
            server, token, "/api/cti/events", {"event": "answer", "call_id": "pbx-7", "user": "sanne"}
        )
        asterisk.channels = [{"Channel": "PJSIP/201-00000007", "Uniqueid": "pbx-7b", "Linkedid": "pbx-7"}]
        # The answer opens her contact by itself (the call pop-up): a goto of our own would race it.
        contact_url = f"**/desk/contacts/{call['call']['contact_id']}/"
        try:
            page.wait_for_url(contact_url, timeout=5_000)
        except PlaywrightTimeout:
            page.goto(f"/desk/contacts/{call['call']['contact_id']}/")
        form = page.wait_for_selector("[data-testid=call-transfer]")
        assert "Piet Bakker (202)" in form.inner_text()
        page.screenshot(path=str(shots / "asterisk-warm-transfer.png"), full_page=True)
        page.fill("[data-testid=call-transfer] input[name=note]", "Vraag over de factuur van maart")
        page.click("[data-testid=call-transfer] button[type=submit]")
        page.wait_for_selector("text=U overlegt nu met Piet Bakker; hang op om het gesprek over te geven.")
        atxfer = next(a for a in asterisk.actions if a["Action"] == "Atxfer")
        assert atxfer["Channel"] == "PJSIP/201-00000007" and atxfer["Exten"] == "202"

        # An administrator sees who answers which phone (Meer > Toestellen).
        server.gezien("createuser", "beheer", "--role", "admin", "--password", PASSWORD)
        admin = browser.new_context(base_url=server.base_url, locale="nl-NL").new_page()
        admin.goto("/login/")
        admin.fill("input[name=username]", "beheer")
        admin.fill("input[name=password]", PASSWORD)
        admin.click("button[type=submit]")
        admin.wait_for_load_state()
        admin.goto("/desk/phone/extensions/")
        row = admin.wait_for_selector("[data-testid=extension-piet]")
        assert row.query_selector("input[name=extension]").input_value() == "202"
        admin.screenshot(path=str(shots / "asterisk-extensions.png"), full_page=True)
