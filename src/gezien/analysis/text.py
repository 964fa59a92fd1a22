"""Tokens with offsets, language detection, lemmas, numbers: the shared first pass over a text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from itertools import accumulate
from typing import Final, Literal

import simplemma

# Words (with inner apostrophes and hyphens: don't, z'n, e-mail), runs of sentence punctuation, and
# line breaks; everything else (spaces, symbols, emoji) falls between tokens.
TOKEN_RE: Final = re.compile(r"\w+(?:['’-]\w+)*|[.!?;:,]+|\n")
TOKEN_SPLIT: Final = re.compile(f"({TOKEN_RE.pattern})")  # the same tokens, captured: re.split keeps them


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words in capitals (at least three letters) for shouting; a few everyday acronyms are not shouting.
CAPS_RE: Final = re.compile(r"\b[A-ZÀ-ÖØ-Þ]{3,}\b")
ACRONYMS: Final = _words(
    "KPN SMS IBAN BTW PDF BSN CEO ICT NOS ANWB UWV DUO CJIB ING ABN AMRO RABO ASN SNS WIFI USB TV DVD "
    "FAQ NPS GSM SIM PIN ESIM BV NV VVE AOW WW WMO GGD AED CV WC LOL OMG ASAP CET APP API HTML PS ETA "
    "ADSL DSL UPS DHL GLS DPD USA NL EU KVK"
)
CAPS_RUN: Final = re.compile(r"[A-ZÀ-ÖØ-Þ]{3}")
EXCLAIM_RE: Final = re.compile(r"!{2,}|[!?]*\?!+|[!?]*!\?+")

NL_STOP: Final = _words(
    "de het een en ik je jij u uw niet is dat die van met voor op te zijn wel maar ook al nog naar "
    "bij mijn mij wat hoe er dan om dit deze heb heeft hebben ben bent was waren geen wij we ze zij "
    "hij zo kan kunt kun wil wilt moet graag alstublieft bedankt dank goed dus nu omdat als want of "
    "nooit meer heel erg mee aan uit over toch even jullie ons onze hun hoi hallo groet zich hem haar "
    "waar wanneer waarom welke wie hier daar echt zou zouden kunnen willen moeten gaat ga gaan weet "
    "vind denk zeg zegt heb hebt jou jouw mag moet niks iets alles ja nee wordt werd geweest ook"
)
EN_STOP: Final = _words(
    "the a an and i you your is are was were not that this of with for on to be have has had my me "
    "what how there then it its do does did don't can't i'm it's we they he she so can could would "
    "will want need please thanks thank good now because if or never more very really just about "
    "again still but also our their hi hello regards from at by as any that's what's there's you're i've "
    "i'll isn't doesn't didn't won't wasn't this these those who why when where which all some out up "
    "too like get got he's she's they're we're am been being yes yeah no one them him her his here "
    "think know see make go going really thing things people time should"
)
NUM_WORDS: Final = {
    "nl": _words(
        "twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien "
        "zeventien achttien negentien twintig dertig veertig vijftig honderd duizend tig tien tientallen "
        "meerdere talloze ontelbare zoveel paar"
    ),
    "en": _words(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen twenty "
        "thirty forty fifty hundred dozen dozens several multiple countless numerous many"
    ),
}
ORD_WORDS: Final = {
    "nl": _words(
        "tweede derde vierde vijfde zesde zevende achtste negende tiende elfde twaalfde twintigste "
        "zoveelste honderdste tigste"
    ),
    "en": _words(
        "second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth twentieth "
        "umpteenth hundredth nth"
    ),
}
TIMES: Final = re.compile(r"\d+x")  # "al 5x gebeld"
ORD_DIGITS: Final = re.compile(r"\d+(?:e|de|ste|th|st|nd|rd)")
SENTENCE_END: Final = frozenset(".!?\n")


class Tokens:
    """Lowercased tokens (punctuation included) with their offsets into the original text.

    One `re.split` gives the tokens and the text between them, alternately; the offsets are the running
    sum of their lengths (`itertools.accumulate`, computed on first use): no Python loop per token."""

    __slots__ = ("_ends", "_parts", "_starts", "lowered", "words")

    def __init__(self, lowered: str) -> None:
        self.lowered = lowered
        # [between, token, between, token, ..., between]: TOKEN_SPLIT captures each token.
        self._parts = TOKEN_SPLIT.split(lowered)
        self.words: list[str] = self._parts[1::2]
        self._starts: list[int] | None = None
        self._ends: list[int] = []

    def __len__(self) -> int:
        return len(self.words)

    def _spans(self) -> None:
        # Token k is part 2k + 1, so it starts where the parts before it end and ends where it ends.
        offsets = list(accumulate(map(len, self._parts)))
        self._starts, self._ends = offsets[0:-1:2], offsets[1::2]

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._spans()
        return self._starts  # type: ignore[return-value]

    @property
    def ends(self) -> list[int]:
        if self._starts is None:
            self._spans()
        return self._ends


def lower_keeping_offsets(text: str) -> str:
    """`text` lowercased with every offset unchanged (a few characters such as "İ" grow when lowered)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower()[0] for c in text)
    return lowered


