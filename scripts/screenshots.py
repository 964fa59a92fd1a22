"""Screenshots of the demo desk at 1440 px, as a person sees it.

    python scripts/screenshots.py                    # the README's, into docs/screenshots/
    python scripts/screenshots.py --review DIR       # every screen for every role, Dutch and English

Without `--data-dir` the demo is loaded into a temporary data folder (`gezien migrate` and `gezien demo-data`,
a few minutes); with it, a folder loaded once is reused (the load is idempotent). The desk is served with
`gezien serve` on a free port of 127.0.0.1 for the run and stopped afterwards.

The README set: as the demo agent the queue and the workspace around the open contact of the customer on
her fifth contact about a late delivery (at 1280 x 800, as a laptop shows it; on a tablet, 820 x 1180; and
with the picker of standard replies open); as the team lead the live board, Monday's plan and the team's
wellbeing; as the manager the customer-experience dashboard; as the logistics owner the problem the
late-delivery wave created; as the admin the mailboxes and the mail quarantine (docs/mail.md).

The review set walks, for each demo role (agent, teamlead, manager, admin, the logistics owner), every page
in the menu (and "Meer") and every tab those pages show, then a contact per channel and every contact the
mail intake made (the agent also replies to one, for its delivery status), a customer, the 403,
404 and 500 pages, and the same for the manager and the agent in English. One PNG per page, named
`{role}-{language}-{page}.png`, full length. The agent's workspace also at 1280 x 800 and 820 x 1180, with
its menu, the picker and the shortcuts open (`{role}-{language}-workspace-*.png`).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
README_SHOTS = ROOT / "docs" / "screenshots"
GEZIEN = str(Path(sys.executable).with_name("gezien"))
CHROMIUM = os.environ.get("GEZIEN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PASSWORD = os.environ.get("GEZIEN_DEMO_PASSWORD", "gezien-demo")
ROLES = ("agent", "teamlead", "manager", "admin", "logistiek")
CHANNELS = ("phone", "chat", "email", "webform")


@dataclass
class DemoIds:
    """What the screenshots open, looked up in the demo's database (its ids depend on the load)."""

    late_delivery_contact: int
    problem: int | None
    customer: int
    contacts: dict[str, int]  # channel -> a contact with several messages
    mail_contacts: list[int]  # contacts made by the mail intake (folded history, CC, attachments)


def demo_load(data_dir: Path) -> None:
    env = {**os.environ, "GEZIEN_DATA_DIR": str(data_dir)}
    subprocess.run([GEZIEN, "migrate", "--quiet"], env=env, check=True)
    subprocess.run([GEZIEN, "demo-data"], env=env, check=True, stdout=subprocess.DEVNULL)


