"""The routing rules one by one: what a contact needs, read from the desk's picture of it (no database)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from gezien.assist.situation import HIGH_ANGER_AT, EarlierContact, Matter, Peak, Situation
from gezien.contacts.addressing import AddressChoice, Cite
from gezien.contacts.models import Contact, ContactReason
from gezien.routing.models import Experience
from gezien.routing.needs import (
    COMPLAINTS,
    SENSITIVE,
    abuse_need,
    anger_need,
    contact_needs,
    quoted,
    repeat_need,
    sensitive_need,
)

NOW = datetime(2025, 3, 14, 11, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def _dutch() -> Any:
    with translation.override("nl"):
        yield


def situation(**fields: Any) -> Situation:
    contact = Contact(pk=7, channel="chat", status="open", opened_at=NOW)
    return Situation(
        contact=contact,
        now=NOW,
        address=AddressChoice("u", "default", ""),
        lang="nl",
        recognised=True,
        **fields,
    )


def matter(count: int, *, days_ago: int = 8, claim: tuple[Cite, ...] = ()) -> Matter:
    reason = ContactReason(pk=1, code="levering", name="Levering")
    earlier = tuple(EarlierContact(Contact(pk=i, channel="phone"), "") for i in range(1, count))
    return Matter(reason, earlier, NOW - timedelta(days=days_ago), False, claim)


def test_nothing_special_needs_nothing() -> None:
    needs = contact_needs(situation())
    assert not needs
    assert (needs.skills, needs.flags, needs.why, needs.experience) == ([], [], "", Experience.JUNIOR)


def test_a_death_in_the_customers_words_needs_sensitive_conversations() -> None:
    found = situation(life_events={"bereavement": (Cite("bereavement", "mijn man is overleden", 3),)})
    need = sensitive_need(found)
    assert need is not None
    assert (need.skill, need.experience, need.flag) == (SENSITIVE, Experience.JUNIOR, "gevoelig")
    assert need.why == "overlijden: 'mijn man is overleden'"


def test_illness_and_hospital_count_and_are_both_cited() -> None:
    found = situation(
        life_events={
            "illness": (Cite("illness", "ernstig ziek"),),
            "hospital": (Cite("hospital", "ligt in het ziekenhuis"),),
        }
    )
    need = sensitive_need(found)
    assert need is not None
    assert need.why == "ziekte: 'ernstig ziek'; ziekenhuis: 'ligt in het ziekenhuis'"


def test_a_started_protocol_counts_without_words_and_is_not_repeated_when_also_detected() -> None:
    need = sensitive_need(situation(protocols={"illness"}))
    assert need is not None and need.why == "protocol ernstige ziekte"
    both = sensitive_need(
        situation(protocols={"bereavement"}, life_events={"bereavement": (Cite("bereavement", "overleden"),)})
    )
    assert both is not None and both.why == "overlijden: 'overleden'"


def test_other_life_events_are_not_sensitive_for_routing() -> None:
    assert sensitive_need(situation(life_events={"moving": (Cite("moving", "verhuisd"),)})) is None
    assert sensitive_need(situation(protocols={"abuse"})) is None


@pytest.mark.parametrize(
    ("score", "needed"), [(0.6, False), (HIGH_ANGER_AT - 0.01, False), (HIGH_ANGER_AT, True), (0.99, True)]
)
def test_anger_from_the_high_mark_needs_complaints(score: float, needed: bool) -> None:
    peak = Peak("anger", score, (Cite("anger", "belachelijk"), Cite("anger", "woedend")))
    need = anger_need(situation(peaks={"anger": peak}))
    assert (need is not None) is needed
    if need is not None:
        assert (need.skill, need.experience, need.flag) == (COMPLAINTS, Experience.JUNIOR, "boze klant")
        assert need.why == "boos: 'belachelijk', 'woedend'"


def test_other_strong_emotions_do_not_ask_for_the_complaints_skill() -> None:
    assert anger_need(situation(peaks={"stress": Peak("stress", 0.95, ())})) is None


def test_abuse_now_needs_an_experienced_complaints_handler() -> None:
    need = abuse_need(situation(abusive_messages=[Cite("abuse", "stelletje klootzakken", 4)]))
    assert need is not None
    assert (need.skill, need.experience, need.flag) == (COMPLAINTS, Experience.MEDIOR, "grof taalgebruik")
    assert need.why == "grof taalgebruik: 'stelletje klootzakken'"


def test_abuse_in_earlier_contacts_counts_too() -> None:
    need = abuse_need(situation(abuse_history=2))
    assert need is not None
    assert (need.experience, need.flag) == (Experience.MEDIOR, "eerder grof")
    assert need.why == "eerder grof taalgebruik of een incident in 2 contacten"
    one = abuse_need(situation(abuse_history=1, protocols={"abuse"}))
    assert one is not None and one.flag == "grof taalgebruik"
    assert one.why == "protocol grof taalgebruik; eerder grof taalgebruik of een incident in 1 contact"
    assert abuse_need(situation()) is None


@pytest.mark.parametrize("count", [1, 2])
def test_a_first_or_second_contact_about_a_matter_is_no_repeat_for_routing(count: int) -> None:
    assert repeat_need(situation(matter=matter(count))) is None


def test_the_third_contact_about_a_matter_needs_an_experienced_complaints_handler() -> None:
    need = repeat_need(situation(matter=matter(4, days_ago=8)))
    assert need is not None
    assert (need.skill, need.experience, need.flag) == (COMPLAINTS, Experience.MEDIOR, "herhaald contact")
    assert need.why == "4e contact over Levering in 9 dagen"
    today = repeat_need(situation(matter=matter(3, days_ago=0, claim=(Cite("repeat", "de derde keer"),))))
    assert today is not None
    assert today.why == "3e contact over Levering in 1 dag (klant: 'de derde keer')"


def test_all_needs_together_ask_every_skill_and_the_most_experience() -> None:
    found = situation(
        life_events={"bereavement": (Cite("bereavement", "overleden"),)},
        peaks={"anger": Peak("anger", 0.9, (Cite("anger", "schandalig"),))},
        matter=matter(3),
    )
    needs = contact_needs(found)
    assert [n.code for n in needs.items] == ["sensitive", "anger", "repeat"]
    assert needs.skills == ["gevoelige_gesprekken", "klachten"]
    assert needs.experience == Experience.MEDIOR
    assert needs.flags == ["gevoelig", "boze klant", "herhaald contact"]
    assert needs.why == "overlijden: 'overleden'; boos: 'schandalig'; 3e contact over Levering in 9 dagen"
    assert needs.items[0].as_dict() == {
        "code": "sensitive",
        "skill": "gevoelige_gesprekken",
        "experience": 1,
        "flag": "gevoelig",
        "reasons": [{"code": "signal", "params": {"signal": "bereavement", "words": ["overleden"]}}],
    }


def test_quotes_are_the_customers_words_at_most_two_without_doubles() -> None:
    cites = [
        Cite("anger", "  heel   boos "),
        Cite("anger", "heel boos"),
        Cite("anger", ""),
        Cite("anger", "woest"),
        Cite("anger", "x"),
    ]
    assert quoted(cites) == "'heel boos', 'woest'"
    assert quoted([Cite("anger", "a" * 500)]) == "'" + "a" * 80 + "'"
