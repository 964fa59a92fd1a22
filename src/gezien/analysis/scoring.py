"""The scorer of the rules layer: the matches of one text weighed into signals with evidence.

The matcher (engine.py) finds every pattern's hits; here they are sorted out (the longer match wins
inside its span, modifiers and register cues apart), each is weighed by the negators, intensifiers and
diminishers before it and by capitals, praise that reads as irony is turned round, churn is checked
for where the customer goes, and the weights of one signal combine by noisy-or. Emoji, emoticons and
style cues (capitals, "?!") are read from the raw text.

Two of the rare cases read the words around a cue in modules of their own, as plain functions: which
praise is sarcasm (sarcasm.py) and where a churn cue's customer goes (churn.py); the hit type, the
emotions' valence and a modifier's reach they share with this module are in cues.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Final

from gezien.analysis import lexicon as lx
from gezien.analysis.churn import TO_US, US, goes_to_us, is_prospect
from gezien.analysis.cues import MODIFIER_REACH, NEGATIVE_EMOTIONS, POSITIVE_EMOTIONS, PUNCT, VALENCE, Hit
from gezien.analysis.lexicon import Entry, Lexicon
from gezien.analysis.register import decide_sums
from gezien.analysis.result import ACTS, EMOTIONS, LIFE_EVENTS, Analysis, Evidence, Lang, Role
from gezien.analysis.sarcasm import sarcasm as sarcasm_of
from gezien.analysis.text import EXCLAIM_RE, SENTENCE_END, Tokens, shouting
from gezien.analysis.typos import FACTOR as TYPO_FACTOR
from gezien.analysis.typos import TypoIndex

HATE_SIGNALS: Final = frozenset(
    {"abuse", "dehumanising"}
)  # abuse a quote, a report or counter-speech cancels
ACT_SET: Final = frozenset(ACTS)
LIFE_SET: Final = frozenset(LIFE_EVENTS)
EMOTION_SET: Final = frozenset(EMOTIONS)
PLAIN_MARKS: Final = frozenset("-'.,!?")  # in plain words and sentences as often as in emoticons
TARGET_REACH: Final = 2  # profanity this close to "je", "jullie", "bedrijf" is aimed at someone
SET_THRESHOLD: Final = 0.5  # life events and acts are sets: in when their combined weight reaches this
ABUSE_UNDIRECTED: Final = 0.3
ABUSE_ANGER: Final = 0.7  # swearing at the situation is anger, only slightly abuse
CAPS_FACTOR: Final = 1.25
SHOUT_ANGER: Final = 0.45
IRONY_DISAPPOINTMENT: Final = 0.6  # praise read as irony: disappointment and anger, per unit of its weight
IRONY_ANGER: Final = 0.35
IRONY_SENTIMENT: Final = -0.75
# Hate (see _aimed, _unmeant): vermin words and calls for violence aimed at a person or a group.
AIM_BEFORE: Final = 4
AIM_AFTER: Final = 2  # a target this many words before or after, in the same sentence
QUOTES_OPEN: Final = "“„‘"
QUOTES_CLOSE: Final = "”’"
CLASH_ANGER: Final = 0.3  # "?!" in a negative text
# Praise ("jullie collega heeft me super geholpen") names an earlier contact without complaining of it.
PRAISE_AT: Final = 0.5
PRAISE_NEGATIVE_BELOW: Final = 0.3


SPAN: Final = itemgetter(1, 2)  # an Evidence's (start, end): evidence is shown in text order


def _longest_first(hit: Hit) -> int:
    return hit[1] - hit[2]


def _text_order(hit: Hit) -> tuple[int, int]:
    return hit[1], hit[1] - hit[2]


# Evidence built without the NamedTuple's Python-level __new__ (the same tuple, one call less).
_evidence: Final = tuple.__new__


@dataclass(frozen=True, slots=True)
class Symbols:
    """Emoji (anywhere) and ASCII emoticons (only as a word of their own: never "8)" in a list).

    Both are rare in a message, so each has a cheap C-level test before its regex runs."""

    emoji: re.Pattern[str] | None
    emoticons: dict[str, str]  # as written between spaces (also with a trailing ".,!?") -> emoticon
    entries: dict[str, list[Entry]]
    # A character every emoticon holds at least one of (":", ";", "(", ...: not the hyphens,
    # apostrophes and punctuation of plain words); None when some emoticon has none of them.
    marks: re.Pattern[str] | None = None
    # The lowest character an emoji starts with: a text whose highest character is below it has none
    # ("’" and "…" are above U+2000, the emoji from "⌛" U+231B up).
    emoji_from: str = "\u2000"

    @classmethod
    def of(cls, lex: Lexicon) -> Symbols:
        emoji = sorted((s for s in lex.symbols if any(ord(c) > 0x2000 for c in s)), key=len, reverse=True)
        emoji_re = re.compile("|".join(map(re.escape, emoji))) if emoji else None
        emoticons = {s + tail: s for s in lex.symbols if s not in emoji for tail in ("", ".", ",", "!", "?")}
        marks = {c for s in emoticons.values() for c in s if not c.isalnum() and c not in PLAIN_MARKS}
        every = all(not marks.isdisjoint(s) for s in emoticons.values())
        marks_re = re.compile("[" + "".join(map(re.escape, sorted(marks))) + "]") if marks and every else None
        emoji_from = min((s[0] for s in emoji), default="\u2000")
        return cls(emoji_re, emoticons, lex.symbols, marks_re, emoji_from)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        # An ASCII text has no emoji (str.isascii is one C pass, max() over the characters ten times
        # more); few texts hold an emoticon, and a set test of their pieces says so in C (after a
        # search for a character only emoticons have, where there is one).
        if self.emoji is not None and not text.isascii() and max(text) >= self.emoji_from:
            found = [(m.start(), m.end(), m.group()) for m in self.emoji.finditer(text)]
        if self.marks is not None and self.marks.search(text) is None:
            return found
        pieces = text.split()
        if self.emoticons.keys().isdisjoint(pieces):
            return found
        for piece in self.emoticons.keys() & pieces:
            symbol = self.emoticons[piece]
            for m in re.finditer(rf"(?<!\S){re.escape(symbol)}(?=$|\s|[.,!?])", text):
                found.append((m.start(), m.end(), symbol))
        return found


class Scorer:
    """Turns the hits of one text into an Analysis; one instance per call.

    `score` does the common work in one method on local variables (sorting out the hits, the
    modifiers, each content hit's weight, style, the result); the rare cases (sarcasm, hate, typos,
    churn's destination, emoji) are methods of their own."""

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
        # Register cues summed as they come, by Entry.register_slot: formal and informal address,
        # formal and informal style (decide_register's sums, added in the same order).
        self.register = [0.0, 0.0, 0.0, 0.0]
        self.cued = False
        self.cue_tokens: set[int] = set()
        self.phrase_tokens: set[int] = set()
        self.sarcasm: dict[int, str] = {}
        self.counter: list[int] = []

    def raise_(self, signal: str, weight: float, start: int, end: int, rule: str, shown: str = "") -> None:
        if weight <= 0:
            return
        self.keep[signal] = self.keep.get(signal, 1.0) * (1.0 - min(weight, 0.97))
        self.evidence.append(_evidence(Evidence, (shown or signal, start, end, self.text[start:end], rule)))

    def score(self, hits: list[Hit], symbols: Symbols) -> Analysis:
        text, tokens = self.text, self.tokens
        words = tokens.words
        agent = self.role == "agent"
        keep, polarity, evidence = self.keep, self.polarity, self.evidence
        content, modifiers, phrases = self._split(hits, agent)
        starts, ends = (tokens.starts, tokens.ends) if content else ((), ())

        negators: set[int] = set()
        factors: dict[int, float] = {}
        contrast = -1
        targets: set[int] = set()
        if modifiers:
            phrase_tokens = self.phrase_tokens
            for hit in modifiers:
                last, signal = hit[2] - 1, hit[0].signal
                if signal == "target":
                    targets.add(hit[1])
                elif signal == "counter":
                    self.counter.append(hit[1])  # counter-speech and reported speech: read by _unmeant
                elif last in phrase_tokens:
                    continue  # "geen" in "geen probleem" belongs to the phrase
                elif signal == "negator":
                    negators.add(last)
                elif signal == "contrast":
                    contrast = max(contrast, last)
                else:
                    factors[last] = factors.get(last, 1.0) * hit[0].weight

        if phrases:
            cue_tokens = self.cue_tokens = {t for hit in content for t in range(hit[1], hit[2])}
        else:  # every content hit is one token
            cue_tokens = self.cue_tokens = {hit[1] for hit in content}
        if len(content) > 1 and not agent:  # an agent's praise is taken at its word
            self.sarcasm = sarcasm_of(text, tokens, content, negators, contrast, cue_tokens)
        sarcasm, typo = self.sarcasm, self.typo
        look_back = bool(negators or factors)
        for hit in content:
            entry, first, end_token = hit
            factor, negated = 1.0, False
            if look_back:
                for k in range(first - 1, max(-1, first - 1 - MODIFIER_REACH), -1):
                    if words[k][0] in PUNCT or k in cue_tokens:
                        break  # a negator or intensifier belongs to the nearest cue after it
                    negated = negated or k in negators
                    if k in factors and first - k <= 2:
                        factor *= factors[k]
            start, end = starts[first], ends[end_token - 1]
            if end_token - first == 1 and end - start > 1 and text[start:end].isupper():
                factor *= CAPS_FACTOR
            weight, signal = entry.weight * factor, entry.signal
            if signal == "open_question":
                continue  # an opener only counts in a sentence that ends in "?" (see _questions)
            rule = entry.rule + "+negated" if negated else entry.rule
            if typo is not None:
                for written, meant, edits in self._typos(hit):
                    weight *= TYPO_FACTOR[edits]
                    rule += f"+typo:{written}>{meant}"
            if signal in HATE_SIGNALS and self._unmeant(hit, start):
                continue  # quoted, reported or argued against: not the writer's abuse
            if sarcasm and first in sarcasm and not negated and _is_praise(entry):
                self._irony(hit, weight, start, end, rule + sarcasm[first])
                continue
            if signal == "sentiment":
                signed = weight * (-0.5 if negated else 1.0)
                polarity.append((first, signed))
                shown = "positive" if signed > 0 else "negative"
                evidence.append(_evidence(Evidence, (shown, start, end, text[start:end], rule)))
            elif signal in EMOTION_SET:
                if negated:
                    if signal in POSITIVE_EMOTIONS:  # "niet tevreden", "not happy"
                        self._emotion("disappointment", weight * 0.6, first, start, end, rule)
                    elif signal == "stress":  # "geen zorgen"
                        self._emotion("reassurance", weight * 0.5, first, start, end, rule)
                    continue
                if weight > 0:  # raise_ inlined: the most common case
                    keep[signal] = keep.get(signal, 1.0) * (1.0 - min(weight, 0.97))
                    evidence.append(_evidence(Evidence, (signal, start, end, text[start:end], rule)))
                polarity.append((first, VALENCE[signal] * weight))
            elif signal == "dehumanising":
                if not negated and self._aimed(hit, targets):  # "moslims zijn ratten", not "ratten op zolder"
                    self.raise_("abuse", weight, start, end, rule + "+aimed")
                    self._emotion("anger", weight * ABUSE_ANGER, first, start, end, rule + "+aimed")
            elif signal == "profanity":
                if self._unmeant(hit, start):  # "hij noemde mij een kut...": the writer's anger, no abuse
                    self._emotion("anger", weight * 0.6, first, start, end, rule + "+reported")
                elif self._directed(hit, targets):
                    self.raise_("abuse", weight, start, end, rule + "+directed")
                    self._emotion("anger", weight * ABUSE_ANGER, first, start, end, rule + "+directed")
                else:
                    self.raise_("abuse", weight * ABUSE_UNDIRECTED, start, end, rule)
                    self._emotion("anger", weight * 0.6, first, start, end, rule)
            elif negated:  # "ik wil niet opzeggen", "niet overleden": no signal
                continue
            elif signal == "churn":  # weighed once the whole text is read (its destination, a death)
                self.churn_cues.append((weight, first, end_token, start, end, rule))
            else:
                if weight > 0:
                    keep[signal] = keep.get(signal, 1.0) * (1.0 - min(weight, 0.97))
                    evidence.append(_evidence(Evidence, (signal, start, end, text[start:end], rule)))
                if signal == "abuse":  # an insult or a threat is said in anger
                    self._emotion("anger", weight * ABUSE_ANGER, first, start, end, rule)

        found = symbols.find(text)
        if found:
            self._symbols(symbols, found)
        # Style: capitals and "?!" (shouting() answers most texts with one comparison).
        caps = shouting(text, tokens.lowered)
        exclaims = list(EXCLAIM_RE.finditer(text)) if "!" in text else []
        if agent:  # an agent who shouts: tone, shown as such, never the customer's anger
            for m in caps[:3]:
                evidence.append(Evidence("shouting", m.start(), m.end(), m.group(), "style:caps"))
            if "?" in text:
                self._questions(content)
        else:
            for m in caps[:3]:
                self.raise_("anger", SHOUT_ANGER / len(caps[:3]) * 1.5, m.start(), m.end(), "style:caps")
            if exclaims:
                negative = sum(w for _, w in polarity if w < 0)
                for m in exclaims:
                    if "?" in m.group() and negative < 0:
                        self.raise_("anger", CLASH_ANGER, m.start(), m.end(), "style:?!")
                        break
            if self.churn_cues:
                self._churn()
            if "repeat" in keep and self._praise():
                self._drop("repeat")
        return self._result(contrast, min(3, len(exclaims)))

    def _split(self, hits: list[Hit], agent: bool) -> tuple[list[Hit], list[Hit], bool]:
        """Content hits with the longer match winning inside its span; modifiers; and whether a
        content hit spans several tokens. Register cues are summed on the way."""
        content: list[Hit] = []
        modifiers: list[Hit] = []
        seen: dict[tuple[int, int, str], int] = {}
        # Signals follow the author: an agent's text yields acts (and tone) only, a customer's
        # everything but acts.
        wanted = lx.ACT if agent else lx.CONTENT
        phrases = False  # whether a content hit spans several tokens (a phrase or a gap pattern)
        for hit in hits:
            entry = hit[0]
            kind = entry.kind
            if kind == wanted:
                if entry.is_phrase:
                    phrases = True
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
                tokens = self.tokens
                s, e = tokens.starts[hit[1]], tokens.ends[hit[2] - 1]
                self.register[entry.register_slot] += entry.weight
                self.cued = True
                self.evidence.append(_evidence(Evidence, (entry.signal, s, e, self.text[s:e], entry.rule)))
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
        if not phrases:
            return content, modifiers, False  # no phrase: nothing to resolve, already in text order
        # The longer match wins: a hit is dropped where a longer hit kept covers one of its tokens.
        # Only hits of several tokens can cover others, so they are resolved among themselves (longest
        # first, as few as there are phrases), and a one-token hit is kept unless a kept phrase covers
        # it; then back into text order (longer first at the same token, as a stable sort by length
        # and then by first token would give).
        longs = [h for h in content if h[2] - h[1] > 1]
        longs.sort(key=_longest_first)
        owner = [0] * len(self.tokens.words)  # per token: the length of the longest hit kept over it
        phrase_tokens = self.phrase_tokens  # the tokens a kept hit of several tokens covers
        kept = []
        for hit in longs:
            first, end = hit[1], hit[2]
            length = end - first
            if max(owner[first:end]) > length:
                continue
            kept.append(hit)
            phrase_tokens.update(range(first, end))
            for t in range(first, end):
                if not owner[t]:  # a hit kept before is at least as long (longest first)
                    owner[t] = length
        kept += [h for h in content if h[2] - h[1] == 1 and h[1] not in phrase_tokens]
        kept.sort(key=_text_order)
        return kept, modifiers, True

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
        to_us = [goes_to_us(words, cue[1], cue[2], self.own_names) for cue in cues]
        prospect = any(to_us) or is_prospect(words)
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

    def _symbols(self, symbols: Symbols, found: list[tuple[int, int, str]]) -> None:
        agent = self.role == "agent"
        for start, end, symbol in found:
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
                elif entry.signal in lx.REGISTER_SIGNALS:  # style, never address
                    self.register[2 if entry.signal == "formal" else 3] += entry.weight
                    self.cued = True
                    self.evidence.append(Evidence(entry.signal, start, end, symbol, entry.rule))
                else:
                    self.raise_(entry.signal, entry.weight, start, end, entry.rule)

    def _questions(self, content: list[Hit]) -> None:
        words, starts, ends = self.tokens.words, self.tokens.starts, self.tokens.ends
        openers = [h for h in content if h[0].signal == "open_question"]
        begin = 0
        last = len(words) - 1
        for k, w in enumerate(words):
            if w[0] not in SENTENCE_END and k != last:
                continue
            if "?" in w and k > begin:
                open_ = [h for h in openers if begin <= h[1] < k and (h[2] - h[1] > 1 or h[1] - begin <= 1)]
                act = "open_question" if open_ else "closed_question"
                rule = open_[0][0].rule if open_ else "style:question"
                self.raise_(act, 1.0, starts[begin], ends[k], rule)
            begin = k + 1

    def _result(self, contrast: int, exclaims: int) -> Analysis:
        boost = 0.15 * exclaims
        keep = self.keep
        emotions = dict.fromkeys(EMOTIONS, 0.0)
        acts: frozenset[str] = frozenset()
        life: frozenset[str] = frozenset()
        if keep:
            power = 1.0 + boost
            for name, kept in keep.items():
                if name in EMOTION_SET:
                    emotions[name] = 1.0 - kept**power
            if not ACT_SET.isdisjoint(keep):
                acts = frozenset(a for a in ACT_SET.intersection(keep) if 1 - keep[a] >= SET_THRESHOLD)
            if not LIFE_SET.isdisjoint(keep):
                life = frozenset(e for e in LIFE_SET.intersection(keep) if 1 - keep[e] >= SET_THRESHOLD)
        total = 0.0
        if contrast >= 0:
            for index, weight in self.polarity:
                total += weight * (0.5 if index < contrast else 1.5)
        else:
            for _, weight in self.polarity:
                total += weight
        total *= 1.0 + boost
        evidence = self.evidence
        if len(evidence) > 1:
            evidence.sort(key=SPAN)
        return Analysis(
            text=self.text,
            lang=self.lang,
            role=self.role,
            register=decide_sums(*self.register) if self.cued else "unknown",
            emotions=emotions,
            sentiment=total / math.sqrt(total * total + 1.0),
            abuse=1.0 - keep.get("abuse", 1.0),
            life_events=life,
            churn=1.0 - keep.get("churn", 1.0),
            repeat=1.0 - keep.get("repeat", 1.0),
            acts=acts,
            evidence=evidence,
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
