"""Numbers a customer should not have typed: IBANs, payment card numbers and Dutch citizen service
numbers (BSN), recognised by their check digits so that an order number or a phone number is not.

    from gezien.analysis.pii import pii_find, pii_mask
    pii_find("mijn rekening NL91 ABNA 0417 1643 00")  # [PiiMatch(kind="iban", start=14, end=36, ...)]
    pii_mask("mijn rekening NL91 ABNA 0417 1643 00")  # "mijn rekening [verwijderd]"

- IBAN: a country code of a country that uses IBANs, two check digits and the account, with or without
  spaces in groups of four, of that country's length, passing ISO 7064 mod 97-10.
- Card: 13 to 19 digits, in one run or in groups separated by spaces or dashes, starting as card numbers
  do (2-6), passing the Luhn check.
- BSN: nine digits (also written 1234.56.782 or 123 456 782) passing the elfproef (9·d1 + 8·d2 + ... +
  2·d8 − d9 divisible by 11, not all zeros).

A number right after a word that names an order, invoice, parcel or customer number is not taken for a
card or a BSN, whatever its check digits say. Pure: no Django, no state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, NamedTuple

PiiKind = Literal["iban", "card", "bsn"]
MASK = "[verwijderd]"

# IBAN lengths per country (ISO 13616 registry; the countries a Dutch desk meets, and more).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24,
    "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21,
    "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21,
    "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30,
    "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}  # fmt: skip

# Words that make a number an order, invoice, parcel, article or customer number, not a card or a BSN.
_NOT_PERSONAL = re.compile(
    r"(?:\b(?:order|bestel|factuur|invoice|zending|pakket|parcel|track|referentie|reference|kenmerk|"
    r"klantnummer|klantnr|artikel|ean|barcode|contract|dossier|ticket|polis|tel|telefoon|mobiel|phone)|#)"
    r"[\w.&-]*[\s:.#&-]*(?:nummer|nr\.?|no\.?|number|id|code|trace)?(?:\s+(?:is|was|luidt|=))?[\s:.#-]*$",
    re.IGNORECASE,
)
_CONTEXT_CHARS = 30

_IBAN = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30})(?![A-Za-z0-9])")
_CARD = re.compile(r"(?<![\d+-])([2-6]\d{3}(?:[ -]?\d){9,15})(?![\d-])")
_BSN = re.compile(
    r"(?<![\d+.,-])(\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}([ .])\d{3}\2\d{3}|\d{4} \d{2} \d{3})(?![\d-]|[.,]\d)"
)


class PiiMatch(NamedTuple):
    kind: PiiKind
    start: int
    end: int
    text: str


def iban_valid(value: str) -> bool:
    """Whether `value` (spaces allowed, any case) is an IBAN of a known country with its length and
    correct check digits (ISO 7064 mod 97-10)."""
    compact = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", compact):
        return False
    if IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def luhn_valid(value: str) -> bool:
    """Whether the digits of `value` (spaces and dashes allowed) pass the Luhn check."""
    digits = [int(ch) for ch in value if ch.isdigit()]
    if len(digits) < 2 or any(not (ch.isdigit() or ch in " -") for ch in value):
        return False
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def bsn_valid(value: str) -> bool:
    """Whether `value` (dots and spaces allowed) is nine digits passing the elfproef."""
    digits = [int(ch) for ch in value if ch.isdigit()]
    if len(digits) != 9 or any(not (ch.isdigit() or ch in " .") for ch in value) or not any(digits):
        return False
    total = sum(weight * digit for weight, digit in zip(range(9, 1, -1), digits[:8], strict=True))
    return (total - digits[8]) % 11 == 0


def _named_otherwise(text: str, start: int) -> bool:
    """Whether the words just before `start` say the number is an order, invoice or phone number."""
    return bool(_NOT_PERSONAL.search(text[max(0, start - _CONTEXT_CHARS) : start]))


def _card_shaped(candidate: str) -> bool:
    """One run of digits, or groups of digits all separated by the same separator."""
    separators = set(re.sub(r"\d", "", candidate))
    return len(separators) <= 1


def pii_find(text: str) -> list[PiiMatch]:
    """Every IBAN, card number and BSN in `text`, in order, none overlapping (an IBAN wins)."""
    found: list[PiiMatch] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _IBAN.finditer(text):
        # Try the longest run first, then shorter ones: "NL91 ABNA 0417 1643 00 graag" is matched whole.
        for end in range(match.end(1), match.start(1) + 14, -1):
            piece = text[match.start(1) : end]
            if piece.endswith(" "):
                continue
            if iban_valid(piece):
                found.append(PiiMatch("iban", match.start(1), end, piece))
                taken.append((match.start(1), end))
                break
    for match in _CARD.finditer(text):
        start, end = match.span(1)
        candidate = match.group(1)
        digits = sum(ch.isdigit() for ch in candidate)
        if (
            13 <= digits <= 19
            and _card_shaped(candidate)
            and luhn_valid(candidate)
            and free(start, end)
            and not _named_otherwise(text, start)
        ):
            found.append(PiiMatch("card", start, end, candidate))
            taken.append((start, end))
    for match in _BSN.finditer(text):
        start, end = match.span(1)
        candidate = match.group(1)
        if bsn_valid(candidate) and free(start, end) and not _named_otherwise(text, start):
            found.append(PiiMatch("bsn", start, end, candidate))
            taken.append((start, end))
    return sorted(found, key=lambda m: m.start)


def spans_mask(text: str, spans: Iterable[tuple[int, int]], mask: str = MASK) -> str:
    """`text` with each (start, end) span replaced by `mask` (overlapping spans merged)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[str] = []
    at = 0
    for start, end in merged:
        pieces += [text[at:start], mask]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def pii_mask(text: str, mask: str = MASK) -> str:
    """`text` with every IBAN, card number and BSN replaced by `mask`."""
    return spans_mask(text, ((m.start, m.end) for m in pii_find(text)), mask)
