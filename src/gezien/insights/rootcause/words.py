"""The content words of a contact's text, lemmatised: what reason proposals and similar-contact
proposals compare. Stop words, numbers and very short words carry no topic and are dropped."""

from __future__ import annotations

from gezien.analysis.text import EN_STOP, NL_STOP, lemma, tokenize

_STOP = (
    NL_STOP
    | EN_STOP
    | frozenset(
        [
            "goedemorgen",
            "goedemiddag",
            "goedenavond",
            "hallo",
            "hoi",
            "dag",
            "beste",
            "geachte",
            "groet",
            "groeten",
            "vriendelijke",
            "mvg",
            "bedankt",
            "dank",
            "alvast",
            "graag",
            "even",
            "klant",
            "mevrouw",
            "meneer",
            "heer",
            "naam",
            "bellen",
            "gebeld",
            "zeggen",
            "vragen",
            "vraag",
            "hebben",
            "zijn",
            "worden",
            "kunnen",
            "willen",
            "zullen",
            "gaan",
            "komen",
            "doen",
            "maken",
            "zien",
            "weten",
        ]
    )
)


def content_lemmas(text: str) -> list[str]:
    """Lowercased Dutch lemmas of the words of `text` that can say what it is about."""
    out = []
    for word in tokenize(text[:4000]).words:
        if len(word) < 3 or not word.isalpha() or word in _STOP:
            continue
        base = lemma(word, "nl")
        if base not in _STOP and len(base) >= 3:
            out.append(base)
    return out