def demo_ids(data_dir: Path) -> DemoIds:
    """Asked of the database in this process, before the browser starts (Django refuses the ORM inside
    Playwright's event loop)."""
    os.environ["GEZIEN_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")
    import django

    django.setup()
    from django.db.models import Count

    from gezien.contacts.models import Contact, Status
    from gezien.insights.rootcause.models import Problem
    from gezien.mail.models import InboundMail

    def busiest(**where: Any) -> Contact:
        found = (
            Contact.objects.filter(customer__isnull=False, **where)
            .annotate(n=Count("messages"))
            .order_by("-n", "-pk")
            .first()
        )
        assert found is not None, where
        return found

    late = (
        Contact.objects.filter(reason__code="levering_vertraagd", status=Status.OPEN, customer__isnull=False)
        .annotate(earlier=Count("customer__contacts"))
        .order_by("-earlier", "-pk")
        .first()
    ) or busiest()
    problem = (  # the one the logistics owner answers: the late-delivery wave
        Problem.objects.filter(department__code="logistiek")
        .annotate(n=Count("links"))
        .order_by("-n", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    customer = (
        Contact.objects.filter(customer__isnull=False)
        .values("customer_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("customer_id", flat=True)
        .first()
    )
    assert customer is not None
    return DemoIds(
        late_delivery_contact=late.pk,
        problem=problem,
        customer=customer,
        contacts={channel: busiest(channel=channel).pk for channel in CHANNELS},
        mail_contacts=sorted(
            set(InboundMail.objects.filter(contact__isnull=False).values_list("contact_id", flat=True))
        ),
    )


def server_error_html(language: str) -> str:
    """The 500 page as the desk sends it (no request can be made to fail on purpose in the demo)."""
    from django.template import loader
    from django.utils import translation

    with translation.override(language):
        return loader.get_template("web/errors/500.html").render({})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(data_dir: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "GEZIEN_DATA_DIR": str(data_dir), "PORT": str(port), "GEZIEN_BIND": "127.0.0.1"}
    env.setdefault("GEZIEN_2FA_REQUIRED_ROLES", "none")  # each role signs in with the demo password alone
    server = subprocess.Popen([GEZIEN, "serve"], env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/health", timeout=2).close()  # noqa: S310 -- our own server
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gezien serve did not start") from None
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _login(browser: Any, base_url: str, username: str, language: str = "nl") -> Any:
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1440, "height": 900}, locale=f"{language}-NL"
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)  # each role's landing page (the owner's board)
    return page


def readme(browser: Any, base_url: str, ids: DemoIds, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    page = _login(browser, base_url, "agent")
    page.screenshot(path=str(out / "queue.png"))
    contact = f"/desk/contacts/{ids.late_delivery_contact}/"
    _workspace(page, contact, out / "contact.png", LAPTOP)
    _workspace(page, contact, out / "contact-tablet.png", TABLET)
    _workspace(page, contact, out / "contact-picker.png", LAPTOP, opened="picker")
    page.set_viewport_size({"width": 1440, "height": 900})
    lead = _login(browser, base_url, "teamlead")
    lead.goto("/desk/live/")
    lead.screenshot(path=str(out / "live.png"), full_page=True)
    lead.goto("/planning/?channel=phone&day=" + _next_monday())
    lead.screenshot(path=str(out / "planning.png"), full_page=True)
    lead.goto("/desk/wellbeing/")
    lead.screenshot(path=str(out / "wellbeing.png"), full_page=True)
    manager = _login(browser, base_url, "manager")
    manager.goto("/insights/cx/?granularity=week&from=" + _weeks_ago(10))
    manager.screenshot(path=str(out / "insights-cx.png"), full_page=True)
    if ids.problem is not None:
        owner = _login(browser, base_url, "logistiek")
        owner.goto(f"/insights/problems/{ids.problem}/")
        owner.screenshot(path=str(out / "problem.png"))
    admin = _login(browser, base_url, "admin")  # docs/mail.md
    admin.goto("/desk/mail/mailboxes/")
    admin.screenshot(path=str(out / "mail-mailboxes.png"))
    admin.goto("/desk/mail/quarantine/")
    admin.screenshot(path=str(out / "mail-quarantine.png"))


LAPTOP = {"width": 1280, "height": 800}
TABLET = {"width": 820, "height": 1180}


def _workspace(page: Any, path: str, target: Path, viewport: dict[str, int], opened: str = "") -> None:
    """The workspace around a contact as it fills the window (its panes scroll on their own, so not the
    full length): `opened` "picker" (/ in the composer), "menu" (the contact's menu) or "shortcuts" (?)."""
    page.set_viewport_size(viewport)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    if opened == "picker":
        page.locator("#composer textarea[name=text]").press("/")
        page.locator("#picker-results [role=option]").first.wait_for()
    elif opened == "menu":
        page.click("[data-testid=contact-menu] > summary")
    elif opened == "shortcuts":
        page.locator("body").press("?")
    page.wait_for_timeout(300)
    page.screenshot(path=str(target))


def _slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def _links(page: Any, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    return [href for href in hrefs if href and href.startswith("/") and not href.startswith("/admin/")]


def _shoot(page: Any, out: Path, name: str, path: str, seen: list[str]) -> None:
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    status = response.status if response is not None else 0
    target = out / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    seen.append(f"{status}\t{target.name}\t{path}")


def _reply(page: Any, out: Path, contact: int, seen: list[str]) -> None:
    """An agent's reply to a mail, so that its delivery status shows (the demo's mailbox writes to a
    folder under the data folder)."""
    page.goto(f"/desk/contacts/{contact}/")
    page.fill("[data-testid=reply-form] textarea[name=text]", "Dank voor uw bericht. Ik kijk het voor u na.")
    page.click("[data-testid=reply-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2000)  # the outbox sends after the commit
    _shoot(page, out, "agent-nl-contact-mail-replied", f"/desk/contacts/{contact}/", seen)


def review(browser: Any, base_url: str, ids: DemoIds, out: Path, error_pages: dict[str, str]) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    seen: list[str] = []
    for language, roles in (("nl", ROLES), ("en", ("agent", "manager", "logistiek"))):
        for role in roles:
            page = _login(browser, base_url, role, language)
            prefix = f"{role}-{language}"
            page.screenshot(path=str(out / f"{prefix}-landing.png"), full_page=True)
            seen.append(f"200\t{prefix}-landing.png\t{page.url}")
            pages = _links(page, "[data-testid=menu] a, [data-testid=menu-more] a")
            done: set[str] = set()
            while pages:
                path = pages.pop(0)
                key = path.split("?")[0]
                if key in done:
                    continue
                done.add(key)
                _shoot(page, out, f"{prefix}-{_slug(key)}", path, seen)
                pages += [link for link in _links(page, "nav.tabs a") if link.split("?")[0] not in done]
            if role in ("agent", "manager"):
                for channel, contact in ids.contacts.items():
                    _shoot(page, out, f"{prefix}-contact-{channel}", f"/desk/contacts/{contact}/", seen)
                for n, contact in enumerate(ids.mail_contacts, 1):
                    _shoot(page, out, f"{prefix}-contact-mail-{n}", f"/desk/contacts/{contact}/", seen)
                _shoot(page, out, f"{prefix}-customer", f"/customers/{ids.customer}/", seen)
                if role == "agent":
                    contact = f"/desk/contacts/{ids.late_delivery_contact}/"
                    for size, viewport in (("1280", LAPTOP), ("820", TABLET)):
                        for opened in ("", "menu", "picker", "shortcuts"):
                            name = f"{prefix}-workspace-{size}{'-' + opened if opened else ''}.png"
                            _workspace(page, contact, out / name, viewport, opened)
                            seen.append(f"200\t{name}\t{contact}")
                    page.set_viewport_size({"width": 1440, "height": 900})
                _shoot(page, out, f"{prefix}-404", "/desk/contacts/987654321/", seen)
            if role == "agent":
                _shoot(page, out, f"{prefix}-403", "/insights/cx/", seen)
                if language == "nl" and ids.mail_contacts:
                    _reply(page, out, ids.mail_contacts[0], seen)
            page.goto("/health")
            page.set_content(error_pages[language])  # relative to the desk, so its CSS loads
            page.screenshot(path=str(out / f"{prefix}-500.png"), full_page=True)
            page.context.close()
    (out / "index.tsv").write_text("\n".join(seen) + "\n")
    return seen


def _next_monday() -> str:
    today = date.today()
    return (today + timedelta(days=(7 - today.weekday()) % 7)).isoformat()


def _weeks_ago(weeks: int) -> str:
    return (date.today() - timedelta(weeks=weeks)).isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--review", type=Path, metavar="DIR", help="every screen, every role, into DIR")
    parser.add_argument("--data-dir", type=Path, help="a demo data folder to load once and reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gezien-shots-") as temporary:
        data_dir = args.data_dir or Path(temporary)
        data_dir.mkdir(parents=True, exist_ok=True)
        demo_load(data_dir)
        ids = demo_ids(data_dir)
        error_pages = {language: server_error_html(language) for language in ("nl", "en")}
        with served(data_dir) as base_url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            if args.review:
                for line in review(browser, base_url, ids, args.review, error_pages):
                    print(line)
            else:
                readme(browser, base_url, ids, README_SHOTS)
            browser.close()


if __name__ == "__main__":
    main()