def tokenize(text: str) -> Tokens:
    """Tokens of `text`, lowercased, with offsets into `text` itself."""
    return Tokens(lower_keeping_offsets(text))


def detect_lang(tokens: Tokens) -> Literal["nl", "en"] | None:
    """The language from function words, None when they do not decide ("Oh nice!", "Top!")."""
    words = tokens.words
    nl, en = len(NL_STOP.intersection(words)), len(EN_STOP.intersection(words))
    return None if nl == en else "en" if en > nl else "nl"


# English inflections are undone by suffix rules checked against the words the lexicons use, rather
# than by simplemma's English dictionary: that would add 32 MB to every process for what a dozen rules
# do for lexicon matching (worried -> worry, calls -> call, stopped -> stop). Dutch keeps simplemma.
EN_SUFFIXES: Final = (
    ("ies", "y"), ("ied", "y"), ("iest", "y"), ("ier", "y"), ("ily", "y"),
    ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""),
    ("er", ""), ("er", "e"), ("est", ""), ("est", "e"), ("ly", ""), ("'s", ""),
)  # fmt: skip
LEMMA_CACHE: Final = 200_000  # distinct words remembered (customer messages reuse a small vocabulary)


def english_lemma(word: str, known: frozenset[str]) -> str:
    """`word` with an English inflection undone, when that gives a word in `known` (the literal words
    of an English lexicon); else `word` itself."""
    if not word.isalpha():
        return word
    for suffix, replacement in EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stem = word[: -len(suffix)]
            if stem + replacement in known:
                return stem + replacement
            if not replacement and len(stem) >= 3 and stem[-1] == stem[-2] and stem[:-1] in known:
                return stem[:-1]  # stopped -> stop
    return word


def lemma(word: str, lang: str = "nl") -> str:
    """The simplemma lemma of `word` (Dutch by default): a pure function of its arguments.

    English is not lemmatised here: its suffix rules aim at the words of one engine's lexicons
    (`english_lemmas`), so every engine has its own."""
    if lang == "nl":
        return dutch_lemma(word)
    if lang == "en":
        raise ValueError("English lemmas depend on a lexicon's words: use english_lemmas(words)")
    return word if not word.isalpha() else simplemma.lemmatize(word, lang=lang, low_memory=True).lower()


@lru_cache(maxsize=LEMMA_CACHE)
def dutch_lemma(word: str) -> str:
    """simplemma's Dutch lemma, cached (customer messages reuse a small vocabulary).

    From simplemma's compressed dictionary, read where a word's entry lies (`low_memory`): 6 MB in
    the process instead of the 42 MB of the dictionary unpacked into a dict, the same lemmas, ~35 µs
    more for a word not seen before (the cache above remembers it after that)."""
    return word if not word.isalpha() else simplemma.lemmatize(word, lang="nl", low_memory=True).lower()


def english_lemmas(known: Iterable[str]) -> Callable[[str], str]:
    """`english_lemma` for the words `known` (an engine's English lexicon), with a cache of its own:
    two engines with different lexicons never share what they found."""
    return lru_cache(maxsize=LEMMA_CACHE)(partial(english_lemma, known=frozenset(known)))


def is_number(word: str, lang: str) -> bool:
    return word.isdigit() or word in NUM_WORDS[lang] or TIMES.fullmatch(word) is not None


def is_ordinal(word: str, lang: str) -> bool:
    return word in ORD_WORDS[lang] or ORD_DIGITS.fullmatch(word) is not None


SHOUT_WORDS: Final = (
    3  # the capitalised words `shouting` returns at most (the analysis weighs the first three)
)


def shouting(text: str, lowered: str) -> list[re.Match[str]]:
    """The first capitalised words (at most SHOUT_WORDS) that are not common acronyms, when they make the
    text a shout. It stops looking after those: a pasted log of 100,000 characters in capitals would
    otherwise cost tens of milliseconds per message (bench/bench_mail_intake.py)."""
    if lowered == text or not CAPS_RUN.search(text):
        return []
    caps = []
    for m in CAPS_RE.finditer(text):
        if m.group() not in ACRONYMS and not _placeholder(text, m):
            caps.append(m)
            if len(caps) == SHOUT_WORDS:
                break
    return caps if len(caps) >= 2 or (caps and len(caps[0].group()) >= 6) else []


def _placeholder(text: str, m: re.Match[str]) -> bool:
    """[NAME], {ORDER}, <KLANT>: a template's placeholder is not a shout."""
    before = text[m.start() - 1 : m.start()]
    return bool(before) and before in "[{<"
