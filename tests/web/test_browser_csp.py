"""The desk's main pages load in a real Chromium with the Content-Security-Policy on and nothing is
refused: no inline script, style element or eval left that the policy blocks (a refusal shows in the
console as "Refused to ..." and as a securitypolicyviolation event)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from gezien.contacts.services import contact_open

CHROMIUM = os.environ.get("GEZIEN_CHROMIUM", "/usr/bin/chromium")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

if not shutil.which(CHROMIUM) and not os.environ.get("GEZIEN_REQUIRE_BROWSER"):
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[tuple[Any, list[str]]]:
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        context.add_init_script(WATCH)
        page = context.new_page()
        refused: list[str] = []
        page.on(
            "console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None
        )
        yield page, refused
        context.close()
        browser.close()
        connections.close_all()


def test_the_main_pages_load_without_a_csp_violation(
    browser_page: tuple[Any, list[str]], make_user: Any, tmp_path: Any
) -> None:
    page, refused = browser_page
    make_user("meike", "manager")
    contact = contact_open(
        channel="chat", identities=[("phone", "06-12345678")], text="Waar blijft mijn pakket?"
    )
    page.goto("/login/")
    page.fill("input[name=username]", "meike")
    page.fill("input[name=password]", "geheim-wachtwoord-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")
    seen = []
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
        page.wait_for_load_state("networkidle")
        seen.append((path, page.evaluate("window.__violations")))
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .information-container", timeout=30_000)  # Swagger UI ran
    seen.append(("/api/docs", page.evaluate("window.__violations")))
    page.screenshot(path=str(tmp_path / "api-docs.png"))
    page.goto("/desk/")
    page.select_option("select[name=language]", "en")  # page.js sends the form (no inline handler)
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    seen.append(("language", page.evaluate("window.__violations")))
    assert [(path, v) for path, v in seen if v] == []
    assert refused == []
