"""An excerpt of a conversation anonymised for the customer, for the library of good examples: the
customer's names, e-mail addresses, phone numbers, postcodes, IBANs (and card numbers, BSNs), street
addresses and customer numbers are replaced by a placeholder ("[naam]", "[e-mail]", ...).

Two passes: what the desk knows of this customer (their first and last name, the identities the contact
came in with or the customer has: e-mail, phone, postcode, customer number) is removed wherever it occurs;
then patterns catch what was never stored (an e-mail, a phone number, a Dutch postcode, an IBAN through
`analysis.pii`, a street with a house number, a name after "mevrouw", "meneer", "de heer", "dhr.", "mw.").
The agent's own words and name stay: the example is about how they spoke."""

from __future__ import annotations

import re
from collections.abc import Iterable

import phonenumbers

from gezien.analysis.pii import pii_find

NAME = "[naam]"
EMAIL = "[e-mail]"
PHONE = "[telefoon]"
POSTCODE = "[postcode]"
ACCOUNT = "[rekeningnummer]"
ADDRESS = "[adres]"
NUMBER = "[klantnummer]"

_EMAIL = re.compile(r"[\w.+\-]{1,64}@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# "1234 AB", "1234AB" or "1234ab" (with a space only in capitals: "2024 nu" is a year).
_POSTCODE = re.compile(r"(?<![\w])[1-9][0-9]{3}(?:\s?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})(?![\w])")
_STREET = re.compile(
    r"(?<![\w])(?:[A-Z][\w'\-]*\s)*[A-Z]?[\w'\-]*(?:straat|laan|weg|plein|gracht|kade|singel|dijk|pad|hof|"
    r"steeg|dreef|park|markt|burgwal|wal|kanaal|erf|zoom|veld)\s+\d{1,5}(?:\s?[a-zA-Z](?![\w]))?(?:\s?-\s?\d{1,4})?",
    re.UNICODE,
)
_TUSSEN = r"(?:(?:van|de|der|den|het|ten|ter|te|in|'t|van't|la|le|du|d')\s+){0,3}"
_TITLED = re.compile(
    r"\b(?:mevrouw|meneer|mevr\.?|mw\.?|dhr\.?|de\s+heer|heer|mr\.?|mrs\.?|ms\.?)\s+"
    r"(" + _TUSSEN + r"[A-Z][\w'\-]+(?:\s+[A-Z][\w'\-]+)?)",
    re.UNICODE | re.IGNORECASE,
)
_PHONE_LIKE = re.compile(r"[+\d][\d \-()]*")
_CUSTOMER_NUMBER = re.compile(r"(?i)\b(?:klantnummer|klantnr\.?|customer number)\s*:?\s*([A-Z0-9\-]{3,20})\b")


def _known_spans(text: str, known: Iterable[str]) -> list[tuple[int, int, str]]:
    spans = []
    for value, placeholder in _classified(known):
        for match in re.finditer(r"(?<![\w])" + re.escape(value) + r"(?![\w])", text, re.IGNORECASE):
            spans.append((match.start(), match.end(), placeholder))
    return spans


def _classified(known: Iterable[str]) -> list[tuple[str, str]]:
    """Each known value (at least two characters) with its placeholder, the longest first."""
    found = []
    for value in {v.strip() for v in known if v and len(v.strip()) >= 2}:
        if "@" in value:
            found.append((value, EMAIL))
        elif _POSTCODE.fullmatch(value):
            found.append((value, POSTCODE))
        elif _PHONE_LIKE.fullmatch(value) and sum(c.isdigit() for c in value) >= 6:
            found.append((value, PHONE))
        elif any(c.isdigit() for c in value):
            found.append((value, NUMBER))
        else:
            found.append((value, NAME))
    return sorted(found, key=lambda item: -len(item[0]))


def _pattern_spans(text: str, region: str) -> list[tuple[int, int, str]]:
    spans = [(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(text)]
    spans += [(m.start, m.end, ACCOUNT) for m in pii_find(text)]
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
        spans.append((match.start, match.end, PHONE))
    spans += [(m.start(), m.end(), ADDRESS) for m in _STREET.finditer(text)]
    spans += [(m.start(), m.end(), POSTCODE) for m in _POSTCODE.finditer(text)]
    spans += [(m.start(1), m.end(1), NAME) for m in _TITLED.finditer(text)]
    spans += [(m.start(1), m.end(1), NUMBER) for m in _CUSTOMER_NUMBER.finditer(text)]
    return spans


def anonymise(text: str, *, known: Iterable[str] = (), region: str = "NL") -> str:
    """`text` with the customer's known names and identities (`known`) and every e-mail address, phone
    number, postcode, IBAN, card number, BSN, street address and titled name replaced by a placeholder."""
    spans = _known_spans(text, known) + _pattern_spans(text, region)
    if not spans:
        return text
    # Where spans overlap the first (then the longest) wins and the others merge into it.
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    merged: list[tuple[int, int, str]] = []
    for start, end, placeholder in spans:
        if merged and start < merged[-1][1]:
            first, last, kept = merged[-1]
            merged[-1] = (first, max(last, end), kept)
        else:
            merged.append((start, end, placeholder))
    pieces = []
    at = 0
    for start, end, placeholder in merged:
        pieces += [text[at:start], placeholder]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
