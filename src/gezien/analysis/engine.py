"""The rules layer: lexicon matches, modifiers and style cues combined into signals with evidence.

One pass tokenises the text; each token looks up the patterns that can start there (by word, lemma,
prefix or number class); longer matches win over the shorter ones inside them; then each match is
weighed by the negators, intensifiers and diminishers before it and by capitals, and the weights of
one signal combine by noisy-or (two independent cues of 0.6 make 0.84). Sentiment adds signed weights
(sentiment words plus the valence of emotions), squashed to -1..1 as VADER does.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from gezien.analysis import lexicon as lx
from gezien.analysis.lexicon import NUM, ORD, Entry, Lexicon, Node
from gezien.analysis.register import decide_register, is_address
from gezien.analysis.result import ACTS, EMOTIONS, LIFE_EVENTS, Analysis, Evidence, Lang, Role
from gezien.analysis.text import (
    EXCLAIM_RE,
    SENTENCE_END,
    Tokens,
    detect_lang,
    dutch_lemma,
    english_lemmas,
    is_number,
    is_ordinal,
    shouting,
    tokenize,
)
from gezien.analysis.typos import FACTOR as TYPO_FACTOR
from gezien.analysis.typos import TypoIndex, dutch_word

VALENCE = {
    "anger": -0.9,
    "stress": -0.6,
    "haste": -0.25,
    "disappointment": -0.7,
    "sadness": -0.7,
    "reassurance": 0.6,
    "trust": 0.5,
    "appreciation": 0.8,
    "satisfaction": 0.8,
}
POSITIVE_EMOTIONS = frozenset({"reassurance", "trust", "appreciation", "satisfaction"})
NEGATIVE_EMOTIONS = tuple(e for e in VALENCE if e not in POSITIVE_EMOTIONS)
HATE_SIGNALS = frozenset({"abuse", "dehumanising"})  # abuse a quote, a report or counter-speech cancels
ACT_SET = frozenset(ACTS)
LIFE_SET = frozenset(LIFE_EVENTS)
EMOTION_SET = frozenset(EMOTIONS)
PUNCT = frozenset(".!?;:,\n")
MODIFIER_REACH = 3  # a negator up to three words before a cue still negates it ("niet echt heel blij")
TARGET_REACH = 2  # profanity this close to "je", "jullie", "bedrijf" is aimed at someone
SET_THRESHOLD = 0.5  # life events and acts are sets: in when their combined weight reaches this
ABUSE_UNDIRECTED = 0.3
ABUSE_ANGER = 0.7  # swearing at the situation is anger, only slightly abuse
CAPS_FACTOR = 1.25
CANDIDATE_CACHE = 100_000  # distinct words remembered per language (about 20 MB when full)
NODE_MEMO = 1_000  # next words remembered per trie node that has children
SHOUT_ANGER = 0.45
# Sarcasm (see _sarcasm): praise marked as irony, or opening a sentence whose failure follows it.
IRONY_AFTER = frozenset({"hoor", "zeg", "joh", "hè", "he", "hoor!"})  # "geweldig hoor"
IRONY_BEFORE = frozenset({"nou", "o", "oh", "ach", "jaja"})  # "nou fijn"
FAILURE_SIGNALS = frozenset({"anger", "disappointment", "churn", "profanity", "abuse"})
FAILURE_REPEAT = 0.5  # "alweer een storing" is a failure; "weer" alone is not
FAILURE_SENTIMENT = -0.3  # "verkeerde", "geen internet"
THANKS = ("bedank", "dank", "thank", "merci")  # thanks before a complaint is thanks, unless marked
SARCASM_OPENING = 2  # praise within the first two words of its sentence opens it
IRONY_DISAPPOINTMENT = 0.6  # praise read as irony: disappointment and anger, per unit of its weight
IRONY_ANGER = 0.35
IRONY_SENTIMENT = -0.75
# Hate (see _aimed, _unmeant): vermin words and calls for violence aimed at a person or a group.
AIM_BEFORE, AIM_AFTER = 4, 2  # a target this many words before or after, in the same sentence
QUOTES_OPEN, QUOTES_CLOSE = "“„‘", "”’"
CLASH_ANGER = 0.3  # "?!" in a negative text
# Churn is leaving us: a switch whose destination is us ("overstappen naar <our name>", "naar jullie")
# or one of our own products ("overstappen op Internet Start") is a prospect or a plan change.
DESTINATION = frozenset({"naar", "op", "to"})
TO_US = frozenset({"jullie", "you"})  # "overstappen naar jullie", "switch to you"
US = frozenset({"u", "uw", "je", "jou", "jouw", "your"})  # a cue naming these is about leaving us
PROSPECT = (
    "nog geen klant",
    "geen klant bij jullie",
    "klant worden",
    "klant bij jullie worden",
    "not a customer yet",
    "not yet a customer",
    "become a customer",
)
ARTICLES = frozenset({"de", "het", "een", "the", "a", "an", "jullie", "uw", "your", "ons", "onze", "our"})
RIVALS = frozenset({"concurrent", "concurrenten", "concurrentie", "competitor", "competitors", "competition"})
CHURN_DESTINATION_REACH = 8  # words after a churn cue in which "naar X" still names its destination
# Praise ("jullie collega heeft me super geholpen") names an earlier contact without complaining of it.
PRAISE_AT = 0.5
PRAISE_NEGATIVE_BELOW = 0.3


SPAN = itemgetter(1, 2)  # an Evidence's (start, end): evidence is shown in text order

# A match: (entry, first token, end token exclusive). A plain tuple: there are several per message.
Hit = tuple[Entry, int, int]


TYPO_LANGS = frozenset({"nl"})  # languages whose words are matched with typos (see typos.py)


class _Lang(NamedTuple):
    """A language as one engine reads it: its code, its lemmatiser (English's is the engine's own) and
    its typo corrector (None where typos are not matched)."""

    code: str
    lemma: Callable[[str], str]
    typo: TypoIndex | None = None


class RuleEngine:
    """Compiled lexicons for both languages; `analyze` is thread-safe and allocation-light."""

    def __init__(
        self, lexicons: dict[str, Lexicon], version: str = "", own_names: Iterable[str] = ()
    ) -> None:
        self.lexicons = lexicons
        self.version = version  # a fingerprint of the lexicon files
        # Our organisation's and products' names as token sequences: a switch to one is no churn.
        self.own_names = tuple(
            dict.fromkeys(words for words in (tuple(tokenize(n).words) for n in own_names) if words)
        )
        self._symbols = {lang: _Symbols.of(lex) for lang, lex in lexicons.items()}
        # The English suffix rules aim at this engine's own English words: engines never share them.
        lemmas: dict[str, Callable[[str], str]] = {
            "nl": dutch_lemma,
            "en": english_lemmas(_vocabulary(lexicons["en"].root) if "en" in lexicons else ()),
        }
        typos = {
            lang: TypoIndex(_vocabulary(lex.root), dutch_word)
            for lang, lex in lexicons.items()
            if lang in TYPO_LANGS
        }
        self._langs = {lang: _Lang(lang, lemmas[lang], typos.get(lang)) for lang in lexicons}
        self._first_steps: dict[tuple[str, bool], dict[str, tuple[Node, ...]]] = {
            (lang, agent): {} for lang in lexicons for agent in (False, True)
        }
        self._targets = {lang: tuple(w for w in lex.targets if len(w) >= 4) for lang, lex in lexicons.items()}

    @classmethod
    def load(cls, extra_dirs: Iterable[Path] = (), own_names: Iterable[str] = ()) -> RuleEngine:
        """Shipped lexicons plus an organisation's `extra_dirs` (later ones override earlier ones);
        `own_names`: the organisation's own name and products (a switch to one is not churn)."""
        dirs = [Path(d) for d in extra_dirs]
        names = tuple(own_names)
        version = lx.fingerprint(dirs)
        if names:
            version += "-" + hashlib.sha256("\n".join(names).encode()).hexdigest()[:6]
        return cls({lang: lx.load(lang, dirs) for lang in lx.LANGS}, version=version, own_names=names)

    def analyze(self, text: str, lang: Lang | None = None, role: Role = "customer") -> Analysis:
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        tokens = tokenize(text)
        if lang is not None and lang not in self.lexicons:
            raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(self.lexicons)}")
        if role not in ("customer", "agent"):
            raise ValueError(f"role must be 'customer' or 'agent', not {role!r}")
        lang = lang or detect_lang(tokens)
        agent = role == "agent"
        if lang is None:  # function words did not decide: the language whose lexicon knows more words
            hits_nl, hits_en = self._find(tokens, "nl", agent), self._find(tokens, "en", agent)
            lang, hits = ("en", hits_en) if _known(hits_en) > _known(hits_nl) else ("nl", hits_nl)
        else:
            hits = self._find(tokens, lang, agent)
        scorer = _Scorer(
            text, tokens, lang, role, self._targets[lang], self.own_names, self._langs[lang].typo
        )
        return scorer.score(hits, self._symbols[lang])

    def _find(self, tokens: Tokens, lang: str, agent: bool) -> list[Hit]:
        """Every match of every pattern, walking the trie from each token that can start one (agent
        acts only in an agent's text).

        Where each distinct word leads from the root is compiled once into a dict (word -> trie
        nodes, empty for the half of the tokens that start nothing), so the scan over the tokens runs in C:
        `map` looks every token up and `compress` keeps the positions that start a pattern; Python
        only walks on from those."""
        cache = self._first_steps[lang, agent]
        language = self._langs[lang]
        words = tokens.words
        firsts = list(map(cache.get, words))
        if None in firsts:  # words this engine has not seen yet
            for i, nodes in enumerate(firsts):
                if nodes is None:
                    firsts[i] = self._first_step(words[i], lang, agent)
        hits: list[Hit] = []
        last = len(words) - 1
        for i in compress(range(len(words)), firsts):
            for node in firsts[i]:  # type: ignore[union-attr]
                for entry in node.ends:
                    hits.append((entry, i, i + 1))
                if node.leaf or i == last:
                    continue
                if node.gap is None and node.memo.get(words[i + 1]) == ():
                    continue  # the next word is known to lead nowhere from here (the common case)
                _walk(node, words, i + 1, i, language, hits)
        return hits

    def _first_step(self, word: str, lang: str, agent: bool) -> tuple[Node, ...]:
        """Where `word` leads from the root, cached per word: a desk's vocabulary is small, and most
        words lead nowhere."""
        lex = self.lexicons[lang]
        root = lex.root if agent else lex.customer_root
        nodes = () if word[0] in PUNCT else tuple(_step(root, word, self._langs[lang], first=True))
        cache = self._first_steps[lang, agent]
        if len(cache) >= CANDIDATE_CACHE:
            cache.clear()
        cache[word] = nodes
        return nodes


