"""Normalise what a channel or a person types into the one form an identity is stored and matched in."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _

from gezien.core.errors import Invalid
from gezien.customers.models import IdentityKind


class InvalidIdentity(Invalid):
    """The value cannot be an identity of this kind; the message says why, in the user's language."""

    def __init__(self, message: str, *, field: str | None = "value") -> None:
        super().__init__(message, field=field)


@dataclass(frozen=True)
class NormalisedIdentity:
    kind: str
    value: str
    display: str


# Dutch postcode: 4 digits, the first not 0, then two letters; SA, SD and SS are never issued.
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Z]{2})$")
_FORBIDDEN_POSTCODE_LETTERS = {"SA", "SD", "SS"}
_HOUSE_NUMBER = re.compile(r"^[0-9]{1,5}$")
_SUFFIX = re.compile(r"^[A-Z0-9][A-Z0-9 \-]{0,9}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_CHAT_ID = re.compile(r"^[\w.@:+\-]{1,128}$")
_CUSTOMER_NUMBER = re.compile(r"^[A-Z0-9\-]{3,20}$")


def _clean(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip()


def normalise_phone(raw: str) -> NormalisedIdentity:
    # Every incoming call normalises its caller's number: parsing it costs ~0.3 ms, and the same
    # numbers call again and again. Only valid numbers are remembered (a refusal raises, in the
    # language of the moment); the result is immutable, so sharing it is safe.
    return _phone(raw, settings.PHONE_DEFAULT_REGION)


@lru_cache(maxsize=4096)
def _phone(raw: str, region: str) -> NormalisedIdentity:
    text = _clean(raw)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentity(_("Dit is geen telefoonnummer: %(value)s") % {"value": text[:40]}) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentity(_("Dit telefoonnummer bestaat niet: %(value)s") % {"value": text[:40]})
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.region_code_for_number(number) == region:
        display = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    else:
        display = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return NormalisedIdentity(IdentityKind.PHONE, e164, display)


def normalise_email(raw: str) -> NormalisedIdentity:
    text = _clean(raw)
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if not _EMAIL.match(text) or len(text) > 254:
        raise InvalidIdentity(_("Dit is geen e-mailadres: %(value)s") % {"value": text[:60]})
    local, domain = text.rsplit("@", 1)
    try:
        domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise InvalidIdentity(_("Dit is geen e-mailadres: %(value)s") % {"value": text[:60]}) from exc
    # Mailboxes are case-insensitive in practice; people type capitals in both halves.
    value = f"{local.lower()}@{domain}"
    return NormalisedIdentity(IdentityKind.EMAIL, value, value)


def normalise_address(postcode: str, house_number: str | int, suffix: str = "") -> NormalisedIdentity:
    code = re.sub(r"\s+", " ", _clean(postcode).upper())
    match = _POSTCODE.match(code)
    if not match or match.group(2) in _FORBIDDEN_POSTCODE_LETTERS:
        raise InvalidIdentity(_("Dit is geen geldige postcode (1234 AB): %(value)s") % {"value": code[:20]})
    number = _clean(str(house_number))
    if not _HOUSE_NUMBER.match(number) or int(number) == 0:
        raise InvalidIdentity(_("Dit is geen huisnummer: %(value)s") % {"value": number[:20]})
    extra = re.sub(r"\s+", " ", _clean(suffix).upper()).strip("- ")
    if extra and not _SUFFIX.match(extra):
        raise InvalidIdentity(_("Dit is geen huisnummertoevoeging: %(value)s") % {"value": extra[:20]})
    pc = f"{match.group(1)}{match.group(2)}"
    value = f"{pc}|{int(number)}|{extra}"
    display = f"{match.group(1)} {match.group(2)} {int(number)}{('-' + extra) if extra else ''}"
    return NormalisedIdentity(IdentityKind.ADDRESS, value, display)


def parse_address(raw: str) -> NormalisedIdentity:
    """Accept "1234 AB|12|A" (the stored form) or free text like "1234ab 12-a" / "1234 AB 12 bis", with
    or without spaces ("1052EP138", as people type it and as it is printed on letters)."""
    text = _clean(raw)
    if "|" in text:
        parts = [*text.split("|"), "", ""]
        return normalise_address(parts[0], parts[1], parts[2])
    match = re.match(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})[\s,]*([0-9]{1,5})(?:[\s\-]*(.*))?$", text)
    if not match:
        raise InvalidIdentity(
            _("Schrijf postcode en huisnummer als 1234 AB 12: %(value)s") % {"value": text[:30]}
        )
    return normalise_address(match.group(1) + match.group(2), match.group(3), match.group(4) or "")


def normalise_chat(raw: str) -> NormalisedIdentity:
    text = _clean(raw)
    if not _CHAT_ID.match(text):
        raise InvalidIdentity(_("Dit is geen chat- of portaal-id: %(value)s") % {"value": text[:40]})
    return NormalisedIdentity(IdentityKind.CHAT, text, text)


def normalise_customer_number(raw: str) -> NormalisedIdentity:
    text = _clean(raw).upper().replace(" ", "")
    if not _CUSTOMER_NUMBER.match(text):
        raise InvalidIdentity(_("Dit is geen klantnummer: %(value)s") % {"value": text[:20]})
    return NormalisedIdentity(IdentityKind.CUSTOMER_NUMBER, text, text)


_NORMALISERS = {
    IdentityKind.PHONE: normalise_phone,
    IdentityKind.EMAIL: normalise_email,
    IdentityKind.CHAT: normalise_chat,
    IdentityKind.CUSTOMER_NUMBER: normalise_customer_number,
    IdentityKind.ADDRESS: parse_address,
}


def normalise(kind: str, raw: str) -> NormalisedIdentity:
    """Normalise `raw` as an identity of `kind`; raise InvalidIdentity with a readable reason."""
    if not isinstance(raw, str):
        raise InvalidIdentity(_("Een identiteit is tekst."))
    try:
        normaliser = _NORMALISERS[IdentityKind(kind)]
    except ValueError as exc:
        raise InvalidIdentity(_("Onbekende soort identiteit: %(kind)s") % {"kind": str(kind)[:20]}) from exc
    if len(raw) > 320:
        raise InvalidIdentity(_("Deze identiteit is te lang."))
    return normaliser(raw)
