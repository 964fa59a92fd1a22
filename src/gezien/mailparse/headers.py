"""Header values as text: 8-bit bytes and RFC 2047 encoded words, leniently.

The standard library's `email.header.decode_header` raises on a bad base64 word and leaves words it
does not like undecoded; mail in the wild has encoded words inside quotes, glued to other words, with
unknown charsets and multi-byte characters split over two words. This reader takes them all.
"""

from __future__ import annotations

import base64
import binascii
import re

from gezien.mailparse.charsets import decode

_WORD = re.compile(r"=\?([^?\s]{1,40})\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"\s*")
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FOLD = re.compile(r"\r?\n[ \t]*")


def raw_text(value: str) -> str:
    """A header value as the parser stored it (8-bit bytes as surrogates) in text, unfolded."""
    if not value.isascii():
        try:
            raw = value.encode("ascii", "surrogateescape")
        except UnicodeEncodeError:
            raw = value.encode("utf-8", "surrogateescape")
        value, _ = decode(raw, "utf-8")
    value = _FOLD.sub(" ", value)
    return _CONTROL.sub("", value).strip()


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        padded = payload + "=" * (-len(payload) % 4)
        try:
            return base64.b64decode(padded)
        except (binascii.Error, ValueError):
            try:
                return base64.b64decode(re.sub(r"[^A-Za-z0-9+/]", "", payload) + "==")
            except (binascii.Error, ValueError):
                return payload.encode("ascii", "replace")
    data = payload.replace("_", " ").encode("ascii", "replace")
    return _QP_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def decode_words(value: str) -> str:
    """`value` with every encoded word decoded; adjacent words of one charset are decoded together."""
    if "=?" not in value:
        return value
    out: list[str] = []
    pos = 0
    pending: bytes = b""
    pending_charset = ""
    for match in _WORD.finditer(value):
        between = value[pos : match.start()]
        charset, encoding, payload = match.groups()
        adjacent = pending and _BETWEEN_WORDS.fullmatch(between) is not None
        if pending and not (adjacent and charset.lower() == pending_charset):
            out.append(decode(pending, pending_charset)[0])
            pending = b""
        if not adjacent:
            out.append(between)
        elif not pending:
            pass  # whitespace between two encoded words is not shown
        pending_charset = charset.lower()
        pending += _word_bytes(encoding, payload)
        pos = match.end()
    if pending:
        out.append(decode(pending, pending_charset)[0])
    out.append(value[pos:])
    return _CONTROL.sub("", "".join(out))


def header_text(value: str) -> str:
    """A header value for people: 8-bit bytes read, encoded words decoded, one line."""
    return " ".join(decode_words(raw_text(value)).split())
