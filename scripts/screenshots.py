"""Take the README screenshots from a running demo desk:
`python scripts/screenshots.py http://127.0.0.1:8000 CONTACT_ID [PROBLEM_ID]`.

Logs in as the demo agent, opens the queue and the open contact of the customer on her fifth contact
about a late delivery; as the team lead the live board, the plan for Monday and the team's wellbeing;
then as the manager the customer-experience dashboard, and as the logistics
owner the problem the late-delivery wave created. Writes PNGs to docs/screenshots/.
"""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM = os.environ.get("GEZIEN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _login(browser: Any, base_url: str, username: str) -> Any:
    page = browser.new_page(base_url=base_url, viewport={"width": 1440, "height": 900}, locale="nl-NL")
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", os.environ.get("GEZIEN_DEMO_PASSWORD", "gezien-demo"))
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)  # each role's landing page (the owner's board)
    return page


def main(base_url: str, contact_id: int, problem_id: int | None = None) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = _login(browser, base_url, "agent")
        page.screenshot(path=str(OUT / "queue.png"))
        page.goto(f"/desk/contacts/{contact_id}/")
        page.screenshot(path=str(OUT / "contact.png"))
        lead = _login(browser, base_url, "teamlead")
        lead.goto("/desk/live/")
        lead.screenshot(path=str(OUT / "live.png"), full_page=True)
        lead.goto("/planning/?channel=phone&day=" + _next_monday())
        lead.screenshot(path=str(OUT / "planning.png"), full_page=True)
        lead.goto("/desk/wellbeing/")
        lead.screenshot(path=str(OUT / "wellbeing.png"), full_page=True)
        manager = _login(browser, base_url, "manager")
        manager.goto("/insights/cx/?granularity=week&from=" + _weeks_ago(10))
        manager.screenshot(path=str(OUT / "insights-cx.png"), full_page=True)
        if problem_id is not None:
            owner = _login(browser, base_url, "logistiek")
            owner.goto(f"/insights/problems/{problem_id}/")
            owner.screenshot(path=str(OUT / "problem.png"))
        browser.close()


def _next_monday() -> str:
    today = date.today()
    return (today + timedelta(days=(7 - today.weekday()) % 7)).isoformat()


def _weeks_ago(weeks: int) -> str:
    return (date.today() - timedelta(weeks=weeks)).isoformat()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else None)
