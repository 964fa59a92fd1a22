"""The desk's main pages load in a real Chromium with the Content-Security-Policy on and nothing is
refused: no inline script, style element or eval left that the policy blocks (a refusal shows in the
console as "Refused to ..." and as a securitypolicyviolation event)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from gezien.contacts.services import contact_open
from tests.browser import browser_context, sign_in, skip_without_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

skip_without_chromium()

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[tuple[Any, list[str]]]:
    with browser_context(live_server.url) as context:
        context.set_default_timeout(20_000)
        context.add_init_script(WATCH)
        page = context.new_page()
        refused: list[str] = []
        page.on(
            "console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None
        )
        yield page, refused


def test_the_main_pages_load_without_a_csp_violation(
    browser_page: tuple[Any, list[str]], make_user: Any, tmp_path: Any
) -> None:
    page, refused = browser_page
    make_user("meike", "manager")
    contact = contact_open(
        channel="chat", identities=[("phone", "06-12345678")], text="Waar blijft mijn pakket?"
    )
    sign_in(page, "meike", "geheim-wachtwoord-1")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("[data-testid=me]")  # the language switch is in the person's menu
    with page.expect_navigation():
        page.select_option("header.topbar .me .lang select", "en")  # page.js sends the form
    assert page.locator("[data-testid=menu] >> text=Queue").count() == 1  # no inline handler needed
    seen = [("language", page.evaluate("window.__violations"))]
    for path in (
        "/desk/",
        f"/desk/contacts/{contact.contact.pk}/",
        "/desk/notifications/",
        "/insights/",
        "/insights/surveys/",
        "/customers/",
        "/contact/",
        "/contact/embed/",
    ):
        response = page.goto(path)
        assert response is not None and response.status < 400, path
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
        page.wait_for_timeout(300)  # scripts that run after load (the desk's live stream never idles)
        seen.append((path, page.evaluate("window.__violations")))
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .information-container", timeout=30_000)  # Swagger UI ran
    seen.append(("/api/docs", page.evaluate("window.__violations")))
    page.screenshot(path=str(tmp_path / "api-docs.png"))
    assert [(path, v) for path, v in seen if v] == []
    assert refused == []
