"""Subjects for threading: the normalised subject and the contact token (`[#1234]`)."""

from __future__ import annotations

import re

# Reply and forward prefixes in the languages customers write (Dutch and English first), with the
# counters some clients add ("Re[2]:", "RE (3):"), and list tags ("[klanten]") before or between them.
_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|antw|antwoord|doorst|wg|aw|tr|sv|vs|rv|enc|ref|rif|odp|ynt|r)"
    r"\s*(?:\[\d{1,4}\]|\(\d{1,4}\))?\s*[:：]|\[[^\]\n]{0,60}\])\s*",
    re.IGNORECASE,
)
_TAG = re.compile(r"\[[^\]\n]{0,60}\]")


def normalise_subject(subject: str) -> str:
    """The subject without reply/forward prefixes, list tags or tokens, in lower case, spaces collapsed."""
    text = subject or ""
    for _ in range(50):
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _TAG.sub(" ", text)
    return " ".join(text.split()).lower()


def _token_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(r"\[\s*" + re.escape(prefix) + r"\s*(\d{1,12})\s*\]")


def subject_token(subject: str, prefix: str = "#") -> int | None:
    """The contact number in a token like `[#1234]` in the subject, or None."""
    match = _token_pattern(prefix).search(subject or "")
    return int(match.group(1)) if match else None


def token_subject(subject: str, number: int, prefix: str = "#") -> str:
    """`subject` with the token `[#number]` at its end, added once."""
    text = " ".join((subject or "").split())
    if any(int(found) == number for found in _token_pattern(prefix).findall(text)):
        return text
    return f"{text} [{prefix}{number}]".strip()
