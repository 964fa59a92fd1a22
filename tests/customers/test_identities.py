import pytest
from hypothesis import given
from hypothesis import strategies as st

from gezien.customers.identities import InvalidIdentity, normalise, normalise_address


@pytest.mark.parametrize(
    "raw",
    [
        "06-12345678",
        "0612345678",
        "06 1234 5678",
        "+31 6 12345678",
        "+31612345678",
        "0031612345678",
        "(06) 12345678",
    ],
)
def test_dutch_mobile_numbers_written_any_way_become_one_e164(raw: str) -> None:
    assert normalise("phone", raw).value == "+31612345678"


def test_landline_keeps_area_code_and_displays_nationally() -> None:
    identity = normalise("phone", "020-1234567")
    assert identity.value == "+31201234567"
    assert identity.display == "020 123 4567"


def test_foreign_number_is_kept_international() -> None:
    identity = normalise("phone", "+32 470 12 34 56")
    assert identity.value == "+32470123456"
    assert identity.display.startswith("+32")


@pytest.mark.parametrize("raw", ["12345", "bel me", "06-1234", "+31 6 1234 56789 0"])
def test_impossible_phone_numbers_are_refused_with_a_reason(raw: str) -> None:
    with pytest.raises(InvalidIdentity) as exc:
        normalise("phone", raw)
    assert "telefoonnummer" in exc.value.message


def test_email_is_case_folded_and_trimmed() -> None:
    assert normalise("email", "  J.Jansen@Ziggo.NL ").value == "j.jansen@ziggo.nl"
    assert normalise("email", "<piet@voorbeeld.nl>").value == "piet@voorbeeld.nl"


@pytest.mark.parametrize("raw", ["geen-mail", "a@b", "two@@at.nl", "spatie in@adres.nl"])
def test_malformed_email_is_refused(raw: str) -> None:
    with pytest.raises(InvalidIdentity):
        normalise("email", raw)


@pytest.mark.parametrize(
    ("raw", "value", "display"),
    [
        ("1234 AB|12|", "1234AB|12|", "1234 AB 12"),
        ("1234ab 12", "1234AB|12|", "1234 AB 12"),
        ("1234 ab 12-a", "1234AB|12|A", "1234 AB 12-A"),
        ("1052EP138", "1052EP|138|", "1052 EP 138"),
        ("1052ep138a", "1052EP|138|A", "1052 EP 138-A"),
        ("1052 EP138", "1052EP|138|", "1052 EP 138"),
        ("9999 ZZ|3|bis", "9999ZZ|3|BIS", "9999 ZZ 3-BIS"),
    ],
)
def test_postcode_and_house_number_are_normalised(raw: str, value: str, display: str) -> None:
    identity = normalise("address", raw)
    assert (identity.value, identity.display) == (value, display)


@pytest.mark.parametrize(
    "postcode", ["0123 AB", "1234 SA", "1234 SD", "1234 SS", "123 AB", "1234 A1", "ABCD EF"]
)
def test_postcodes_that_cannot_exist_are_refused(postcode: str) -> None:
    with pytest.raises(InvalidIdentity):
        normalise_address(postcode, "1")


def test_house_number_must_be_a_number() -> None:
    with pytest.raises(InvalidIdentity):
        normalise_address("1234 AB", "twaalf")
    with pytest.raises(InvalidIdentity):
        normalise_address("1234 AB", "0")


def test_unknown_identity_kind_is_refused() -> None:
    with pytest.raises(InvalidIdentity):
        normalise("fax", "020-1234567")


@given(
    digits=st.integers(min_value=1000, max_value=9999),
    letters=st.text(alphabet="ABCDEFGHIJKLMNOPQRTUVWXYZ", min_size=2, max_size=2),
    number=st.integers(min_value=1, max_value=99999),
    spaced=st.booleans(),
    lower=st.booleans(),
)
def test_any_valid_postcode_round_trips_through_its_stored_form(
    digits: int, letters: str, number: int, spaced: bool, lower: bool
) -> None:
    code = f"{digits}{' ' if spaced else ''}{letters.lower() if lower else letters}"
    first = normalise_address(code, str(number))
    again = normalise("address", first.value)
    assert again.value == first.value == f"{digits}{letters}|{number}|"


@given(st.text(max_size=60))
def test_any_text_either_normalises_or_gives_a_clear_error(text: str) -> None:
    for kind in ("phone", "email", "chat", "customer_number", "address"):
        try:
            normalise(kind, text)
        except InvalidIdentity as exc:
            assert exc.message
