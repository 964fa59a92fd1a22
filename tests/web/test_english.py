"""English mode speaks English: the main desk pages, rendered for someone who chose English, carry no
common Dutch words and show numbers the English way. Data people typed (names, messages, reasons) may
be Dutch; the test's data is English or neutral, so every Dutch word found is the desk's own text."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

import gezien
from gezien.accounts.models import User
from gezien.contacts.models import Channel
from gezien.contacts.services import contact_open
from gezien.customers.services import customer_create
from gezien.web.templatetags.retention import risk_reason
from gezien.web.templatetags.rootcause_desk import spike_text
from gezien.web.templatetags.routing_flags import flag_label

# Words that are Dutch and not English (nor a name, a unit or a brand the desk shows in both).
DUTCH = {
    "aantal", "afdeling", "afdelingen", "alle", "alleen", "bericht", "berichten", "bij", "contacten",
    "dagen", "deze", "een", "geen", "gisteren", "het", "klant", "klanten", "kies", "medewerker",
    "medewerkers", "met", "naar", "niet", "nieuw", "nieuwe", "nog", "ook", "opslaan", "over", "periode",
    "van", "vandaag", "voor", "wachtrij", "wordt", "zijn", "zoeken", "uur", "week", "wanneer", "welke",
}  # fmt: skip
DUTCH.discard("over")  # English too
DUTCH.discard("week")

PAGES = [
    "/desk/",
    "/customers/",
    "/desk/notifications/",
    "/knowledge/",
    "/desk/macros/",
    "/insights/",
    "/insights/cx/",
    "/insights/sla/",
    "/insights/surveys/",
    "/insights/resolution/",
    "/insights/board/",
    "/insights/reasons/",
    "/insights/churn/",
    "/desk/live/",
    "/planning/",
    "/planning/targets/",
    "/planning/history/",
    "/desk/wellbeing/",
    "/desk/wellbeing/policy/",
]


def visible_words(html: str) -> list[str]:
    """The words a person reads: text between tags and the title/placeholder/aria-label/alt texts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    attributes = re.findall(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"\{\w+\}", " ", text)  # a macro's placeholders ({medewerker}) are names, not prose
    return re.findall(r"[A-Za-zÀ-ÿ]+", unescape(" ".join([text, *attributes])))


def dutch_in(html: str) -> set[str]:
    return {word for word in visible_words(html) if word.lower() in DUTCH}


@pytest.fixture
def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user("morgan", "manager", first_name="Morgan", last_name="Smith")


@pytest.fixture
def english_contact(db: None) -> Any:
    customer_create(first_name="Alex", last_name="Jones", identities=[("email", "alex@example.com")])
    return contact_open(
        channel=Channel.EMAIL,
        identities=[("email", "alex@example.com")],
        subject="Parcel",
        text="My parcel did not arrive and I am quite upset about it.",
    ).contact


def test_the_detector_finds_dutch_where_there_is_dutch() -> None:
    assert dutch_in('<p title="Alle klanten">Zoeken</p>') == {"Alle", "klanten", "Zoeken"}
    assert dutch_in("<p>Search all customers</p><script>var geen = 1</script>") == set()


@pytest.mark.parametrize("path", PAGES)
def test_a_main_desk_page_in_english_has_no_dutch_words(english: Client, manager: User, path: str) -> None:
    english.force_login(manager)
    response = english.get(path)
    assert response.status_code == 200, path
    assert response["Content-Language"] == "en"
    assert dutch_in(response.content.decode()) == set(), path


def test_a_contact_and_its_customer_in_english_have_no_dutch_words(
    english: Client, manager: User, english_contact: Any
) -> None:
    english.force_login(manager)
    for path in (f"/desk/contacts/{english_contact.pk}/", f"/customers/{english_contact.customer_id}/"):
        response = english.get(path)
        assert response.status_code == 200, path
        assert dutch_in(response.content.decode()) == set(), path


def test_a_churn_reason_reads_in_the_readers_language() -> None:
    reason = {
        "text": "Laatste 3 contacten vooral boos",
        "says": {"what": "streak", "n": 3, "of": 5, "emotion": "anger", "at": "2026-11-12T10:00:00+00:00"},
    }
    with translation.override("en"):
        english = risk_reason(reason)
    with translation.override("nl"):
        dutch = risk_reason(reason)
    assert dutch == "Laatste 3 contacten vooral boos"
    assert "3" in english and dutch_in(f"<p>{english}</p>") == set() and english != dutch
    assert risk_reason({"text": "stored before"}) == "stored before"


def test_a_spike_reads_in_the_readers_language_with_its_numbers(db: None) -> None:
    spike = SimpleNamespace(reason="Levering", hours=72, observed=1500, expected=3.25, p_value=0.00002)
    with translation.override("en"):
        english = spike_text(spike)
    with translation.override("nl"):
        dutch = spike_text(spike)
    assert "1500 contacts in the last 3 days" in english and "around 3.2" in english
    assert "less than 1 in 10,000" in english and dutch_in(f"<p>{english}</p>") == set()
    assert "normaal rond 3,2" in dutch and "1 op de 10.000 keer" in dutch


def test_one_word_for_churn_risk_in_dutch() -> None:
    catalogue = (Path(gezien.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po").read_text()
    msgids = " ".join(re.findall(r'^msgid "(.*)"$', catalogue, re.M)).lower()
    assert "opzegrisico" in msgids
    assert "churnrisico" not in msgids and "churn-risico" not in msgids


def test_the_root_cause_board_calls_a_problem_a_problem_in_english(english: Client, manager: User) -> None:
    english.force_login(manager)
    page = english.get("/insights/board/").content.decode()
    assert "<h2>Problems" in page and "<th>Problem</th>" in page
    assert "<th>Signal</th>" not in page and "<th>Churn risk</th>" in page


def test_a_routing_flag_stored_in_dutch_reads_in_english() -> None:
    with translation.override("en"):
        assert flag_label("boze klant") == "angry customer"
        assert flag_label("iets onbekends") == "iets onbekends"  # not a label of ours: shown as stored


def test_an_english_request_leaves_the_default_language_behind(english: Client, manager: User) -> None:
    """What the thread runs after an English reader's page (the next test, an on_commit hook) speaks the
    desk's default again: Django's LocaleMiddleware left the reader's language active on the thread."""
    english.force_login(manager)
    assert english.get("/desk/")["Content-Language"] == "en"
    assert translation.get_language() == settings.LANGUAGE_CODE == "nl"
    with translation.override("en"):
        english.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        assert english.get("/desk/")["Content-Language"] == "nl"
        assert translation.get_language() == "en"  # a caller's own choice survives a request too
