"""The live workspace in a real Chromium against a real `gezien serve` (ASGI, its own process and
database): a message posted through the staff API appears on the agent's open contact without a reload;
two agents on one contact see each other and see the other typing; a server restart loses nothing and
shows nothing twice."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser import chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "lang-genoeg-wachtwoord-1"
SECONDS = 15_000  # ms Playwright waits for what should come live


@dataclass
class Desk:
    """The real server of a test (`live_desk`) and the staff API as its agents."""

    server: Any
    tokens: dict[str, str]  # the staff API's, by username

    def api(self, method: str, path: str, body: object = None, *, user: str = "sanne") -> Any:
        auth = {"Authorization": f"Bearer {self.tokens[user]}", "Content-Type": "application/json"}
        status, _headers, raw = self.server.request(method, path, body, auth)
        assert status in (200, 201), raw
        return json.loads(raw)

    def chat(self, text: str) -> int:
        opened = self.api("POST", "/api/contacts", {"channel": "chat", "text": text})
        return int(opened["id"])

    def customer_says(self, contact_id: int, text: str) -> int:
        return int(self.api("POST", f"/api/contacts/{contact_id}/messages", {"text": text})["id"])


@pytest.fixture(scope="module")
def desk_server(migrated_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """A real `gezien serve` as `live_desk` starts it (tests/gezien_server.py), shared by this module's
    tests (each on a contact of its own), with two agents and their API tokens."""
    from tests.gezien_server import GezienServer, base_env, sqlite_data_dir

    data_dir = sqlite_data_dir(migrated_sqlite_template, tmp_path_factory.mktemp("desklive"))
    server = GezienServer(base_env(data_dir), log_path=data_dir / "serve.log")
    tokens = {}
    for name, first, last in (("sanne", "Sanne", "de Vries"), ("naomi", "Naomi", "Bakker")):
        server.gezien("createuser", name, "--password", PASSWORD, "--first-name", first, "--last-name", last)
        tokens[name] = server.gezien("token", "create", "--user", name).strip()
    server.start()
    try:
        yield Desk(server, tokens)
    finally:
        server.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as started:
        yield started


def _agent(browser: Any, desk: Desk, username: str, contact_id: int) -> Any:
    """A browser context of its own (its own session), signed in, on the contact's workspace."""
    context = browser.new_context(base_url=desk.server.base_url, locale="nl-NL")
    page = context.new_page()
    sign_in(page, username, PASSWORD)
    page.goto(f"/desk/contacts/{contact_id}/")
    page.wait_for_function(
        "() => document.querySelector('.workspace').dataset.live === 'open'", timeout=SECONDS
    )
    page.evaluate("window.__sameDocument = true")  # gone after a reload: the test sees there was none
    return page


def _thread_ids(page: Any) -> list[int]:
    return [
        int(i)
        for i in page.eval_on_selector_all(
            "#thread [data-message-id]", "els => els.map(e => e.dataset.messageId)"
        )
    ]


def _wait_for_message(page: Any, message_id: int) -> None:
    page.wait_for_selector(f"#message-{message_id}", timeout=SECONDS)


def test_a_message_posted_through_the_api_appears_on_the_open_contact(
    browser: Any, desk_server: Desk
) -> None:
    contact = desk_server.chat("Mijn pakket is niet gekomen.")
    page = _agent(browser, desk_server, "sanne", contact)
    before = _thread_ids(page)
    said = desk_server.customer_says(contact, "Hallo? Is daar iemand?")
    _wait_for_message(page, said)
    assert "Hallo? Is daar iemand?" in page.inner_text(f"#message-{said}")
    assert _thread_ids(page) == [*before, said]
    assert page.evaluate("window.__sameDocument") is True


def test_two_agents_on_one_contact_see_each_other_and_the_typing(desk_server: Desk, browser: Any) -> None:
    contact = desk_server.chat("Ik wil mijn abonnement opzeggen.")
    sanne = _agent(browser, desk_server, "sanne", contact)
    naomi = _agent(browser, desk_server, "naomi", contact)
    sanne.wait_for_selector("#collision:not([hidden])", timeout=SECONDS)
    assert sanne.inner_text("#collision") == "Naomi Bakker heeft dit contact ook open"
    # Naomi opened second: she sees Sanne was already there (remembered, not only told live).
    naomi.wait_for_selector("#collision:not([hidden])", timeout=SECONDS)
    assert naomi.inner_text("#collision") == "Sanne de Vries heeft dit contact ook open"
    naomi.locator("#composer textarea[name=text]").press_sequentially("Beste klant", delay=20)
    sanne.wait_for_function(
        "() => document.querySelector('#collision').textContent === 'Naomi Bakker typt een antwoord'",
        timeout=SECONDS,
    )
    naomi.context.close()  # she leaves: the banner goes
    sanne.wait_for_selector("#collision", state="hidden", timeout=SECONDS)


