"""The chat widget in a real Chromium, on /widget/demo/ (Voorbeeld Telecom, under its strict CSP) of a
real `gezien serve`: a customer writes, it becomes a chat contact in the desk, the agent's reply appears
in the widget without a reload, a reload goes on with the same conversation (nothing shown twice), the
keyboard alone does it, a phone gets the panel full-screen, and outside opening hours (nobody there)
it is a message form that wants a name and an e-mail address."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.attachment_data import PNG
from tests.browser import chromium, skip_without_chromium
from tests.gezien_server import GezienServer, base_env, sqlite_data_dir

PASSWORD = "lang-genoeg-wachtwoord-1"
WIDGET = "gezien-chat"  # the widget's element; Playwright's CSS reaches into its open shadow root

pytestmark = [pytest.mark.browser, pytest.mark.slow]

skip_without_chromium()


@dataclass
class ChatDesk:
    """A real `gezien serve` and agent Naomi's API token."""

    server: GezienServer
    token: str

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def api(self, method: str, path: str, body: object = None) -> Any:
        status, _, raw = self.server.request(method, path, body, {"Authorization": f"Bearer {self.token}"})
        assert status < 300, (status, raw[:500])
        return json.loads(raw) if raw else None

    def chat_contacts(self) -> list[dict[str, Any]]:
        return list(self.api("GET", "/api/contacts?channel=chat")["items"])


@pytest.fixture
def chat_desk(tmp_path: Path, migrated_sqlite_template: Path) -> Iterator[ChatDesk]:
    """A real `gezien serve` open around the clock, with agent Naomi and the demo's widget allowing the
    desk's own origin (the demo page is served from it)."""
    data_dir = sqlite_data_dir(migrated_sqlite_template, tmp_path / "desk")
    env = base_env(data_dir, GEZIEN_OPENING_HOURS="ma-zo 00:00-24:00")
    server = GezienServer(env, log_path=tmp_path / "desk.log")
    server.gezien("createuser", "naomi", "--password", PASSWORD, "--first-name", "Naomi")
    token = server.gezien("token", "create", "--user", "naomi").strip()
    server.start()
    server.gezien(
        "manage",
        "shell",
        "-c",
        "from gezien.chat.services import widget_create; "
        f"widget_create(name='Voorbeeld Telecom', key='gezien-demo', allowed_origins=['{server.base_url}'])",
    )
    try:
        yield ChatDesk(server, token)
    finally:
        server.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as started:
        yield started


class Customer:
    """A visitor of Voorbeeld Telecom: the demo page in a context of its own, with what the console said."""

    def __init__(self, browser: Any, desk: ChatDesk, **context: Any) -> None:
        self.context = browser.new_context(base_url=desk.base_url, locale="nl-NL", **context)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))

    def visit(self) -> Any:
        self.page.goto("/widget/demo/")
        self.page.locator(f"{WIDGET} .launcher").wait_for()
        return self.page

    def bubbles(self, who: str = "") -> list[str]:
        return [t.strip() for t in self.page.locator(f"{WIDGET} li.m{who} .b").all_inner_texts()]

    def csp_refusals(self) -> list[str]:
        return [line for line in self.console if "Content Security Policy" in line or "Refused" in line]


def _tab_to_launcher(page: Any) -> None:
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate(
            "() => document.activeElement?.shadowRoot?.activeElement?.classList.contains('launcher')"
        ):
            return
    raise AssertionError("Tab never reached the chat button")


def _focused_in_widget(page: Any) -> str:
    return str(page.evaluate(f"() => document.querySelector('{WIDGET}').shadowRoot.activeElement?.id"))


