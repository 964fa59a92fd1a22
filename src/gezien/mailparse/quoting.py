"""`split_quote`: a mail's new words apart from the quoted history and the signature.

The desk shows the body and folds the rest away (one click shows it all), so the rule is to fold only
what is surely not new: the history under a reply header ("Op ... schreef ...:", "On ... wrote:", an
Outlook "Van: / Verzonden: / Aan: / Onderwerp:" block, "-----Original Message-----", a forwarded
message), a trailing block of "> " lines, a signature after "-- ", a mobile footer, or a closing
("Met vriendelijke groet," and the like) followed by a short block. Replies written between quoted
lines stay whole, and when nothing would be left the whole text is the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QuoteSplit:
    body: str
    quoted: str = ""
    signature: str = ""


_LINE_LIMIT = 4000  # lines looked at for a reply header; a longer mail keeps the rest in the body
_WROTE = re.compile(
    r"^\s*(?:op|on|am|le|el|il)\b.{4,300}?"
    r"\b(?:schreef|geschreven|wrote|schrieb|a écrit|escribió|ha scritto)\b.{0,200}:\s*$",
    re.IGNORECASE,
)
# A reply header names a time or an address; "Op 3 februari schreef ik u:" written by a customer does not.
_HEADER_EVIDENCE = re.compile(r"\d{1,2}[:.]\d{2}|@")
_WROTE_START = re.compile(r"^\s*(?:op|on)\s.{0,200}$", re.IGNORECASE)
_SEPARATOR = re.compile(
    r"^\s*[-=_*]{2,}\s*(?:original message|oorspronkelijk bericht|origineel bericht"
    r"|oorspronkelijk e-?mailbericht|forwarded message|doorgestuurd bericht|begin forwarded message"
    r"|ursprüngliche nachricht"
    r"|weitergeleitete nachricht|message d'origine|reply above this line)\s*[-=_*]*\s*$",
    re.IGNORECASE,
)
_FORWARD_START = re.compile(
    r"^\s*(?:begin forwarded message|begin doorgestuurd bericht)\s*:\s*$", re.IGNORECASE
)
_FIELD_FROM = re.compile(r"^\s*\**(?:van|from|von|de)\s*:\**\s*\S", re.IGNORECASE)
_FIELD_OTHER = re.compile(
    r"^\s*\**(?:verzonden|sent|datum|date|gesendet|envoyé|aan|to|an|à|onderwerp|subject|betreff|objet|cc)\s*:",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_QUOTED = re.compile(r"^\s*>")
_DASHES = re.compile(r"^--\s?$")
_MOBILE = re.compile(
    r"^\s*(?:(?:verzonden|verstuurd|gestuurd|sent|envoyé|gesendet)\s+(?:vanaf|vanuit|van|met|from|with|via|de|von|mit)"
    r"\s+(?:mijn|my|mon|meinem|de|het|the|een|an?)?\s*.{0,60}|get outlook for \S+|outlook voor \S+ downloaden"
    r"|download outlook for \S+)\s*$",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^\s*(?:(?:met\s+)?(?:vriendelijke|hartelijke|beste|warme|zonnige|sportieve|lieve)\s+groet(?:en|jes)?"
    r"|m\.?\s?v\.?\s?g\.?|mvg|gr\.?|groet(?:en|jes)?|met groet|doei|liefs|dank en groet|alvast bedankt"
    r"|bij voorbaat dank|(?:kind|best|warm|warmest|many)\s+regards|regards|best|cheers|thanks|thank you"
    r"|sincerely|yours sincerely|yours truly|best wishes)"
    r"\s*[,.!]*(?:\s+[^\W\d_][\w'.-]*(?:\s+[^\W\d_][\w'.-]*){0,3}[,.]?)?\s*$",
    re.IGNORECASE,
)
_POSTSCRIPT = re.compile(r"^\s*p\.?\s?s\.?\b", re.IGNORECASE)
_SIGNATURE_LINES = 8
_SIGNATURE_WIDTH = 80


def split_quote(text: str) -> QuoteSplit:
    """The new words of a mail, the quoted history under them, and the signature of the new words."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _quote_start(lines)
    head, quoted = lines[:cut], lines[cut:]
    sign = _signature_start(head)
    body, signature = head[:sign], head[sign:]
    body_text = "\n".join(body).strip("\n").rstrip()
    if not body_text.strip():  # only a closing above the quote: the closing is the body
        body_text, signature = "\n".join(head).strip("\n").rstrip(), []
    if not body_text.strip():
        return QuoteSplit(body=(text or "").strip("\n").rstrip())
    return QuoteSplit(
        body=body_text,
        quoted="\n".join(quoted).strip("\n").rstrip(),
        signature="\n".join(signature).strip("\n").rstrip(),
    )


