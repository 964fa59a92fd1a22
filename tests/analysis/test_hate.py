"""Abuse includes hate: slurs, dehumanising words and threats aimed at a person or a group of people.
Counter-speech, quoting, reporting what someone else said, and negation are not the writer's abuse."""

from __future__ import annotations

import pytest

from gezien.analysis import analyze


@pytest.mark.parametrize(
    "text",
    [
        "Moslims zijn ratten.",
        "Al die marokkanen zijn gewoon kakkerlakken",
        "Die mensen zijn ongedierte, allemaal.",
        "Homo's moeten dood",
        "Vluchtelingen zijn parasieten",
        "Ga terug naar je eigen land",
        "Jij bent een rat.",
        "Jullie zijn varkens",
        "Wat een kutturken",
        "Vuile joden, jullie moeten allemaal dood",
    ],
)
def test_hate_aimed_at_a_group_or_a_person_is_abuse(text: str) -> None:
    a = analyze(text, lang="nl")
    assert a.abuse >= 0.8, a.evidence
    assert a.emotions["anger"] >= 0.4
    assert any(e.signal == "abuse" for e in a.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "Moslims zijn geen ratten.",  # negation
        "Het is walgelijk om moslims ratten te noemen.",  # counter-speech
        "Racisme is niet oké om te verspreiden: marokkanen zijn mensen.",
        "Je mag niet zeggen dat buitenlanders ongedierte zijn, dat is racistisch.",
        "De monteur noemde mij een kutmarokkaan, ik wil een klacht indienen.",  # reported
        "Hij zei tegen mij dat homo's dood moeten, ik voelde me niet veilig.",
        'Uw bezorger riep "vuile jood" naar mijn vader.',  # quoted
        "Ik heb ratten op zolder, kunt u de ongediertebestrijding sturen?",  # vermin, not people
        "Mijn vader is kakkerlakken aan het bestrijden in de keuken.",
    ],
)
def test_counter_speech_reports_quotes_and_negation_are_not_abuse(text: str) -> None:
    a = analyze(text, lang="nl")
    assert a.abuse < 0.3, a.evidence


def test_a_reported_slur_still_shows_the_customer_is_upset() -> None:
    a = analyze("De monteur noemde mij een kutmarokkaan!", lang="nl")
    assert a.abuse < 0.3 and a.emotions["anger"] >= 0.3, a.evidence
    assert any(e.rule.endswith("+reported") for e in a.evidence)


def test_the_writers_own_abuse_stays_abuse_beside_a_report() -> None:
    a = analyze("Jullie monteur noemde mij een leugenaar. Stelletje oplichters!", lang="nl")
    assert a.abuse >= 0.8, a.evidence
