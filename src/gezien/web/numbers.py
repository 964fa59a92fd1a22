"""Numbers as the reader's language writes them: 1,5 and 1.234 in Dutch, 1.5 and 1,234 in English.

Every figure the desk shows goes through Django's localisation (`number_format`, the active language's
formats), never through a hand-written decimal comma, so the English desk shows English numbers."""

from __future__ import annotations

from django.utils.formats import number_format


def decimal(value: float, places: int = 1) -> str:
    """0.65 -> "0,7" (nl) / "0.7" (en), with thousands grouped."""
    return number_format(round(float(value), places), places, force_grouping=True)


def trimmed(value: float, places: int = 2) -> str:
    """At most `places` decimals and no trailing zeros: 1.50 -> "1,5", 2.0 -> "2"."""
    v = round(float(value), places)
    if v == int(v):
        return count(int(v))
    text = f"{v:.{places}f}".rstrip("0")
    return decimal(v, len(text.split(".")[1]))


def count(value: float) -> str:
    """1234 -> "1.234" (nl) / "1,234" (en)."""
    return number_format(int(value), 0, force_grouping=True)


def percent(value: float, places: int = 0) -> str:
    """A share 0..1 as a percentage: 0.425 -> "43%"; with places=1 "42,5%"."""
    return f"{decimal(100 * float(value), places)}%"


def signed(value: float, places: int = 2) -> str:
    """+0,12 / -0,12 (a minus sign for negatives, a plus for positives)."""
    v = round(float(value), places)
    sign = "+" if v > 0 else "-" if v < 0 else "±"
    return sign + decimal(abs(v), places)