def _vocabulary(root: Node) -> set[str]:
    """Every literal word in a trie."""
    words: set[str] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        words.update(node.words)
        stack.extend(node.words.values())
        stack.extend(node.prefixes.values())
        stack.extend(node.special.values())
    return words


def _known(hits: list[Hit]) -> int:
    """How many distinct tokens a language's lexicon recognised."""
    return len({h[1] for h in hits})


def _walk(node: Node, words: list[str], j: int, start: int, lang: _Lang, hits: list[Hit]) -> None:
    """Follow `node` (tokens start..j-1 matched so far) into its children, recording what ends."""
    if j >= len(words):
        return
    w = words[j]
    children = node.memo.get(w)
    if children is None:
        children = _remember(node, w, lang)
    for child in children:
        for entry in child.ends:
            hits.append((entry, start, j + 1))
        if not child.leaf:
            _walk(child, words, j + 1, start, lang, hits)
    gap = node.gap
    if gap is not None:  # zero to two words, never across punctuation
        for k in range(j, min(j + 3, len(words))):
            if words[k][0] in PUNCT:
                break
            for child in _step(gap, words[k], lang):
                for entry in child.ends:
                    hits.append((entry, start, k + 1))
                if not child.leaf:
                    _walk(child, words, k + 1, start, lang, hits)


