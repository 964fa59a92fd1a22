"""Take the README screenshots from a running demo desk: `python scripts/screenshots.py http://127.0.0.1:8000`.

Logs in as the demo agent, opens the queue and the open contact of the customer on her fifth contact
about a late delivery, and writes PNGs to docs/screenshots/.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM = os.environ.get("GEZIEN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main(base_url: str, contact_id: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(base_url=base_url, viewport={"width": 1400, "height": 900}, locale="nl-NL")
        page.goto("/login/")
        page.fill("input[name=username]", "agent")
        page.fill("input[name=password]", os.environ.get("GEZIEN_DEMO_PASSWORD", "gezien-demo"))
        page.click("button[type=submit]")
        page.wait_for_url("**/desk/")
        page.screenshot(path=str(OUT / "queue.png"))
        page.goto(f"/desk/contacts/{contact_id}/")
        page.screenshot(path=str(OUT / "contact.png"))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