def test_a_customer_chats_with_an_agent_live_by_keyboard_alone(
    chat_desk: ChatDesk, browser: Any, tmp_path: Path
) -> None:
    # Naomi is in the desk, so the chat is open.
    agent = browser.new_context(base_url=chat_desk.base_url, locale="nl-NL")
    session = chat_desk.server.login("naomi", PASSWORD)
    agent.add_cookies([{"name": "sessionid", "value": session, "url": chat_desk.base_url}])
    desk = agent.new_page()
    desk.goto("/desk/")

    customer = Customer(browser, chat_desk)
    page = customer.visit()
    launcher = page.locator(f"{WIDGET} .launcher")
    assert launcher.get_attribute("aria-label") == "Chat met ons"
    assert launcher.get_attribute("aria-expanded") == "false"
    page.screenshot(path=tmp_path / "closed.png")

    _tab_to_launcher(page)
    page.keyboard.press("Enter")
    panel = page.locator(f"{WIDGET} [role=dialog]")
    panel.wait_for()
    assert launcher.get_attribute("aria-expanded") == "true"
    page.locator(f"{WIDGET} #gz-sub", has_text="We zijn online").wait_for()
    assert _focused_in_widget(page) == "gz-text"  # open: name and e-mail are optional, the message first
    page.keyboard.type("Mijn internet valt sinds gisteren steeds weg.")
    page.keyboard.press("Enter")
    page.locator(f"{WIDGET} li.me", has_text="Mijn internet valt").wait_for()

    # It is a chat contact in the desk, with the customer's words.
    [contact] = chat_desk.chat_contacts()
    desk.goto(f"/desk/contacts/{contact['id']}/")
    assert desk.get_by_text("Mijn internet valt sinds gisteren steeds weg.").count() >= 1

    # The agent answers through the staff API; the widget shows it without a reload.
    chat_desk.api("POST", f"/api/contacts/{contact['id']}/messages",
         {"author": "agent", "text": "Wat vervelend! Ziet u een rood lampje op uw modem?"})  # fmt: skip
    answer = page.locator(f"{WIDGET} li.m:not(.me)", has_text="rood lampje")
    answer.wait_for(timeout=15_000)
    assert answer.locator(".n").inner_text() == "Naomi"
    assert page.locator(f"{WIDGET} [role=log]").get_attribute("aria-live") == "polite"
    page.screenshot(path=tmp_path / "open.png")

    # Escape closes the panel and gives the focus back to the button.
    page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.shadowRoot.activeElement.className") == "launcher"

    # A reload goes on with the same conversation, each message once; what follows still arrives live.
    page.reload()
    page.locator(f"{WIDGET} li.m:not(.me)", has_text="rood lampje").wait_for(state="attached")
    _tab_to_launcher(page)
    page.keyboard.press("Enter")
    page.locator(f"{WIDGET} li.m:not(.me)", has_text="rood lampje").wait_for()
    chat_desk.api("POST", f"/api/contacts/{contact['id']}/messages",
         {"author": "agent", "text": "Ik zet de verbinding even opnieuw klaar."})  # fmt: skip
    page.locator(f"{WIDGET} li.m", has_text="opnieuw klaar").wait_for(timeout=15_000)
    page.wait_for_timeout(500)
    assert customer.bubbles() == [
        "Mijn internet valt sinds gisteren steeds weg.",
        "Wat vervelend! Ziet u een rood lampje op uw modem?",
        "Ik zet de verbinding even opnieuw klaar.",
    ]
    assert len(chat_desk.chat_contacts()) == 1  # the same conversation, not a new contact

    assert customer.csp_refusals() == [], customer.console
    assert not [line for line in customer.console if line.startswith("page error")], customer.console


