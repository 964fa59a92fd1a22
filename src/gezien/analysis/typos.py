"""Typos and spelling variants: a word a lexicon does not know, close to one it does.

"abbonement", "overleeden", "opzegen", "gebelt": one slip of the keyboard or of spelling should not
switch a signal off. A written word that leads nowhere in the lexicon and is not a Dutch word itself
(simplemma's dictionary) is matched to the lexicon word within a small edit distance (optimal string
alignment: insertions, deletions, substitutions and swapped neighbours), length-aware:

- words under 5 letters never match loosely ("boos" is not "boot"), 5 to 8 letters within one edit,
  9 letters and more within two (with lengths at most one apart, so "klantonvriendelijk" never
  becomes "klantvriendelijk");
- the first letter must agree (typos rarely hit it, and "morgen" is not "zorgen");
- one best candidate only: two lexicon words equally close decide nothing.

Candidates come from a deletion index (SymSpell): every lexicon word with one letter deleted, built
once when the engine loads (about 40,000 keys for Dutch); a lookup deletes up to its allowed number of
letters from the written word and reads the index, instead of comparing against every lexicon word.
Storing one deletion rather than two keeps the index a tenth of the size; two edits are then found when
at least one of them is a letter too many ("abbonement" for "abonnement", "overleeden" for
"overleden"), not two substitutions or two missing letters. Lookups are cached per word, and the
engine asks only for words that matched nothing, so a warm engine pays one dictionary lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

import simplemma

MIN_LOOSE: Final = 5  # shorter words only ever match exactly
MIN_TWO_EDITS: Final = 9  # from this length two edits are allowed
CACHE: Final = 100_000  # distinct words remembered
INDEX_DEPTH: Final = 1  # deletions stored per lexicon word (the written word gets up to two: see above)
FACTOR: Final = {1: 0.8, 2: 0.65}  # a typo match's weight relative to the exact word, by distance


def allowed(length: int) -> int:
    """Edits allowed for a word of `length` letters."""
    return 0 if length < MIN_LOOSE else 1 if length < MIN_TWO_EDITS else 2


def _deletes(word: str, depth: int) -> set[str]:
    """`word` with up to `depth` letters deleted (the word itself included)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance of `a` and `b`, or `limit + 1` once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class TypoIndex:
    """Lexicon words by their deletions, and the corrections found so far.

    `known(word)` says whether a word is a real word of the language (never corrected)."""

    __slots__ = ("_cache", "_index", "_known", "_vocabulary", "corrected")

    def __init__(self, words: Iterable[str], known: Callable[[str], bool]) -> None:
        self._vocabulary = frozenset(w for w in words if w.isalpha())
        self._known = known
        self._index: dict[str, tuple[str, ...]] = {}
        index: dict[str, list[str]] = {}
        for word in self._vocabulary:
            for variant in _deletes(word, INDEX_DEPTH) if allowed(len(word)) else ():
                index.setdefault(variant, []).append(word)
        self._index = {k: tuple(v) for k, v in index.items()}
        self._cache: dict[str, tuple[str, int] | None] = {}
        self.corrected: set[str] = set()  # every word corrected so far: a message without one skips the check

    def __len__(self) -> int:
        return len(self._index)

    def correct(self, word: str) -> tuple[str, int] | None:
        """The lexicon word `word` was meant to be and the edits between them, or None."""
        try:
            return self._cache[word]
        except KeyError:
            pass
        found = self._lookup(word)
        if len(self._cache) >= CACHE:
            self._cache.clear()
            self.corrected.clear()
        self._cache[word] = found
        if found is not None:
            self.corrected.add(word)
        return found

    def _lookup(self, word: str) -> tuple[str, int] | None:
        limit = allowed(len(word))
        if not limit or not word.isalpha() or word in self._vocabulary:
            return None
        candidates: set[str] = set()
        for variant in _deletes(word, limit):
            candidates.update(self._index.get(variant, ()))
        best: list[tuple[int, str]] = []
        for candidate in candidates:
            if candidate[0] != word[0]:
                continue
            most = min(limit, allowed(len(candidate)))
            edits = distance(word, candidate, most)
            if edits > most or (edits == 2 and abs(len(candidate) - len(word)) > 1):
                continue
            best.append((edits, candidate))
        if not best:
            return None
        best.sort()
        if len(best) > 1 and best[1][0] == best[0][0]:
            return None  # two lexicon words equally close: no guess
        if self._known(word):
            return None  # a real word that happens to be close to a lexicon word
        return best[0][1], best[0][0]


def dutch_word(word: str) -> bool:
    """Whether simplemma's Dutch dictionary knows `word` (read from its compressed form: no memory)."""
    return bool(simplemma.is_known(word, "nl", low_memory=True))
