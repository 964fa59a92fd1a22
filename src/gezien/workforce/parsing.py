"""Reading a staffing question as people type it: `30m`, `1h`, `180s`, `80/20`, `30%`.

The messages are Dutch: they go straight to the person at the command line (`gezien staffing`).
"""

from __future__ import annotations

import math
import re

_UNITS = {"s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "u": 3600.0, "uur": 3600.0}
_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*(uur|min|sec|h|u|m|s)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def parse_duration(text: str, *, name: str = "duur", bare_unit: str | None = None) -> float:
    """Seconds in `30m`, `15m`, `1h`, `1u`, `1h30m`, `180s`, `3m`, `2,5m`. A bare number counts in
    `bare_unit` when one is given ("s" for the seconds of a target), and is refused otherwise."""
    cleaned = text.strip().lower()
    if bare_unit is not None and _NUMBER.fullmatch(cleaned):
        cleaned += bare_unit
    position, seconds = 0, 0.0
    for part in _PART.finditer(cleaned):
        if cleaned[position : part.start()].strip():
            break
        seconds += float(part.group(1).replace(",", ".")) * _UNITS[part.group(2)]
        position = part.end()
    if position == 0 or cleaned[position:].strip():
        raise ValueError(
            f"ongeldige waarde voor {name}: {text!r}; geef een getal met een eenheid, "
            "bijvoorbeeld 30m, 15m, 1h of 180s"
        )
    return seconds


def parse_percentage(text: str, *, name: str, allow_hundred: bool = False) -> float:
    """A fraction from `30%` or `30` (a percentage either way): 0.3."""
    cleaned = text.strip().removesuffix("%").strip()
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"ongeldig percentage voor {name}: {text!r} (bijvoorbeeld 30%)")
    value = float(cleaned.replace(",", "."))
    if value > 100 or (value == 100 and not allow_hundred):
        top = "100" if allow_hundred else "onder 100"
        raise ValueError(f"{name} moet tussen 0 en {top} procent liggen, niet {text!r}")
    return value / 100.0


def parse_target(text: str) -> tuple[float, float]:
    """(service level, seconds) from `80/20`: 80% within 20 seconds; `80%/20s` and `90/1m` too."""
    level, separator, within = text.partition("/")
    if not separator:
        raise ValueError(f"ongeldig doel {text!r}: schrijf percentage/seconden, bijvoorbeeld 80/20")
    share = parse_percentage(level, name="het doel")
    return share, parse_duration(within, name="doeltijd", bare_unit="s")


def parse_amount(text: str, *, name: str) -> float:
    """A number of contacts per interval, `100` or `12,5`."""
    cleaned = text.strip()
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"ongeldig aantal voor {name}: {text!r} (bijvoorbeeld 100)")
    value = float(cleaned.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(f"ongeldig aantal voor {name}: {text!r}")
    return value


def parse_concurrency(text: str) -> int:
    """Contacts one agent handles at once: a whole number from 1 to 20."""
    cleaned = text.strip()
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= 20:
        raise ValueError(f"ongeldige gelijktijdigheid {text!r}: een geheel getal van 1 tot en met 20")
    return int(cleaned)
