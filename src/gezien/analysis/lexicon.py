"""Lexicons: TSV data files of patterns that raise signals, compiled into a token index.

A line is `pattern<TAB>signal<TAB>weight`; lines starting with `#` are comments (each file starts with
its source and licence). A pattern is space-separated elements:

- `word`   a token whose lowercase form or simplemma lemma is `word`
- `word*`  a token that starts with `word` (Dutch compounds: `kutbedrijf`)
- `<num>`  a number (digits or a number word), `<ord>` an ordinal (`vijfde`, `5e`, `fifth`, `5th`)
- `*`      a gap of zero to two tokens, between two other elements

Shipped lexicons live in `lexicons/{common,nl,en}/*.tsv`; an organisation adds its own directories
with the same layout (later files override the weight of an identical pattern and signal; weight 0
switches an entry off).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from gezien.analysis.native import HERE
from gezien.analysis.register import is_address, register_slot
from gezien.analysis.result import ACTS, EMOTIONS, LIFE_EVENTS

SHIPPED: Final = HERE / "lexicons"  # not this module's __file__: compiled, it loads from _native/
LANGS: Final = ("nl", "en")

CONTENT_SIGNALS: Final = frozenset(
    {*EMOTIONS, *LIFE_EVENTS, *ACTS, "sentiment", "abuse", "profanity", "churn", "repeat", "dehumanising"}
)
MODIFIER_SIGNALS: Final = frozenset({"negator", "intensifier", "diminisher", "contrast", "target", "counter"})
REGISTER_SIGNALS: Final = frozenset({"formal", "informal"})
SIGNALS: Final = CONTENT_SIGNALS | MODIFIER_SIGNALS | REGISTER_SIGNALS
GAP: Final = "*"
CONTENT: Final = 0  # Entry.kind
ACT: Final = 1
MODIFIER: Final = 2
REGISTER: Final = 3
NUM: Final = "<num>"
ORD: Final = "<ord>"


class LexiconError(ValueError):
    """A lexicon line that cannot be used; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Entry:
    elements: tuple[str, ...]
    signal: str
    weight: float
    rule: str
    is_phrase: bool = False
    kind: int = CONTENT  # what the scorer does with it (CONTENT, ACT, MODIFIER, REGISTER), decided once
    register_slot: int = 0  # a register cue's sum in register.decide_sums, decided once

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_phrase", len(self.elements) > 1)
        kind = (
            REGISTER
            if self.signal in REGISTER_SIGNALS
            else MODIFIER
            if self.signal in MODIFIER_SIGNALS
            else ACT
            if self.signal in ACTS
            else CONTENT
        )
        object.__setattr__(self, "kind", kind)
        if kind == REGISTER:
            object.__setattr__(self, "register_slot", register_slot(self.signal, is_address(self.elements)))


class Node:
    """A state in the trie of patterns: what may come next, and the entries that end here."""

    __slots__ = ("ends", "gap", "leaf", "memo", "prefixes", "special", "words")

    def __init__(self) -> None:
        self.leaf = True  # nothing can follow: the common case, checked before any lookup
        self.gap: Node | None = None  # the state after a gap, when a gap may follow
        self.memo: dict[str, tuple[Node, ...]] = {}  # next word -> the children it matches
        self.words: dict[str, Node] = {}  # next token's form or lemma
        self.prefixes: dict[str, Node] = {}  # next token starts with
        self.special: dict[str, Node] = {}  # <num>, <ord>, or a gap
        self.ends: list[Entry] = []

    def child(self, element: str) -> Node:
        if element in (NUM, ORD, GAP):
            table, key = self.special, element
        elif element.endswith("*") and len(element) > 1:
            table, key = self.prefixes, element[:-1]
        else:
            table, key = self.words, element
        node = table.get(key)
        if node is None:
            node = table[key] = Node()
            self.leaf = False
            if element == GAP:
                self.gap = node
        return node


@dataclass(slots=True)
class Lexicon:
    """All entries of one language (its own files plus `common/`) as a trie over tokens; emoji and
    emoticons apart, since they are found in the raw text."""

    lang: str
    root: Node = field(default_factory=Node)  # every entry: for agents' texts
    customer_root: Node = field(default_factory=Node)  # without agent acts: for customers' texts
    symbols: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    targets: list[str] = field(default_factory=list)

    def add(self, entry: Entry) -> None:
        first = entry.elements[0]
        if not any(c.isalnum() for c in first):
            self.symbols[first].append(entry)
            return
        for root in (self.root, self.customer_root) if entry.signal not in ACTS else (self.root,):
            node = root
            for element in entry.elements:
                node = node.child(element)
            node.ends.append(entry)
        if entry.signal == "target" and not entry.is_phrase:
            self.targets.append(first)


def parse_line(line: str, where: str) -> tuple[tuple[str, ...], str, float] | None:
    """The (elements, signal, weight) of a lexicon line, None for comments and blank lines."""
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    parts = line.rstrip("\r\n").split("\t")
    if len(parts) not in (2, 3):
        raise LexiconError(f"{where}: expected pattern<TAB>signal<TAB>weight, got {len(parts)} column(s)")
    pattern, signal = parts[0].strip(), parts[1].strip()
    elements = tuple(pattern.split()) if any(c.isalnum() for c in pattern) else (pattern,)
    if signal not in SIGNALS:
        raise LexiconError(f"{where}: unknown signal {signal!r}")
    if not elements or elements[0] == GAP or elements[-1] == GAP:
        raise LexiconError(f"{where}: a pattern cannot be empty or start or end with a gap")
    try:
        weight = float(parts[2]) if len(parts) == 3 and parts[2].strip() else 1.0
    except ValueError:
        raise LexiconError(f"{where}: weight {parts[2]!r} is not a number") from None
    if weight != weight or abs(weight) > 5:
        raise LexiconError(f"{where}: weight {weight} out of range")
    return tuple(e.lower() if e not in (NUM, ORD) else e for e in elements), signal, weight


def read_dir(root: Path, lang: str, origin: str) -> Iterable[tuple[tuple[str, ...], str, float, str]]:
    for sub in ("common", lang):
        for path in sorted((root / sub).glob("*.tsv")):
            with path.open(encoding="utf-8") as fh:
                for number, line in enumerate(fh, 1):
                    parsed = parse_line(line, f"{path}:{number}")
                    if parsed:
                        elements, signal, weight = parsed
                        rule = f"{origin}{sub}/{path.stem}:{' '.join(elements)}"
                        yield elements, signal, weight, rule


def fingerprint(extra_dirs: Iterable[Path] = ()) -> str:
    """A short hash of every lexicon file that would be loaded: changes when any entry changes."""
    digest = hashlib.sha256()
    for root in [SHIPPED, *extra_dirs]:
        for path in sorted(Path(root).glob("*/*.tsv")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load(lang: str, extra_dirs: Iterable[Path] = ()) -> Lexicon:
    """The lexicon of `lang`: shipped files, then each extra directory overriding identical entries."""
    merged: dict[tuple[tuple[str, ...], str], tuple[float, str]] = {}
    for root, origin in [(SHIPPED, ""), *((Path(d), "org:") for d in extra_dirs)]:
        for elements, signal, weight, rule in read_dir(root, lang, origin):
            merged[(elements, signal)] = (weight, rule)
    lexicon = Lexicon(lang)
    for (elements, signal), (weight, rule) in merged.items():
        if weight:
            lexicon.add(Entry(elements, signal, weight, rule))
    return lexicon
