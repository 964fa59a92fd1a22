"""The rules layer's fast paths give what the plain per-token code gave, on every text of the bench
corpus (`bench/analysis_corpus.jsonl`, 2,000 Dutch and English texts of customers and agents).

Each fast path is compared with a straightforward reference written here (the code it replaced): the
matcher's one-lookup-per-token scan with the per-token trie walk, the token offsets from `re.split`
with `str.find`, the emoji and emoticon shortcuts with the full scan. The analyses themselves were
byte-identical before and after the change (docs/performance.md, "The rules layer, compiled").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gezien.analysis import AnalysisConfig, Analyzer
from gezien.analysis.engine import RuleEngine, _step, _walk
from gezien.analysis.text import TOKEN_RE, tokenize

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "analysis_corpus.jsonl"
# Edge cases the corpus lacks: emoji, emoticons, a phrase at the very end, punctuation runs, "İ".
EXTRA = [
    "",
    "!!!",
    "Top 👍",
    "Super :) bedankt!",
    "wat een ellende :-( ik zeg alles op",
    "İstanbul, 3e keer gebeld... al 5x!",
    "ik wil opzeggen",
    "nooit meer\nbedankt voor niks.",
]


@pytest.fixture(scope="module")
def texts() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["text"], row["role"]) for row in rows] + [(t, "customer") for t in EXTRA]


@pytest.fixture(scope="module")
def engine() -> RuleEngine:
    return Analyzer(AnalysisConfig()).rules


def _reference_find(engine: RuleEngine, words: list[str], lang: str, agent: bool) -> list[tuple]:
    """The matcher as it was: each token steps into the trie from the root, in Python."""
    lex = engine.lexicons[lang]
    root = lex.root if agent else lex.customer_root
    language = engine._langs[lang]
    hits: list[tuple] = []
    for i, w in enumerate(words):
        nodes = () if w[0] in ".!?;:,\n" else _step(root, w, language, first=True)
        for node in nodes:
            for entry in node.ends:
                hits.append((entry, i, i + 1))
            if not node.leaf:
                _walk(node, words, i + 1, i, language, hits)
    return hits


def test_matcher_finds_what_the_trie_walk_finds(engine: RuleEngine, texts: list[tuple[str, str]]) -> None:
    checked = 0
    for text, _role in texts:
        tokens = tokenize(text)
        for lang in ("nl", "en"):
            for agent in (False, True):
                expected = _reference_find(engine, tokens.words, lang, agent)
                assert engine._find(tokens, lang, agent) == expected, text
                checked += len(expected)
    assert checked > 10_000  # the corpus exercises the matcher, not only empty texts


def test_token_offsets_match_the_tokens(texts: list[tuple[str, str]]) -> None:
    for text, _role in texts:
        tokens = tokenize(text)
        lowered = tokens.lowered
        assert tokens.words == TOKEN_RE.findall(lowered)
        position = 0
        for word, start, end in zip(tokens.words, tokens.starts, tokens.ends, strict=True):
            position = lowered.find(word, position)
            assert (start, end) == (position, position + len(word))
            assert text[start:end].lower() == word or len(text.lower()) != len(text)
            position = end


def test_symbol_shortcuts_miss_nothing(engine: RuleEngine, texts: list[tuple[str, str]]) -> None:
    for lang in ("nl", "en"):
        symbols = engine._symbols[lang]
        for text, _role in texts:
            expected = []
            if symbols.emoji is not None and max(text, default=" ") > "\u2000":
                expected = [(m.start(), m.end(), m.group()) for m in symbols.emoji.finditer(text)]
            for piece in symbols.emoticons.keys() & text.split():
                symbol = symbols.emoticons[piece]
                for m in re.finditer(rf"(?<!\S){re.escape(symbol)}(?=$|\s|[.,!?])", text):
                    expected.append((m.start(), m.end(), symbol))
            assert symbols.find(text) == expected, text
    assert engine._symbols["nl"].find("Super :) 👍") == [(9, 10, "👍"), (6, 8, ":)")]


def test_analyses_are_stable_and_shortcut_free(texts: list[tuple[str, str]]) -> None:
    """The same text gives the same analysis cold (first sight of every word) and warm (cached)."""
    cold = Analyzer(AnalysisConfig())
    warm = Analyzer(AnalysisConfig())
    sample = texts[::7]
    for text, role in sample:
        warm.analyze(text, role="agent" if role == "agent" else "customer")
    for text, role in sample:
        r = "agent" if role == "agent" else "customer"
        assert cold.analyze(text, role=r).to_dict() == warm.analyze(text, role=r).to_dict()