def test_on_a_phone_outside_hours_the_widget_is_a_full_screen_message_form(
    chat_desk: ChatDesk, browser: Any, tmp_path: Path
) -> None:
    # Nobody is in the desk: the chat is a message form that wants a name and an e-mail address.
    customer = Customer(
        browser, chat_desk, viewport={"width": 390, "height": 780}, is_mobile=True, has_touch=True
    )
    page = customer.visit()
    page.emulate_media(reduced_motion="reduce")  # the panel's box is measured without its slide-in
    page.locator(f"{WIDGET} .launcher").tap()
    panel = page.locator(f"{WIDGET} [role=dialog]")
    panel.wait_for()
    page.locator(f"{WIDGET} #gz-sub", has_text="Laat een bericht achter").wait_for()
    box = panel.bounding_box()
    assert box is not None and (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 390, 780)
    assert not page.locator(f"{WIDGET} .launcher").is_visible()  # the panel's own button closes it
    assert panel.get_attribute("aria-modal") == "true"
    for _ in range(12):  # full screen: the keyboard stays in the panel
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.localName") == WIDGET
    assert re.search(r"antwoord|open", page.locator(f"{WIDGET} .intro .eta").inner_text())
    page.screenshot(path=tmp_path / "phone-offline.png")

    page.locator(f"{WIDGET} #gz-text").fill("Kunt u mij morgen terugbellen over mijn factuur?")
    page.locator(f"{WIDGET} .send").tap()
    alert = page.locator(f"{WIDGET} [role=alert]")
    alert.wait_for()
    assert "naam en e-mailadres" in alert.inner_text()
    assert chat_desk.chat_contacts() == []  # nothing sent without a way to answer

    page.locator(f"{WIDGET} #gz-name").fill("Ria de Vries")
    page.locator(f"{WIDGET} #gz-email").fill("ria@example.nl")
    page.locator(f"{WIDGET} .send").tap()
    page.locator(f"{WIDGET} li.me", has_text="terugbellen").wait_for()
    page.locator(f"{WIDGET} li.sys", has_text="ontvangen").wait_for()
    [contact] = chat_desk.chat_contacts()
    assert contact["status"] != "closed" and contact["assigned_agent"] is None  # it waits in the queue

    page.locator(f"{WIDGET} .x").tap()
    panel.wait_for(state="hidden")
    assert customer.csp_refusals() == [], customer.console


def test_a_customer_sends_a_picture_asks_for_the_transcript_and_ends_the_chat(
    chat_desk: ChatDesk, browser: Any, tmp_path: Path
) -> None:
    outbox = tmp_path / "sent-mail"
    chat_desk.server.gezien(
        "mailbox", "add", "klantenservice", "--address", "service@voorbeeld-telecom.nl",
        "--smtp", f"file://{outbox}",
    )  # fmt: skip
    customer = Customer(browser, chat_desk)
    page = customer.visit()
    page.locator(f"{WIDGET} .launcher").click()
    page.locator(f"{WIDGET} #gz-name").fill("Ria de Vries")  # nobody in the desk: a message form
    page.locator(f"{WIDGET} #gz-email").fill("ria@example.nl")
    page.locator(f"{WIDGET} #gz-text").fill("Zo ziet mijn modem eruit.")
    page.locator(f"{WIDGET} .send").click()
    page.locator(f"{WIDGET} li.me", has_text="modem eruit").wait_for()

    # A picture goes up as a file and comes back inline, fetched with the session's token (a blob: URL).
    page.locator(f"{WIDGET} #gz-file").set_input_files(
        {"name": "modem.png", "mimeType": "image/png", "buffer": PNG}
    )
    picture = page.locator(f"{WIDGET} li.me .att img[alt='modem.png']")
    picture.wait_for()
    page.wait_for_function(
        "() => { const img = document.querySelector('gezien-chat').shadowRoot.querySelector('.att img');"
        " return img && img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0; }"
    )
    [contact] = chat_desk.chat_contacts()
    detail = chat_desk.api("GET", f"/api/contacts/{contact['id']}")
    assert any(a["filename"] == "modem.png" for m in detail["messages"] for a in m.get("attachments", []))

    # The transcript goes to the address the customer gave.
    page.get_by_role("button", name="Stuur mij het gesprek per e-mail").click()
    address = page.locator(f"{WIDGET} .mail input[type=email]")
    assert address.input_value() == "ria@example.nl"
    page.locator(f"{WIDGET} .mail button").click()
    page.locator(f"{WIDGET} .ok", has_text="onderweg naar ria@example.nl").wait_for()

    # Ending the chat closes the contact; a new conversation starts empty.
    page.get_by_role("button", name="Gesprek beëindigen").click()
    page.locator(f"{WIDGET} .end", has_text="afgesloten").wait_for()
    assert chat_desk.api("GET", f"/api/contacts/{contact['id']}")["status"] == "closed"
    assert not page.locator(f"{WIDGET} #gz-text").is_visible()
    page.get_by_role("button", name="Nieuw gesprek beginnen").click()
    assert customer.bubbles() == []
    assert page.locator(f"{WIDGET} #gz-text").is_visible()
    assert customer.csp_refusals() == [], customer.console


SECRET = "geheim-van-mijn-telecom"