def test_a_server_restart_loses_nothing_and_shows_nothing_twice(desk_server: Desk, browser: Any) -> None:
    contact = desk_server.chat("Kunt u mij terugbellen?")
    page = _agent(browser, desk_server, "sanne", contact)
    first = desk_server.customer_says(contact, "Ik ben thuis tot vijf uur.")
    _wait_for_message(page, first)
    desk_server.server.stop()
    page.wait_for_function(
        "() => document.querySelector('.workspace').dataset.live !== 'open'", timeout=SECONDS
    )
    desk_server.server.start()
    # Said as the server is back, before or while the page reconnects: by the bus or by the catch-up.
    missed = [desk_server.customer_says(contact, f"Bericht {n} na de herstart") for n in (1, 2)]
    for message_id in missed:
        _wait_for_message(page, message_id)
    later = desk_server.customer_says(contact, "En nog een na de herstart.")
    _wait_for_message(page, later)
    time.sleep(1)  # anything shown twice would have arrived by now
    ids = _thread_ids(page)
    assert ids[-4:] == [first, *missed, later]
    assert len(ids) == len(set(ids))
    assert page.evaluate("window.__sameDocument") is True


RECORD_NOTIFICATIONS = """
window.__notified = [];
if (window.Notification) {
  const Real = window.Notification;
  window.Notification = function (title, options) {
    window.__notified.push({ title: title, body: (options || {}).body || "" });
    return new Real(title, options);
  };
  Object.defineProperty(window.Notification, "permission", { get: () => Real.permission });
  window.Notification.requestPermission = (...args) => Real.requestPermission(...args);
}
"""


def test_the_queue_badges_and_a_new_chat_for_the_agent_come_live(desk_server: Desk, browser: Any) -> None:
    current = desk_server.chat("Waar is mijn retourlabel?")
    page = _agent(browser, desk_server, "sanne", current)
    page.context.grant_permissions(["notifications"])
    page.context.add_init_script(RECORD_NOTIFICATIONS)
    # The opt-ins are off until the agent turns them on, and stay on after a reload.
    assert not page.is_checked("[data-testid=live-notify]")
    page.check("[data-testid=live-notify]")
    page.check("[data-testid=live-sound]")
    page.reload()
    page.wait_for_function(
        "() => document.querySelector('.workspace').dataset.live === 'open'", timeout=SECONDS
    )
    assert page.is_checked("[data-testid=live-notify]") and page.is_checked("[data-testid=live-sound]")
    page.evaluate("window.__sameDocument = true")
    page.wait_for_selector(f'#queue-pane .queue-item[data-contact-id="{current}"]', timeout=SECONDS)
    other = desk_server.chat("Hallo, ik heb een vraag over mijn factuur.")
    item = f'#queue-pane .queue-item[data-contact-id="{other}"]'
    page.wait_for_selector(item, timeout=SECONDS)  # a new chat joins the queue pane
    assert page.inner_text(f"{item} .badge-unread") == "1"
    desk_server.customer_says(other, "Het bedrag klopt niet.")
    page.wait_for_function(
        f"() => document.querySelector('{item} .badge-unread').textContent.trim() === '2'", timeout=SECONDS
    )
    # A colleague gives the chat to Sanne (taking one herself tells her nothing).
    desk_server.api("PATCH", f"/api/contacts/{other}", {"assigned_agent": "sanne"}, user="naomi")
    page.wait_for_function(
        f"() => document.documentElement.dataset.liveAssigned === '{other}'", timeout=SECONDS
    )
    page.wait_for_function("() => window.__notified.length === 1", timeout=SECONDS)
    assert page.evaluate("window.__notified[0].title") == "Nieuwe chat voor u"
    assert page.evaluate("window.__sameDocument") is True
