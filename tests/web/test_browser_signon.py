"""Single sign-on in a real Chromium: the login page's "Inloggen met ..." button, the provider (started on
127.0.0.1 by the test) and back into the desk; someone in no mapped group sees the Dutch no-access page."""

from __future__ import annotations

from typing import Any

import pytest

from gezien.accounts.models import User
from tests.accounts.test_oidc import provider
from tests.oidc_provider import Provider
from tests.web import test_browser

page = test_browser.page
__all__ = ["page", "provider"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signing_in_with_the_provider_in_a_browser(page: Any, provider: Provider, tmp_path: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/login/")
    button = page.locator("[data-testid=sso-login]")
    assert button.inner_text() == "Inloggen met Testdienst"
    page.screenshot(path=str(tmp_path / "login.png"))
    button.click()
    page.wait_for_url(lambda url: "/login/" not in url)
    assert User.objects.get().role == "manager"
    assert page.locator("header.topbar").inner_text().count("Anne Visser") == 1
    print(tmp_path / "login.png")


def test_no_mapped_group_in_a_browser(page: Any, provider: Provider, tmp_path: Any) -> None:
    provider.person["groups"] = ["alle-medewerkers"]
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/login/")
    page.click("[data-testid=sso-login]")
    page.wait_for_selector("[data-testid=error-page]")
    assert page.locator("h1").inner_text() == "Geen toegang tot Gezien"
    page.screenshot(path=str(tmp_path / "no-access.png"))
    assert not User.objects.exists()
    print(tmp_path / "no-access.png")
