"""Sign-in in a real browser: a manager sets up two-factor sign-in before anything else, signs out and in
again with the password and a code; an administrator sees the people page; the lock's message and the
password reset screens. Screenshots go to GEZIEN_SCREENSHOTS (a folder) when it is set."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.accounts.twofactor import current_step, factor_begin, factor_confirm, totp_at
from tests.accounts.signin_helpers import PASSWORD
from tests.web import test_browser

page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _required_for_managers_and_admins(settings: Any) -> None:
    settings.GEZIEN_2FA_REQUIRED_ROLES = ["manager", "admin"]


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("GEZIEN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _password_step(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_a_manager_sets_up_two_factor_and_signs_in_with_a_code(page: Any, make_user: Any) -> None:
    make_user("marit", "manager", first_name="Marit", last_name="Bakker")
    page.set_viewport_size({"width": 1280, "height": 900})
    _password_step(page, "marit")
    page.wait_for_url("**/desk/account/2fa/")
    assert page.locator("[data-testid=qr] svg").is_visible()
    _shot(page, "2fa-setup")
    page.goto("/customers/")  # anything else: back to the set-up
    assert page.url.endswith("/desk/account/2fa/")
    secret = page.locator("[data-testid=totp-secret]").inner_text()
    page.fill("input[name=code]", totp_at(secret, current_step()))
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=recovery-codes]")
    codes = re.findall(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", page.locator("ol.codes").inner_text())
    assert len(codes) == 10
    _shot(page, "2fa-recovery-codes")
    page.click("text=Ik heb ze bewaard")
    page.wait_for_url("**/desk/")
    # sign out, and in again: the password, then a code
    page.click("[data-testid=me]")
    page.click("text=Uitloggen")
    page.wait_for_url("**/login/")
    _password_step(page, "marit")
    page.wait_for_url("**/login/verify/")
    _shot(page, "2fa-verify")
    page.fill("input[name=code]", "000000")
    page.click("button[type=submit]")
    assert "klopt niet" in page.locator("[data-testid=login-verify]").inner_text()
    page.fill("input[name=code]", totp_at(secret, current_step() + 1))  # the next step: not used yet
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")
    page.click("[data-testid=me]")
    page.click("[data-testid=my-account]")
    page.wait_for_selector("[data-testid=account]")
    assert "Nog 10 herstelcodes over" in page.locator("[data-testid=two-factor-state]").inner_text()
    _shot(page, "account")


def test_the_people_page_the_lock_and_the_reset_screens(page: Any, make_user: Any) -> None:
    admin = make_user("beheer", "admin", first_name="Priya", last_name="Ramsaran")
    make_user("sanne", "agent", first_name="Sanne", last_name="de Vries")
    factor = factor_begin(user=admin)
    assert factor_confirm(user=admin, code=totp_at(factor.secret, current_step() - 1)) is not None
    page.set_viewport_size({"width": 1280, "height": 900})
    # Sanne mistypes ten times from this browser: the eleventh is refused with the Dutch message.
    for _ in range(10):
        _password_step(page, "sanne", "verkeerd-wachtwoord")
        assert page.locator("[data-testid=login-error]").is_visible()
    _password_step(page, "sanne")
    assert "Te veel mislukte pogingen" in page.locator("[data-testid=login-error]").inner_text()
    _shot(page, "login-locked")
    # The administrator (from another address: this one is locked too) unlocks her.
    context = page.context.browser.new_context(base_url=page.url.split("/login")[0], locale="nl-NL")
    other = context.new_page()
    other.set_viewport_size({"width": 1280, "height": 900})
    other.set_extra_http_headers({})
    from django.core.cache import cache

    from gezien.accounts import throttle

    cache.delete(throttle._address_key("127.0.0.1"))  # (both browsers come from 127.0.0.1 here)
    _password_step(other, "beheer")
    other.wait_for_url("**/login/verify/")
    other.fill("input[name=code]", totp_at(factor.secret, current_step()))
    other.click("button[type=submit]")
    other.wait_for_url("**/desk/")
    other.goto("/desk/users/")
    row = other.locator("[data-testid=user-sanne]")
    assert "geblokkeerd" in row.inner_text()
    _shot(other, "users")
    row.locator("[data-testid=unlock]").click()
    other.wait_for_url("**/desk/users/")
    assert "toegestaan" in other.locator("[data-testid=user-sanne]").inner_text()
    context.close()
    _password_step(page, "sanne")
    page.wait_for_url("**/desk/")
    # The reset screens
    page.click("[data-testid=me]")
    page.click("text=Uitloggen")
    page.wait_for_url("**/login/")
    page.click("[data-testid=forgot-password]")
    page.wait_for_selector("[data-testid=password-reset]")
    _shot(page, "password-reset")
    page.fill("input[name=email]", "niemand@voorbeeld.nl")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=password-reset-done]")
    _shot(page, "password-reset-sent")
    # the mail's link (made here as the mail would have it)
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    sanne = User.objects.get(username="sanne")
    page.goto(
        f"/login/reset/{urlsafe_base64_encode(force_bytes(sanne.pk))}/{default_token_generator.make_token(sanne)}/"
    )
    page.wait_for_selector("[data-testid=password-reset-confirm] form")
    page.fill("input[name=new_password1]", "kort")
    page.fill("input[name=new_password2]", "kort")
    page.click("button[type=submit]")
    assert "te kort" in page.locator("[data-testid=password-reset-confirm]").inner_text()
    _shot(page, "password-reset-confirm")
    page.fill("input[name=new_password1]", "een-heel-nieuw-wachtwoord")
    page.fill("input[name=new_password2]", "een-heel-nieuw-wachtwoord")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=password-reset-complete]")