def _remember(node: Node, word: str, lang: _Lang) -> tuple[Node, ...]:
    """The children `word` leads to from `node`, remembered on the node (bounded per node)."""
    children = () if word[0] in PUNCT else tuple(_step(node, word, lang))
    if len(node.memo) >= NODE_MEMO:
        node.memo.clear()
    node.memo[word] = children
    return children


def _repeats(by_lemma: Node, by_form: Node) -> bool:
    """The lemma's entries say nothing the form's do not already say."""
    return by_lemma.leaf and {e.signal for e in by_lemma.ends} <= {e.signal for e in by_form.ends}


def _step(node: Node, word: str, lang: _Lang, first: bool = False) -> list[Node]:
    """The children of `node` that `word` matches: by form, by lemma, by prefix, as a number.

    A word that is an entry of its own does not also count as its lemma ("best" is not "good" twice
    over) when it starts a pattern."""
    found = []
    exact = node.words.get(word)
    if exact is not None:
        found.append(exact)
    lem = lang.lemma(word)
    if lem != word:
        child = node.words.get(lem)
        if child is not None and not (first and exact is not None and _repeats(child, exact)):
            found.append(child)
    for prefix, child in node.prefixes.items():
        if word.startswith(prefix):
            found.append(child)
    if node.special:
        child = node.special.get(NUM)
        if child is not None and is_number(word, lang.code):
            found.append(child)
        child = node.special.get(ORD)
        if child is not None and is_ordinal(word, lang.code):
            found.append(child)
    if not found and lang.typo is not None and node.words:
        fix = lang.typo.correct(word)  # "opzegen" steps as "opzeggen"; the scorer lowers its weight
        if fix is not None:
            child = node.words.get(fix[0])
            if child is not None:
                found.append(child)
    return found


@dataclass(frozen=True, slots=True)
class _Symbols:
    """Emoji (anywhere) and ASCII emoticons (only as a word of their own: never "8)" in a list).

    Both are rare in a message, so each has a cheap C-level test before its regex runs."""

    emoji: re.Pattern[str] | None
    emoticons: dict[str, str]  # as written between spaces (also with a trailing ".,!?") -> emoticon
    entries: dict[str, list[Entry]]

    @classmethod
    def of(cls, lex: Lexicon) -> _Symbols:
        emoji = sorted((s for s in lex.symbols if any(ord(c) > 0x2000 for c in s)), key=len, reverse=True)
        emoji_re = re.compile("|".join(map(re.escape, emoji))) if emoji else None
        emoticons = {s + tail: s for s in lex.symbols if s not in emoji for tail in ("", ".", ",", "!", "?")}
        return cls(emoji_re, emoticons, lex.symbols)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        # An ASCII text has no emoji (str.isascii is one C pass, max() over the characters ten times
        # more); few texts hold an emoticon, and a set test of their pieces says so in C.
        if self.emoji is not None and not text.isascii() and max(text) > "\u2000":
            found = [(m.start(), m.end(), m.group()) for m in self.emoji.finditer(text)]
        pieces = text.split()
        if self.emoticons.keys().isdisjoint(pieces):
            return found
        for piece in self.emoticons.keys() & pieces:
            symbol = self.emoticons[piece]
            for m in re.finditer(rf"(?<!\S){re.escape(symbol)}(?=$|\s|[.,!?])", text):
                found.append((m.start(), m.end(), symbol))
        return found