class Website:
    """Another website on 127.0.0.1 (its own port, so its own origin): one page, with its CSP."""

    def __init__(self) -> None:
        site = self

        class Page(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Security-Policy", site.csp)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.html, self.csp = "", ""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, html: str, csp: str) -> None:
        self.html, self.csp = html, csp


@pytest.fixture
def other_website() -> Iterator[Website]:
    site = Website()
    yield site
    site.server.shutdown()
    site.server.server_close()


def test_a_signed_in_customer_on_another_website_is_recognised_in_english(
    chat_desk: ChatDesk, browser: Any, other_website: Website
) -> None:
    site = other_website.url
    chat_desk.server.gezien(
        "manage", "shell", "-c",
        "from gezien.chat.services import widget_create; widget_create(name='Mijn Telecom', "
        f"key='mijn-telecom', allowed_origins=['{site}'], secret='{SECRET}')",
    )  # fmt: skip
    identities = [{"kind": "chat", "value": "klant-4711"}]
    ria = chat_desk.api("POST", "/api/customers", {"first_name": "Ria", "identities": identities})
    signature = hmac.new(SECRET.encode(), b"klant-4711", hashlib.sha256).hexdigest()
    desk = chat_desk.base_url
    page_html = f"""<!DOCTYPE html><html lang="nl"><head><title>Mijn Telecom</title></head>
<body><h1>Mijn Telecom</h1>
<script src="{desk}/widget/chat.js" data-gezien-widget="mijn-telecom" data-lang="en"
  data-gezien-user-id="klant-4711" data-gezien-user-hash="{signature}" async></script></body></html>"""
    csp = f"default-src 'none'; script-src {desk}; connect-src {desk}; img-src {desk} blob:; style-src {desk}"
    other_website.serve(page_html, csp)
    customer = Customer(browser, chat_desk)
    page = customer.page
    page.goto(site + "/")
    launcher = page.locator(f"{WIDGET} .launcher")
    assert launcher.get_attribute("aria-label") == "Chat with us"
    launcher.click()
    page.locator(f"{WIDGET} #gz-sub", has_text="Leave us a message").wait_for()
    assert not page.locator(f"{WIDGET} #gz-name").is_visible()  # the website vouched for them
    page.locator(f"{WIDGET} #gz-text").fill("My bill is twice as high this month.")
    page.keyboard.press("Enter")
    page.locator(f"{WIDGET} li.me", has_text="twice as high").wait_for()

    [contact] = chat_desk.chat_contacts()
    assert contact["recognition"] == "recognised" and contact["customer"]["id"] == ria["id"]
    assert customer.csp_refusals() == [], customer.console

    # A widget that does not allow this website shows no chat at all; the console says why.
    other_website.serve(page_html.replace("mijn-telecom", "gezien-demo"), csp)
    with page.expect_console_message(lambda message: "allowed origins" in message.text):
        page.goto(site + "/")
    assert page.locator(WIDGET).count() == 0


def test_the_customer_sees_the_agent_read_and_type_in_the_desk(chat_desk: ChatDesk, browser: Any) -> None:
    agent = browser.new_context(base_url=chat_desk.base_url, locale="nl-NL")
    session = chat_desk.server.login("naomi", PASSWORD)
    agent.add_cookies([{"name": "sessionid", "value": session, "url": chat_desk.base_url}])
    desk = agent.new_page()
    desk.goto("/desk/")
    customer = Customer(browser, chat_desk)
    page = customer.visit()
    page.locator(f"{WIDGET} .launcher").click()
    page.locator(f"{WIDGET} #gz-text").fill("Is mijn nummer al overgezet?")
    page.keyboard.press("Enter")
    mine = page.locator(f"{WIDGET} li.me", has_text="overgezet")
    mine.wait_for()
    assert "Gelezen" not in mine.inner_text()

    # Naomi opens the chat in the desk: the customer sees it was read. She types: the customer sees that.
    [contact] = chat_desk.chat_contacts()
    desk.goto(f"/desk/contacts/{contact['id']}/")
    mine.locator(".s", has_text="Gelezen").wait_for(timeout=15_000)
    desk.locator("#composer textarea[name=text]").press_sequentially("Ja, sinds vanochtend", delay=50)
    page.locator(f"{WIDGET} .typing", has_text="Naomi typt…").wait_for(timeout=15_000)
    assert customer.csp_refusals() == [], customer.console
