"""The pure renderer: placeholders filled in, missing ones left visible, other braces left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gezien.replies.wording import PLACEHOLDERS, placeholders_in, render, unknown_placeholders

VALUES = {
    "naam": "mevrouw Jansen",
    "ordernummer": "VT1514680",
    "datum": "maandag 23 november",
    "medewerker": "Sanne",
    "klantnummer": "K1234567",
}


def test_every_placeholder_is_filled_in() -> None:
    template = "Beste {naam}, order {ordernummer} komt {datum}. Klant {klantnummer}. Groet, {medewerker}"
    result = render(template, VALUES)
    assert result.text == (
        "Beste mevrouw Jansen, order VT1514680 komt maandag 23 november. Klant K1234567. Groet, Sanne"
    )
    assert result.missing == ()


def test_a_placeholder_without_a_value_stays_visible_to_fill_in() -> None:
    result = render("Hoi {naam}, je order {ordernummer} ({ordernummer}) is onderweg.", {"naam": "Samira"})
    assert result.text == "Hoi Samira, je order [ordernummer] ([ordernummer]) is onderweg."
    assert result.missing == ("ordernummer",)


def test_a_blank_value_counts_as_missing() -> None:
    result = render("Beste {naam},", {"naam": "  "})
    assert (result.text, result.missing) == ("Beste [naam],", ("naam",))


def test_spaces_and_capitals_inside_the_braces_are_tolerated() -> None:
    assert render("Beste { Naam }, {DATUM}", VALUES).text == "Beste mevrouw Jansen, maandag 23 november"
    assert placeholders_in("{ Naam } {naam} {DATUM}") == ("naam", "datum")


def test_unknown_names_are_reported_in_order() -> None:
    assert unknown_placeholders("Beste {nam}, {naam}, uw {bestelling} en {nam}") == ("nam", "bestelling")
    assert unknown_placeholders("Beste {naam}") == ()
    # Rendering an old text with an unknown name does not crash: it is left to fill in.
    assert render("Hallo {voornaam}", VALUES).text == "Hallo [voornaam]"


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        "{ }",
        "{naam",
        "naam}",
        "}{",
        "{{naam}",
        '{"json": 1}',
        "{ twee woorden }",
        "{na\u200bam}",
        "{{}}",
        "{" * 1000,
        "prijs: {€ 10}",
    ],
)
def test_braces_that_are_not_placeholders_are_left_alone(text: str) -> None:
    result = render(text, VALUES)
    assert unknown_placeholders(text) == ()
    assert result.missing == ()
    assert result.text == text.replace("{naam}", VALUES["naam"])


def test_odd_unicode_in_values_and_text_survives() -> None:
    values = {**VALUES, "naam": "Emre Yılmaz \u202eRTL 🙂", "medewerker": "ǅemal"}
    result = render("Dag {naam} — 👋 van {medewerker}. İstanbul ß", values)
    assert result.text == "Dag Emre Yılmaz \u202eRTL 🙂 — 👋 van ǅemal. İstanbul ß"
    # A value that looks like a placeholder is inserted as it is, never filled in again.
    assert render("{naam}", {"naam": "{ordernummer}"}).text == "{ordernummer}"
    # A non-ASCII word between braces is a placeholder name Gezien does not know, so it is reported.
    assert unknown_placeholders("{naäm} {ΝΑΑΜ}") == ("naäm", "νααμ")


@given(st.text(max_size=300), st.dictionaries(st.sampled_from(PLACEHOLDERS), st.text(max_size=30)))
def test_any_text_renders_and_missing_names_are_shown(template: str, values: dict[str, str]) -> None:
    result = render(template, values)
    for name in result.missing:
        assert f"[{name}]" in result.text
        assert not values.get(name, "").strip()
    assert set(result.missing) <= set(placeholders_in(template))
