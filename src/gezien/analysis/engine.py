"""The rules layer: lexicon matches, modifiers and style cues combined into signals with evidence.

One pass tokenises the text; each token looks up the patterns that can start there (by word, lemma,
prefix or number class); the scorer (scoring.py) then lets longer matches win over the shorter ones
inside them, weighs each match by the negators, intensifiers and diminishers before it and by
capitals, and combines the weights of one signal by noisy-or (two independent cues of 0.6 make 0.84).
Sentiment adds signed weights (sentiment words plus the valence of emotions), squashed to -1..1 as
VADER does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final, NamedTuple

from gezien.analysis import lexicon as lx
from gezien.analysis.cues import PUNCT, Hit
from gezien.analysis.lexicon import NUM, ORD, Lexicon, Node
from gezien.analysis.result import Analysis, Lang, Role
from gezien.analysis.scoring import Scorer, Symbols
from gezien.analysis.text import (
    Tokens,
    detect_lang,
    dutch_lemma,
    english_lemmas,
    is_number,
    is_ordinal,
    tokenize,
)
from gezien.analysis.typos import TypoIndex, dutch_word

CANDIDATE_CACHE: Final = 100_000  # distinct words remembered per language (about 20 MB when full)
NODE_MEMO: Final = 1_000  # next words remembered per trie node that has children

TYPO_LANGS: Final = frozenset({"nl"})  # languages whose words are matched with typos (see typos.py)


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
        self._symbols = {lang: Symbols.of(lex) for lang, lex in lexicons.items()}
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

    def analyze(self, text: object, lang: Lang | None = None, role: Role = "customer") -> Analysis:
        # `text: object`, checked here: compiled (native.py), a `str` parameter would refuse other
        # types with mypyc's own message before this clearer one.
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
        scorer = Scorer(text, tokens, lang, role, self._targets[lang], self.own_names, self._langs[lang].typo)
        return scorer.score(hits, self._symbols[lang])

    def _find(self, tokens: Tokens, lang: str, agent: bool) -> list[Hit]:
        """Every match of every pattern, walking the trie from each token that can start one (agent
        acts only in an agent's text).

        Where each distinct word leads from the root is compiled once into a dict (word -> trie
        nodes, empty for the half of the tokens that start nothing): one lookup per token, and a
        walk only from those that start a pattern. Compiled (native.py), this loop runs in C."""
        cache = self._first_steps[lang, agent]
        language = self._langs[lang]
        words = tokens.words
        hits: list[Hit] = []
        last = len(words) - 1
        for i in range(len(words)):
            nodes = cache.get(words[i])
            if nodes is None:  # a word this engine has not seen yet
                nodes = self._first_step(words[i], lang, agent)
            for node in nodes:
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
            w = words[k]
            if w[0] in PUNCT:
                break
            steps = gap.memo.get(w)  # remembered on the gap's node like any other step
            if steps is None:
                steps = _remember(gap, w, lang)
            for child in steps:
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
