"""Typos and spelling variants still match a lexicon word, weaker, with both forms in the evidence."""

from __future__ import annotations

import pytest

from gezien.analysis import analyze
from gezien.analysis.typos import TypoIndex, allowed, distance


def typo_rules(text: str) -> list[str]:
    return [e.rule for e in analyze(text, lang="nl").evidence if "+typo:" in e.rule]


@pytest.mark.parametrize(
    "text",
    [
        "mijn vader is overleeden, abbonement opzegen",
        "Mijn moeder is overleeden en ik wil haar abonnement opzeggen.",
        "mijn man is overleeden",
        "Mijn vader is overleden, ik wil zijn abbonement opzegen.",
    ],
)
def test_a_misspelt_bereavement_still_raises_the_life_event(text: str) -> None:
    a = analyze(text)
    assert "bereavement" in a.life_events, a.evidence


@pytest.mark.parametrize(
    ("text", "signal", "written", "meant"),
    [
        ("ik wil mijn abbonement opzegen", "churn", "opzegen", "opzeggen"),
        ("Ik heb al 3 keer gebelt hierover", "repeat", "gebelt", "gebeld"),
        ("Dit is echt belachlijk", "anger", "belachlijk", "belachelijk"),
        ("ik ben zo gefrusteerd", "anger", "gefrusteerd", "gefrustreerd"),
        ("Ik ben verschrikelijk teleurgestelt", "disappointment", "teleurgestelt", "teleurgesteld"),
    ],
)
def test_a_typo_matches_with_both_forms_in_the_evidence(
    text: str, signal: str, written: str, meant: str
) -> None:
    a = analyze(text, lang="nl")
    rules = [e.rule for e in a.evidence if e.signal == signal]
    assert any(f"+typo:{written}>{meant}" in r for r in rules), a.evidence
    shown = [e.text.lower() for e in a.evidence if e.signal == signal]
    assert any(written in s for s in shown), shown


def test_a_typo_counts_less_than_the_word_spelt_right() -> None:
    assert 0 < analyze("ik wil opzegen").churn < analyze("ik wil opzeggen").churn
    right = analyze("mijn vader is overleden").evidence
    wrong = analyze("mijn vader is overleeden").evidence
    assert wrong and right and wrong[0].rule.startswith(right[0].rule)


@pytest.mark.parametrize(
    "text",
    [
        "Morgen bel ik terug.",  # a real word close to a lexicon word ("zorgen") is no typo
        "ik heb een boot",  # short words never match loosely
        "Ik hoop dat het goed komt met de wolken",
        "Mijn klantonvriendelijke buurman",  # two letters more: not "klantvriendelijk"
        "De tafel staat in de kamer",
    ],
)
def test_real_and_short_words_are_not_corrected(text: str) -> None:
    assert typo_rules(text) == []


def test_the_allowed_distance_grows_with_length() -> None:
    assert [allowed(n) for n in (3, 4, 5, 8, 9, 14)] == [0, 0, 1, 1, 2, 2]
    assert distance("gebelt", "gebeld", 1) == 1
    assert distance("ovreleden", "overleden", 2) == 1  # a swap counts as one edit
    assert distance("ovreledne", "overleden", 2) == 2
    assert distance("abc", "xyz", 1) == 2  # stops once past the limit


def test_the_index_needs_one_best_candidate_and_the_same_first_letter() -> None:
    index = TypoIndex(["bellen", "tellen", "geweldig"], known=lambda w: False)
    assert index.correct("bellem") == ("bellen", 1)
    assert index.correct("zellen") is None  # "bellen" and "tellen" are both one edit, other first letter
    assert index.correct("gewldig") == ("geweldig", 1)
    assert index.correct("bel") is None
    assert TypoIndex(["geweldig"], known=lambda w: True).correct("gewldig") is None  # a real word
