"""IBANs, card numbers and BSNs in what customers type: found by their check digits, masked, and order
numbers, phone numbers and postcodes left alone."""

from __future__ import annotations

import pytest

from gezien.analysis.pii import MASK, bsn_valid, iban_valid, luhn_valid, pii_find, pii_mask


@pytest.mark.parametrize(
    "value",
    ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "nl91 abna 0417 1643 00", "BE68539007547034",
     "DE89 3704 0044 0532 0130 00", "GB29 NWBK 6016 1331 9268 19", "FR14 2004 1010 0505 0001 3M02 606"],
)  # fmt: skip
def test_valid_ibans_pass(value: str) -> None:
    assert iban_valid(value)


@pytest.mark.parametrize(
    "value",
    ["NL91ABNA0417164301", "NL92ABNA0417164300", "NL91ABNA041716430", "XX91ABNA0417164300", "NL91"],
)
def test_wrong_check_digits_length_or_country_fail(value: str) -> None:
    assert not iban_valid(value)


@pytest.mark.parametrize(
    "value", ["4111111111111111", "4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005"]
)
def test_luhn_valid_cards(value: str) -> None:
    assert luhn_valid(value)


@pytest.mark.parametrize("value", ["4111111111111112", "5500-0000-0000-0005", "4111a1111111111"])
def test_luhn_invalid(value: str) -> None:
    assert not luhn_valid(value)


@pytest.mark.parametrize("value", ["111222333", "123456782", "1234.56.782", "123 456 782"])
def test_elfproef_valid(value: str) -> None:
    assert bsn_valid(value)


@pytest.mark.parametrize("value", ["123456789", "111222334", "000000000", "12345678", "1234567820"])
def test_elfproef_invalid(value: str) -> None:
    assert not bsn_valid(value)


def test_dutch_phrasing_of_an_account_is_found_and_masked() -> None:
    text = "Kunt u het terugstorten op mijn rekening NL91 ABNA 0417 1643 00? Alvast bedankt."
    (found,) = pii_find(text)
    assert (found.kind, found.text) == ("iban", "NL91 ABNA 0417 1643 00")
    assert text[found.start : found.end] == found.text
    assert pii_mask(text) == f"Kunt u het terugstorten op mijn rekening {MASK}? Alvast bedankt."


def test_a_card_number_with_spaces_or_dashes_and_a_bsn_in_one_message() -> None:
    text = "Mijn creditcard is 4111-1111-1111-1111 en mijn BSN is 1112.22.333, geboren 1-2-1970."
    assert [(m.kind, m.text) for m in pii_find(text)] == [
        ("card", "4111-1111-1111-1111"),
        ("bsn", "1112.22.333"),
    ]
    assert "4111" not in pii_mask(text) and "333" not in pii_mask(text)
    assert pii_mask(text).endswith("geboren 1-2-1970.")


@pytest.mark.parametrize(
    "text",
    [
        "Mijn ordernummer is 111222333 en het pakket is nog niet binnen.",  # passes the elfproef
        "Factuur 123456782 klopt niet",  # passes the elfproef
        "bestelnummer: 4111111111111111",  # passes Luhn
        "Track & trace 3SABCD1234567 en order #4111 1111 1111 1111",
        "Bel me op 06-12345678 of +31 6 12345678 of 0612345678 of +31612345678",
        "Ik woon op 1234 AB 12, vlakbij 2511 CV.",
        "Mijn klantnummer is K-123456789",
        "Het bedrag van 1.234.567,89 euro en 123.456.789 deeltjes",
        "Rekening NL91 ABNA 0417 1643 01 (een typfout)",
        "Datum 12-03-2024 om 14:30, EAN 8711253001202",
        "Bestelling 20240312123456 van 12 maart",  # 14 digits, starts with 2, fails Luhn
    ],
)
def test_no_false_positives(text: str) -> None:
    assert pii_find(text) == []
    assert pii_mask(text) == text


def test_a_number_inside_a_longer_run_of_digits_is_not_taken_apart() -> None:
    assert pii_find("ref 99111222333 en 1112223334") == []


def test_masking_keeps_the_rest_of_the_text_exactly() -> None:
    text = "A NL91ABNA0417164300 B 4111111111111111 C 111222333 D"
    assert pii_mask(text, "█") == "A █ B █ C █ D"
