"""Placeholders in reply texts, filled in for one customer (pure Python: no Django, no database).

A placeholder is a name between braces, `{naam}`; spaces inside and capitals are tolerated
(`{ Naam }`). Anything else between braces (`{}`, `{"a": 1}`, `{ 2 personen }`, an unclosed `{naam`)
is ordinary text and stays as it is. A placeholder without a value stays visible as `[naam]`, so the
agent sees what still has to be filled in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

PLACEHOLDERS: tuple[str, ...] = ("naam", "ordernummer", "datum", "medewerker", "klantnummer")

# One word between braces, with optional spaces around it. \w is Unicode-aware, so "{naäm}" is a
# (misspelt) placeholder and gets reported, while "{na\u200bam}" (a zero-width space) is just text.
_PLACEHOLDER = re.compile(r"\{\s*(\w{1,40})\s*\}")


@dataclass(frozen=True)
class Rendered:
    text: str
    missing: tuple[str, ...]  # placeholders that had no value, in order of first appearance


def placeholders_in(template: str) -> tuple[str, ...]:
    """Every placeholder name in `template` (lower-cased), once each, in order of first appearance."""
    return tuple(dict.fromkeys(match.group(1).casefold() for match in _PLACEHOLDER.finditer(template)))


def unknown_placeholders(template: str) -> tuple[str, ...]:
    """The placeholder names in `template` that Gezien cannot fill in (e.g. a typo like `{nam}`)."""
    return tuple(name for name in placeholders_in(template) if name not in PLACEHOLDERS)


def render(template: str, values: Mapping[str, str]) -> Rendered:
    """`template` with every placeholder replaced by its value; one without a (non-blank) value becomes
    `[name]` and is listed in `missing`. Unknown names are treated as missing too (they are refused when
    a macro is saved, but an old text must still render)."""
    missing: dict[str, None] = {}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1).casefold()
        value = values.get(name, "")
        if value.strip():
            return value
        missing[name] = None
        return f"[{name}]"

    return Rendered(_PLACEHOLDER.sub(fill, template), tuple(missing))
