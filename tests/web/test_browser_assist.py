"""The agent assist in a real Chromium: the draft check as the agent types, the solutions that unfold
once the customer's feeling is acknowledged, and a hint dismissed for good. Nothing reloads in between."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gezien.accounts.models import User
from gezien.contacts.models import Contact
from gezien.contacts.services import contact_open
from gezien.customers.services import customer_create
from tests.browser import sign_in
from tests.web import test_browser

# The live server, Chromium and Playwright exactly as the desk's own browser test starts them.
page = test_browser.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-1"  # what the make_user fixture gives everyone
SHOWS = 10_000  # ms: htmx waits 350 ms after the last key, then the server answers (CI may be busy)

FORMAL_COMPLAINT = (
    "Geachte heer/mevrouw,\n\nIk heb op 3 november een klacht ingediend over mijn factuur en heb nog steeds "
    "niets gehoord. Kunt u mij laten weten wanneer dit wordt opgelost?\n\nMet vriendelijke groet,\n"
    "G. van der Heijden"
)
ANGRY = "Ik ben echt woedend, dit is de derde keer dat mijn internet eruit ligt!!"
ACKNOWLEDGEMENT = "Ik begrijp dat u hier boos over bent, en dat snap ik ook."


@pytest.fixture(autouse=True)
def _analysed_on_commit(settings: Any) -> None:
    """The customer's words are analysed when they are stored, on PostgreSQL too (no task worker here)."""
    settings.GEZIEN_ANALYSIS_INLINE = True


def _contact(channel: str, text: str, email: str) -> Contact:
    customer_create(first_name="Gerda", last_name="van der Heijden", identities=[("email", email)])
    contact = contact_open(channel=channel, identities=[("email", email)], text=text).contact
    assert contact.customer is not None, "the customer is recognised by the e-mail address"
    assert contact.messages.get().signals is not None, "the customer's words were analysed"
    return contact


def _log_in(page: Any, user: User) -> None:
    sign_in(page, user.username, PASSWORD)


def _type(page: Any, text: str) -> None:
    """Type like a person (key by key), so that htmx's input trigger fires as it does for an agent."""
    page.locator("[data-testid=reply-text]").press_sequentially(text, delay=5)


def _no_reload(page: Any) -> None:
    """Marks the page; `_still_same_page` fails if the browser loaded a new document since."""
    page.evaluate("() => { window.__sameDocument = true; }")


def _still_same_page(page: Any) -> None:
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"


def test_an_informal_reply_to_a_formal_complaint_gets_the_register_warning_while_typing(
    page: Any,
    make_user: Callable[..., User],
) -> None:
    agent = make_user("sanne", "agent")
    contact = _contact("email", FORMAL_COMPLAINT, "g.vanderheijden@example.nl")
    _log_in(page, agent)
    page.goto(f"/desk/contacts/{contact.pk}/")
    _no_reload(page)
    assert page.locator("[data-testid=finding]").count() == 0

    _type(page, "Hoi! Kun je even je klantnummer sturen?")

    warning = page.locator("#draft-check [data-testid=finding][data-finding=register_mismatch]")
    warning.wait_for(timeout=SHOWS)
    assert "“u”" in warning.inner_text()  # it says what the customer wrote
    _still_same_page(page)
    assert not contact.messages.filter(author="agent").exists()  # checking a draft sends nothing


def test_the_solutions_unfold_once_the_agent_acknowledges_the_anger(
    page: Any,
    make_user: Callable[..., User],
) -> None:
    from gezien.knowledge.services import article_create

    agent = make_user("sanne", "agent")
    article = article_create(
        title="Internet ligt eruit: storing verhelpen",
        body="Internet eruit? Kijk of er een storing is in de wijk, en laat de klant het modem herstarten.",
        customer_text_u="Er is een storing bij u in de wijk; wij houden u op de hoogte.",
    )
    contact = _contact("chat", ANGRY, "boze.klant@example.nl")
    _log_in(page, agent)
    page.goto(f"/desk/contacts/{contact.pk}/")
    _no_reload(page)
    body = page.locator("[data-testid=solutions-body]")
    folded = page.locator("[data-testid=folded]")
    assert body.is_hidden()
    assert folded.is_visible()
    assert page.locator("[data-testid=hint][data-hint=listen_first]").is_visible()

    _type(page, ACKNOWLEDGEMENT)

    page.locator("#draft-check [data-testid=acknowledged]").wait_for(timeout=SHOWS)
    body.wait_for(state="visible", timeout=SHOWS)
    assert folded.is_hidden()
    proposal = body.locator(f"[data-article='{article.pk}']")
    assert proposal.is_visible()
    assert "Internet ligt eruit" in proposal.inner_text()
    _still_same_page(page)


def test_a_dismissed_hint_leaves_the_page_and_stays_away_after_a_reload(
    page: Any,
    make_user: Callable[..., User],
) -> None:
    from gezien.assist.models import HintAction

    agent = make_user("sanne", "agent")
    contact = _contact("chat", ANGRY, "boze.klant@example.nl")
    _log_in(page, agent)
    page.goto(f"/desk/contacts/{contact.pk}/")
    _no_reload(page)
    hint = page.locator("[data-testid=hint][data-hint=listen_first]")
    assert hint.count() == 1
    others = page.locator("[data-testid=hint]").count()

    hint.locator("[data-testid=dismiss]").click()

    hint.wait_for(state="detached", timeout=SHOWS)
    assert page.locator("[data-testid=hint]").count() == others - 1
    _still_same_page(page)
    assert HintAction.objects.filter(
        contact=contact, user=agent, hint="listen_first", action=HintAction.Action.DISMISSED
    ).exists()

    page.reload()
    assert page.locator("[data-testid=hint]").count() == others - 1
    assert page.locator("[data-testid=hint][data-hint=listen_first]").count() == 0
    assert page.locator("[data-testid=hint][data-hint=address]").count() == 1  # the others stay