def _quote_start(lines: list[str]) -> int:
    """Index of the first line of the quoted history (len(lines) when there is none)."""
    end = min(len(lines), _LINE_LIMIT)
    for index in range(end):
        line = lines[index]
        if len(line) > 1000 or not line.strip():
            continue
        if _SEPARATOR.match(line) or _FORWARD_START.match(line):
            return index
        if _UNDERSCORES.match(line) and _is_header_block(lines, index + 1):
            return index
        if _FIELD_FROM.match(line) and _is_header_block(lines, index):
            return index
        if _WROTE.match(line) and _HEADER_EVIDENCE.search(line) and _history_follows(lines, index + 1):
            return index
        if _WROTE_START.match(line):  # "On Mon, 3 Jan 2022 at 10:00, Piet <piet@" / "wrote:" over lines
            for taken in (2, 3):
                joined = " ".join(part.strip() for part in lines[index : index + taken])
                if (
                    _WROTE.match(joined)
                    and _HEADER_EVIDENCE.search(joined)
                    and lines[index + taken - 1].rstrip().endswith(":")
                ):
                    if _history_follows(lines, index + taken):
                        return index
                    break
        if _QUOTED.match(line) and _only_quotes_follow(lines, index):
            return index
    return len(lines)


def _is_header_block(lines: list[str], start: int) -> bool:
    """An Outlook-style block: a From/Van line and, within the next lines, Sent/Verzonden and To/Subject."""
    window = [line for line in lines[start : start + 10] if line.strip()][:6]
    if not window or not _FIELD_FROM.match(window[0]):
        return False
    return sum(1 for line in window[1:] if _FIELD_OTHER.match(line)) >= 2


def _history_follows(lines: list[str], start: int) -> bool:
    """After a reply header: history, not a bottom-posted answer after a short quote."""
    rest = lines[start:]
    quoted_seen = False
    for line in rest:
        if not line.strip():
            continue
        if _QUOTED.match(line):
            quoted_seen = True
        elif quoted_seen and not _is_trailer(line):
            return False  # new words after the quote: a reply written under or between the quote
        elif not quoted_seen:
            return True  # unquoted history (Outlook, Gmail's HTML turned into text)
    return True


def _is_trailer(line: str) -> bool:
    return bool(_DASHES.match(line) or _MOBILE.match(line) or _CLOSING.match(line))


def _only_quotes_follow(lines: list[str], start: int) -> bool:
    """From here on only quoted lines, blank lines or a short signature: a trailing quote."""
    unquoted = [line for line in lines[start:] if line.strip() and not _QUOTED.match(line)]
    if not unquoted:
        return True
    return len(unquoted) <= _SIGNATURE_LINES and _is_trailer(unquoted[0])


def _signature_start(lines: list[str]) -> int:
    """Index where the signature of the new words begins (len(lines) when there is none)."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    total = len(lines)
    first = max(0, total - 40)
    for index in range(first, total):
        if _DASHES.match(lines[index]) and _short_block(lines[index + 1 :], 20):
            return index
    for index in range(total - 1, max(-1, total - 4), -1):
        if _MOBILE.match(lines[index]) and not any(
            line.strip() for line in lines[index + 1 :] if not _MOBILE.match(line)
        ):
            start = index
            while start > 0 and (_MOBILE.match(lines[start - 1]) or not lines[start - 1].strip()):
                start -= 1
            closing = _closing_before(lines, start)
            return closing if closing is not None else start
    closing = _closing_before(lines, total)
    return closing if closing is not None else total


def _closing_before(lines: list[str], end: int) -> int | None:
    """The last closing line ("Met vriendelijke groet,") before `end` followed only by a short block."""
    for index in range(end - 1, max(-1, end - _SIGNATURE_LINES - 2), -1):
        if _CLOSING.match(lines[index]) and len(lines[index]) <= _SIGNATURE_WIDTH:
            if _short_block(lines[index + 1 : end], _SIGNATURE_LINES):
                return index
            return None
    return None


def _short_block(lines: list[str], limit: int) -> bool:
    filled = [line for line in lines if line.strip()]
    if any(_POSTSCRIPT.match(line) for line in filled):
        return False  # a P.S. under the name is new words, not a signature
    return len(filled) <= limit and all(len(line) <= _SIGNATURE_WIDTH for line in filled)
