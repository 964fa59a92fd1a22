"""Chromium for the browser tests: where it is, how it starts, and signing in through the login form.

A module that drives a browser calls `skip_without_chromium()` at its top (CI sets GEZIEN_REQUIRE_BROWSER,
so there a missing Chromium fails instead), then opens one with `chromium()` (a Playwright browser,
closed after) or `browser_context(base_url)` (a Dutch-speaking context on the test's server).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = os.environ.get("GEZIEN_CHROMIUM", "/usr/bin/chromium")
# Headless, and nothing of Chromium's own traffic: on a machine without a network its background
# connections are refused many at a time, and it looks up Google's hosts at every start.
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def skip_without_chromium() -> None:
    """At a browser test module's top: skip it where Chromium is missing, unless CI requires it."""
    if not shutil.which(CHROMIUM) and not os.environ.get("GEZIEN_REQUIRE_BROWSER"):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@contextmanager
def chromium(args: Sequence[str] = ()) -> Iterator[Any]:
    """A started headless Chromium (Playwright's Browser), closed when the block ends; `args`: more
    command-line switches (e.g. a fake microphone: --use-fake-device-for-media-stream)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, *args])
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browser_context(base_url: str, *, args: Sequence[str] = (), **options: Any) -> Iterator[Any]:
    """A Dutch browser context on `base_url` (Playwright's BrowserContext; `options` as new_context's;
    `args` as chromium's).
    Afterwards the test process's database connections are closed: pytest-django's live_server served
    the pages from threads of this process, and a connection left open keeps the test database."""
    from django.db import connections

    with chromium(args) as browser:
        context = browser.new_context(base_url=base_url, locale="nl-NL", **options)
        try:
            yield context
        finally:
            context.close()
            # Inside Playwright's block, as the test ran: its greenlet holds the connections the test
            # used (closed outside it, they stayed open and a later module's DROP DATABASE killed them).
            connections.close_all()


def sign_in(page: Any, username: str, password: str, *, landing: Any = "**/desk/") -> Any:
    """Sign in through the login form and wait for the page it leads to (`landing`: a URL pattern or a
    predicate, as Playwright's wait_for_url takes). Returns the page."""
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(landing)
    return page
