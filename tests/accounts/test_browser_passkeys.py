"""Passkeys in a real browser, with Chromium's virtual authenticator (CTAP2, built in, a resident key that
verifies its user): a manager whose role needs a second factor registers a passkey instead of the app,
signs out, signs in with the password and the key, then with the key alone. Screenshots go to
GEZIEN_SCREENSHOTS (a folder) when it is set."""

from __future__ import annotations

from typing import Any

import pytest

from gezien.accounts.models import Passkey
from tests.accounts.test_browser_signin import _password_step, _shot
from tests.web import test_browser

page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _relying_party(settings: Any, live_server: Any) -> None:
    settings.GEZIEN_2FA_REQUIRED_ROLES = ["manager", "admin"]
    settings.GEZIEN_BASE_URL = live_server.url  # http://localhost:PORT: a secure context, rp id "localhost"


def _virtual_authenticator(page: Any) -> Any:
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session


def _sign_out(page: Any) -> None:
    page.click("[data-testid=me]")
    page.click("text=Uitloggen")
    page.wait_for_url("**/login/")


def test_a_manager_registers_a_passkey_and_signs_in_with_it(page: Any, make_user: Any) -> None:
    marit = make_user("marit", "manager", first_name="Marit", last_name="Bakker")
    page.set_viewport_size({"width": 1280, "height": 900})
    _virtual_authenticator(page)
    _password_step(page, "marit")
    page.wait_for_url("**/desk/account/2fa/")
    form = page.locator("[data-testid=passkey-add]")
    form.locator("input[name=name]").fill("Deze laptop")
    _shot(page, "passkey-setup")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/desk/account/")
    rows = page.locator("[data-testid=passkey]")
    assert rows.count() == 1
    assert "Deze laptop" in rows.inner_text() and "nog niet" in rows.inner_text()
    assert Passkey.objects.get(user=marit).name == "Deze laptop"
    page.goto("/desk/")
    assert page.url.endswith("/desk/")  # the requirement is met: no set-up asked

    # the password, then the key
    _sign_out(page)
    _password_step(page, "marit")
    page.wait_for_url("**/login/verify/")
    _shot(page, "passkey-verify")
    page.locator("[data-testid=passkey-verify] button").click()
    page.wait_for_url("**/desk/")
    page.goto("/desk/account/")
    assert "nog niet" not in page.locator("[data-testid=passkey]").inner_text()
    _shot(page, "passkey-account")

    # the key alone (a discoverable credential that verified its user)
    _sign_out(page)
    _shot(page, "passkey-login")
    page.locator("[data-testid=passkey-login] button").click()
    page.wait_for_url("**/desk/")
    assert Passkey.objects.get(user=marit).sign_count >= 2