class _Scorer:
    """Turns the hits of one text into an Analysis; one instance per call."""

    def __init__(
        self,
        text: str,
        tokens: Tokens,
        lang: Lang,
        role: Role,
        targets: tuple[str, ...],
        own_names: tuple[tuple[str, ...], ...] = (),
        typo: TypoIndex | None = None,
    ) -> None:
        self.text, self.tokens, self.lang, self.role, self.targets = text, tokens, lang, role, targets
        self.own_names = own_names
        # The typo index, only when this message holds a word it corrected (most hold none).
        self.typo = typo if typo is not None and not typo.corrected.isdisjoint(tokens.words) else None
        # Churn cues, weighed once the whole text is read: (weight, first token, end token, start, end, rule)
        self.churn_cues: list[tuple[float, int, int, int, int, str]] = []
        self.keep: dict[str, float] = {}  # signal -> Π(1 - w) over its cues; absent means 1
        self.polarity: list[tuple[int, float]] = []  # (token index, signed weight) for sentiment
        self.evidence: list[Evidence] = []
        self.register_cues: list[tuple[str, float, bool]] = []

    def raise_(self, signal: str, weight: float, start: int, end: int, rule: str, shown: str = "") -> None:
        if weight <= 0:
            return
        self.keep[signal] = self.keep.get(signal, 1.0) * (1.0 - min(weight, 0.97))
        self.evidence.append(Evidence(shown or signal, start, end, self.text[start:end], rule))

    def score(self, hits: list[Hit], symbols: _Symbols) -> Analysis:
        content, modifiers = self._split(hits)
        negators, factors, contrast, target_at = self._modifiers(modifiers)
        self.cue_tokens = {t for hit in content for t in range(hit[1], hit[2])}
        ironic = len(content) > 1 and self.role == "customer"  # an agent's praise is taken at its word
        self.sarcasm = self._sarcasm(content, negators, contrast) if ironic else {}
        self.counter = [h[1] for h in modifiers if h[0].signal == "counter"] if modifiers else []
        for hit in content:
            self._content(hit, negators, factors, target_at)
        self._symbols(symbols)
        self._style()
        if self.role == "agent":
            self._questions(content)
        else:
            if self.churn_cues:
                self._churn()
            if "repeat" in self.keep and self._praise():
                self._drop("repeat")
        return self._result(contrast)

    def _praise(self) -> bool:
        """Praise: appreciation or satisfaction without a negative feeling beside it. Mentioning an
        earlier contact there ("jullie collega heeft me laatst super geholpen") is a thank-you, not a
        complaint about having to come back."""
        keep = self.keep
        if 1.0 - min(keep.get("appreciation", 1.0), keep.get("satisfaction", 1.0)) < PRAISE_AT:
            return False
        return all(1.0 - keep.get(name, 1.0) < PRAISE_NEGATIVE_BELOW for name in NEGATIVE_EMOTIONS)

    def _drop(self, signal: str) -> None:
        self.keep.pop(signal, None)
        self.evidence = [e for e in self.evidence if e.signal != signal]

    def _churn(self) -> None:
        """Churn is leaving us. Not churn: a switch to us or to one of our own products (a prospect, a
        plan change), and cancelling for someone who died (bereavement: a protocol, not retention)."""
        if "bereavement" in self.keep:
            return
        words = self.tokens.words
        cues = self.churn_cues
        to_us = [self._to_us(words, cue[1], cue[2]) for cue in cues]
        prospect = any(to_us) or self._prospect(words)
        for cue, coming in zip(cues, to_us, strict=True):
            weight, first, end_token, start, end, rule = cue
            if coming:
                continue
            if prospect and not any(w in TO_US or w in US for w in words[first:end_token]):
                # Someone coming to us (or to our plan) who cancels in the same text cancels what they
                # leave ("moet ik mijn huidige abonnement zelf opzeggen?"); only "weg bij jullie" is us.
                continue
            self.raise_("churn", weight, start, end, rule)
            self.polarity.append((first, -weight * 0.4))

    @staticmethod
    def _prospect(words: list[str]) -> bool:
        """The writer says they are not our customer yet ("ik ben nog geen klant", "klant worden")."""
        text = " " + " ".join(words) + " "
        return any(f" {marker} " in text for marker in PROSPECT)

    def _to_us(self, words: list[str], first: int, end_token: int) -> bool:
        """Whether the sentence of a churn cue names us or our product as where the customer goes:
        "naar"/"op"/"to" (a few words after the cue, or just before it) followed by our name, one of
        our products, or "jullie"/"you"."""
        lo = first
        while lo > 0 and first - lo < CHURN_DESTINATION_REACH and words[lo - 1][0] not in SENTENCE_END:
            lo -= 1
        hi = min(len(words), end_token + CHURN_DESTINATION_REACH)
        for k in range(lo, hi):
            w = words[k]
            if w[0] in SENTENCE_END:
                if k >= end_token:
                    break
                continue
            if w not in DESTINATION:
                continue
            j = k + 1
            if j < len(words) and words[j] in TO_US and w != "op":
                return j + 1 >= len(words) or words[j + 1] not in RIVALS  # not "naar jullie concurrent"
            while j < len(words) and words[j] in ARTICLES:
                j += 1
            if any(tuple(words[j : j + len(name)]) == name for name in self.own_names):
                return True
        return False

    def _split(self, hits: list[Hit]) -> tuple[list[Hit], list[Hit]]:
        """Content hits with the longer match winning inside its span; modifiers and register cues."""
        content: list[Hit] = []
        modifiers: list[Hit] = []
        seen: dict[tuple[int, int, str], int] = {}
        # Signals follow the author: an agent's text yields acts (and tone) only, a customer's
        # everything but acts.
        wanted = lx.ACT if self.role == "agent" else lx.CONTENT
        phrases = False  # whether a content hit spans several tokens (a phrase or a gap pattern)
        for hit in hits:
            entry = hit[0]
            kind = entry.kind
            if kind == wanted:
                phrases = phrases or entry.is_phrase
                # One signal counts once per span (the strongest entry): a form and its lemma, or a
                # phrase and a gap pattern ("ik zeg alles op", "ik zeg * op"), may both be entries.
                key = (hit[1], hit[2], entry.signal)
                other = seen.get(key)
                if other is None:
                    seen[key] = len(content)
                    content.append(hit)
                elif entry.weight > content[other][0].weight:
                    content[other] = hit
            elif kind == lx.MODIFIER:
                modifiers.append(hit)
            elif kind == lx.REGISTER:
                s, e = self.tokens.starts[hit[1]], self.tokens.ends[hit[2] - 1]
                self.register_cues.append((entry.signal, entry.weight, is_address(entry.elements)))
                self.evidence.append(Evidence(entry.signal, s, e, self.text[s:e], entry.rule))
        if modifiers and any(h[0].signal == "sentiment" and not h[0].is_phrase for h in content):
            # "echt", "heel", "kind of" are modifiers here, not sentiment words
            modifier_at = {
                t for h in modifiers if h[0].signal not in ("target", "counter") for t in range(h[1], h[2])
            }
            content = [
                h
                for h in content
                if not (h[0].signal == "sentiment" and h[2] - h[1] == 1 and h[1] in modifier_at)
            ]
        self.phrase_tokens: set[int] = set()
        if not phrases:
            return content, modifiers  # no phrase: nothing to resolve, already in text order
        content.sort(key=lambda h: h[1] - h[2])  # longest first
        owner = [0] * len(self.tokens.words)  # per token: the length of the longest hit kept over it
        kept = []
        for hit in content:
            first, end = hit[1], hit[2]
            length = end - first
            if max(owner[first:end]) > length:
                continue
            kept.append(hit)
            for t in range(first, end):
                if not owner[t]:  # a hit kept before is at least as long (longest first)
                    owner[t] = length
        self.phrase_tokens = {t for t, n in enumerate(owner) if n > 1}
        kept.sort(key=lambda h: h[1])
        return kept, modifiers

    def _modifiers(self, modifiers: list[Hit]) -> tuple[set[int], dict[int, float], int, set[int]]:
        negators: set[int] = set()
        factors: dict[int, float] = {}
        contrast = -1
        targets: set[int] = set()
        for hit in modifiers:
            last, signal = hit[2] - 1, hit[0].signal
            if signal == "target":
                targets.add(hit[1])
            elif signal == "counter":
                continue  # counter-speech and reported speech: read by _unmeant
            elif last in self.phrase_tokens:
                continue  # "geen" in "geen probleem" belongs to the phrase
            elif signal == "negator":
                negators.add(last)
            elif signal == "contrast":
                contrast = max(contrast, last)
            else:
                factors[last] = factors.get(last, 1.0) * hit[0].weight
        return negators, factors, contrast, targets

    def _content(self, hit: Hit, negators: set[int], factors: dict[int, float], targets: set[int]) -> None:
        words, starts, ends = self.tokens.words, self.tokens.starts, self.tokens.ends
        entry, factor, negated = hit[0], 1.0, False
        for k in range(hit[1] - 1, max(-1, hit[1] - 1 - MODIFIER_REACH), -1):
            if words[k][0] in PUNCT or k in self.cue_tokens:
                break  # a negator or intensifier belongs to the nearest cue after it, not to later ones
            negated = negated or k in negators
            if k in factors and hit[1] - k <= 2:
                factor *= factors[k]
        start, end = starts[hit[1]], ends[hit[2] - 1]
        if hit[2] - hit[1] == 1 and len(self.text[start:end]) > 1 and self.text[start:end].isupper():
            factor *= CAPS_FACTOR
        weight, signal = entry.weight * factor, entry.signal
        if signal == "open_question":
            return  # an opener only counts in a sentence that ends in "?" (see _questions)
        rule = entry.rule + ("+negated" if negated else "")
        if self.typo is not None:
            for written, meant, edits in self._typos(hit):
                weight *= TYPO_FACTOR[edits]
                rule += f"+typo:{written}>{meant}"
        if signal in HATE_SIGNALS and self._unmeant(hit, start):
            return  # quoted, reported or argued against: not the writer's abuse
        if self.sarcasm and hit[1] in self.sarcasm and not negated and _is_praise(entry):
            self._irony(hit, weight, start, end, rule + self.sarcasm[hit[1]])
            return
        if signal == "sentiment":
            signed = weight * (-0.5 if negated else 1.0)
            self.polarity.append((hit[1], signed))
            self.evidence.append(
                Evidence("positive" if signed > 0 else "negative", start, end, self.text[start:end], rule)
            )
        elif signal in EMOTION_SET:
            if negated:
                if signal in POSITIVE_EMOTIONS:  # "niet tevreden", "not happy"
                    self._emotion("disappointment", weight * 0.6, hit[1], start, end, rule)
                elif signal == "stress":  # "geen zorgen"
                    self._emotion("reassurance", weight * 0.5, hit[1], start, end, rule)
                return
            self._emotion(signal, weight, hit[1], start, end, rule)
        elif signal == "dehumanising":
            if not negated and self._aimed(hit, targets):  # "moslims zijn ratten", not "ratten op zolder"
                self.raise_("abuse", weight, start, end, rule + "+aimed")
                self._emotion("anger", weight * ABUSE_ANGER, hit[1], start, end, rule + "+aimed")
        elif signal == "profanity":
            if self._unmeant(hit, start):  # "hij noemde mij een kut...": the writer's anger, no abuse
                self._emotion("anger", weight * 0.6, hit[1], start, end, rule + "+reported")
            elif self._directed(hit, targets):
                self.raise_("abuse", weight, start, end, rule + "+directed")
                self._emotion("anger", weight * ABUSE_ANGER, hit[1], start, end, rule + "+directed")
            else:
                self.raise_("abuse", weight * ABUSE_UNDIRECTED, start, end, rule)
                self._emotion("anger", weight * 0.6, hit[1], start, end, rule)
        elif negated:  # "ik wil niet opzeggen", "niet overleden": no signal
            return
        elif signal == "churn":  # weighed once the whole text is read (its destination, a death)
            self.churn_cues.append((weight, hit[1], hit[2], start, end, rule))
        else:
            self.raise_(signal, weight, start, end, rule)
            if signal == "abuse":  # an insult or a threat is said in anger
                self._emotion("anger", weight * ABUSE_ANGER, hit[1], start, end, rule)

    def _sarcasm(self, content: list[Hit], negators: set[int], contrast: int) -> dict[int, str]:
        """Praise that reads as irony, by its first token, with the reason for the evidence rule.

        Praise is ironic when the same or a neighbouring sentence tells a failure (anger,
        disappointment, a real repeat, churn, swearing, a negative phrase) and either
        - an irony marker stands beside it ("geweldig hoor", "nou fijn"): `+sarcasm:marker=hoor`;
        - it opens the sentence or clause whose failure follows it, with no "maar" between ("Top,
          alweer een storing."), unless it is thanks: `+sarcasm:fact=alweer een storing`;
        - a sarcastic set phrase is there ("bedankt voor niks", nl/sarcasm.tsv): `+sarcasm:with=...`.
        Praise in a sentence of its own with no failure near ("Super, bedankt! De storing is
        opgelost.") stays praise, and so does praise with "maar" before the failure."""
        words = self.tokens.words
        praise = [
            h
            for h in content
            if h[0].signal in POSITIVE_EMOTIONS or (h[0].signal == "sentiment" and h[0].weight > 0)
        ]
        if not praise:  # the common case: decided without looking at negation or sentences
            return {}
        failures = [
            h
            for h in content
            if h[0].signal in FAILURE_SIGNALS
            or (h[0].signal == "repeat" and h[0].weight >= FAILURE_REPEAT)
            or (h[0].signal == "sentiment" and h[0].weight <= FAILURE_SENTIMENT)
        ]  # what went wrong (the fact sarcasm mocks): inlined, this runs for most messages
        if len(praise) == len(content) or not (failures or negators):
            return {}
        negated = [bool(negators) and self._negated(h, negators) for h in praise]
        failures += [h for h, no in zip(praise, negated, strict=True) if no]  # "niet tevreden" fails too
        praise = [h for h, no in zip(praise, negated, strict=True) if not no]
        if not failures or not praise:
            return {}
        stops = [k for k, w in enumerate(words) if w[0] in SENTENCE_END]  # sentence i ends at stops[i]
        pauses = [k for k, w in enumerate(words) if w[0] in SENTENCE_END or w == ","]

        def sentence(t: int) -> int:
            return bisect_left(stops, t)

        def clause(t: int) -> int:  # where the clause of token t opens
            i = bisect_left(pauses, t)
            return pauses[i - 1] + 1 if i else 0

        phrases = [h for h in content if "/sarcasm:" in h[0].rule]
        found: dict[int, str] = {}
        for hit in praise:
            here = sentence(hit[1])
            near = [f for f in failures if abs(sentence(f[1]) - here) <= 1]
            if not near:
                continue
            after = words[hit[2]] if hit[2] < len(words) else ""
            before = words[hit[1] - 1] if hit[1] > 0 else ""
            first = hit[1] - clause(hit[1]) < SARCASM_OPENING
            later = [
                f for f in near if sentence(f[1]) == here and f[1] >= hit[2] and not hit[1] < contrast <= f[1]
            ]
            with_ = [p for p in phrases if abs(sentence(p[1]) - here) <= 1 and p is not hit]
            if after in IRONY_AFTER or before in IRONY_BEFORE:
                found[hit[1]] = f"+sarcasm:marker={after if after in IRONY_AFTER else before}"
            elif with_:
                found[hit[1]] = f"+sarcasm:with={self._span(with_[0])}"
            elif first and later and not hit[0].elements[0].startswith(THANKS):
                found[hit[1]] = f"+sarcasm:fact={self._span(later[0])}"
        return found

    def _span(self, hit: Hit) -> str:
        return self.text[self.tokens.starts[hit[1]] : self.tokens.ends[hit[2] - 1]]

    def _negated(self, hit: Hit, negators: set[int]) -> bool:
        """A negator before `hit` in its clause, as `_content` reads it."""
        words = self.tokens.words
        for k in range(hit[1] - 1, max(-1, hit[1] - 1 - MODIFIER_REACH), -1):
            if words[k][0] in PUNCT or k in self.cue_tokens:
                return False
            if k in negators:
                return True
        return False

    def _irony(self, hit: Hit, weight: float, start: int, end: int, rule: str) -> None:
        """Praise read as irony: negative sentiment, disappointment and some anger."""
        if hit[0].signal == "sentiment":
            self.polarity.append((hit[1], weight * IRONY_SENTIMENT))
            self.evidence.append(Evidence("negative", start, end, self.text[start:end], rule))
            return
        self._emotion("disappointment", weight * IRONY_DISAPPOINTMENT, hit[1], start, end, rule)
        self._emotion("anger", weight * IRONY_ANGER, hit[1], start, end, rule)

    def _sentence(self, index: int) -> tuple[int, int]:
        """The tokens (first, end exclusive) of the sentence around token `index`."""
        words = self.tokens.words
        first = index
        while first > 0 and words[first - 1][0] not in SENTENCE_END:
            first -= 1
        end = index
        while end < len(words) and words[end][0] not in SENTENCE_END:
            end += 1
        return first, end

    def _aimed(self, hit: Hit, targets: set[int]) -> bool:
        """A person or a group is named close to `hit` in its sentence ("zijn allemaal ratten")."""
        words = self.tokens.words
        if any(words[t].endswith(self.targets) for t in range(hit[1], hit[2])):
            return True
        first, end = self._sentence(hit[1])
        lo, hi = max(first, hit[1] - AIM_BEFORE), min(end, hit[2] + AIM_AFTER)
        return any(t in targets for t in range(lo, hi))

    def _unmeant(self, hit: Hit, start: int) -> bool:
        """Abuse the writer does not direct at anyone: inside quotation marks, or in a sentence that
        reports it ("hij noemde mij een ...") or argues against it ("het is walgelijk om ... te noemen")."""
        before = self.text[:start]
        if before.count('"') % 2 or max(map(before.rfind, QUOTES_OPEN)) > max(
            map(before.rfind, QUOTES_CLOSE)
        ):
            return True
        if not self.counter:
            return False
        first, end = self._sentence(hit[1])
        return any(first <= t < end for t in self.counter)

    def _typos(self, hit: Hit) -> list[tuple[str, str, int]]:
        """(written, lexicon word, edits) for each word of `hit` that matched only as a typo."""
        found = []
        elements, words = hit[0].elements, self.tokens.words
        for t in range(hit[1], hit[2]):
            fix = self.typo.correct(words[t]) if words[t] not in elements else None  # type: ignore[union-attr]
            if fix is not None and fix[0] in elements:
                found.append((words[t], fix[0], fix[1]))
        return found

    def _emotion(self, signal: str, weight: float, index: int, start: int, end: int, rule: str) -> None:
        self.raise_(signal, weight, start, end, rule)
        self.polarity.append((index, VALENCE[signal] * weight))

    def _directed(self, hit: Hit, targets: set[int]) -> bool:
        words = self.tokens.words
        if any(words[t].endswith(self.targets) for t in range(hit[1], hit[2])):
            return True  # kutbedrijf, rotzooi
        lo, hi = max(0, hit[1] - TARGET_REACH), min(len(words), hit[2] + TARGET_REACH)
        return any(t in targets for t in range(lo, hi))

    def _symbols(self, symbols: _Symbols) -> None:
        agent = self.role == "agent"
        for start, end, symbol in symbols.find(self.text):
            for entry in symbols.entries.get(symbol, ()):
                if agent and entry.signal not in lx.REGISTER_SIGNALS:
                    continue  # an agent's emoji is tone (register), not a feeling of the customer's
                index = _token_at(self.tokens, start)
                if entry.signal == "sentiment":
                    self.polarity.append((index, entry.weight))
                    shown = "positive" if entry.weight > 0 else "negative"
                    self.evidence.append(Evidence(shown, start, end, symbol, entry.rule))
                elif entry.signal in EMOTION_SET:
                    self._emotion(entry.signal, entry.weight, index, start, end, entry.rule)
                elif entry.signal in lx.REGISTER_SIGNALS:
                    self.register_cues.append((entry.signal, entry.weight, False))
                    self.evidence.append(Evidence(entry.signal, start, end, symbol, entry.rule))
                else:
                    self.raise_(entry.signal, entry.weight, start, end, entry.rule)

    def _style(self) -> None:
        caps = shouting(self.text, self.tokens.lowered)
        self.exclaims = list(EXCLAIM_RE.finditer(self.text)) if "!" in self.text else []
        if self.role == "agent":  # an agent who shouts: tone, shown as such, never the customer's anger
            for m in caps[:3]:
                self.evidence.append(Evidence("shouting", m.start(), m.end(), m.group(), "style:caps"))
            return
        for m in caps[:3]:
            self.raise_("anger", SHOUT_ANGER / len(caps[:3]) * 1.5, m.start(), m.end(), "style:caps")
        if not self.exclaims:
            return
        negative = sum(w for _, w in self.polarity if w < 0)
        for m in self.exclaims:
            if "?" in m.group() and negative < 0:
                self.raise_("anger", CLASH_ANGER, m.start(), m.end(), "style:?!")
                break

    def _questions(self, content: list[Hit]) -> None:
        words, starts, ends = self.tokens.words, self.tokens.starts, self.tokens.ends
        openers = [h for h in content if h[0].signal == "open_question"]
        begin = 0
        for k, w in enumerate(words):
            if w[0] not in SENTENCE_END and k != len(words) - 1:
                continue
            if "?" in w and k > begin:
                open_ = [h for h in openers if begin <= h[1] < k and (h[2] - h[1] > 1 or h[1] - begin <= 1)]
                act = "open_question" if open_ else "closed_question"
                rule = open_[0][0].rule if open_ else "style:question"
                self.raise_(act, 1.0, starts[begin], ends[k], rule)
            begin = k + 1

    def _result(self, contrast: int) -> Analysis:
        boost = 0.15 * min(3, len(self.exclaims))
        keep = self.keep
        emotions = dict.fromkeys(EMOTIONS, 0.0)
        for name in EMOTION_SET.intersection(keep):
            emotions[name] = 1.0 - keep[name] ** (1.0 + boost)
        total = 0.0
        for index, weight in self.polarity:
            if contrast >= 0:
                weight *= 0.5 if index < contrast else 1.5
            total += weight
        total *= 1.0 + boost
        acts = ACT_SET.intersection(keep)
        if acts:
            acts = frozenset(a for a in acts if 1 - keep[a] >= SET_THRESHOLD)
        life = LIFE_SET.intersection(keep)
        if life:
            life = frozenset(e for e in life if 1 - keep[e] >= SET_THRESHOLD)
        self.evidence.sort(key=SPAN)
        return Analysis(
            text=self.text,
            lang=self.lang,
            role=self.role,
            register=decide_register(self.register_cues) if self.register_cues else "unknown",
            emotions=emotions,
            sentiment=total / math.sqrt(total * total + 1.0),
            abuse=1.0 - keep.get("abuse", 1.0),
            life_events=life,
            churn=1.0 - keep.get("churn", 1.0),
            repeat=1.0 - keep.get("repeat", 1.0),
            acts=acts,
            evidence=self.evidence,
        )


def _is_praise(entry: Entry) -> bool:
    """A positive emotion or a positive sentiment word."""
    return entry.signal in POSITIVE_EMOTIONS or (entry.signal == "sentiment" and entry.weight > 0)


def _token_at(tokens: Tokens, offset: int) -> int:
    """Index of the last token starting at or before `offset` (for the contrast rule)."""
    lo, hi = 0, len(tokens.starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens.starts[mid] <= offset:
            lo = mid + 1
        else:
            hi = mid
    return max(0, lo - 1)
