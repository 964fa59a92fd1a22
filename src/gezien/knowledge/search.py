"""The articles' full-text index and how it is queried, per database.

- SQLite: an FTS5 table `knowledge_article_fts` (title, keywords, body) holding the articles' words as
  lemmas (simplemma via `gezien.analysis.text`), ranked by bm25. Queries are lemmatised the same way,
  so "facturen" finds "factuur" and "opgezegd" finds "opzeggen".
- PostgreSQL: a `search_vector` tsvector (GIN index) with the `dutch` configuration over the words and
  their lemmas (title weight A, labels and reasons B, body without positions), ranked by ts_rank.
  The lemmas are added because the Snowball stemmer does not undo participles ("afgeschreven" is
  not stemmed like "afschrijven"; "opgezegd" not like "opzeggen").

Both are written by `index_article` (called by the services inside their transaction) and hold only
articles that are not archived. User text never reaches the query syntax: every term is a word token
(letters, digits, inner hyphens and apostrophes), quoted for FTS5, or handed to `plainto_tsquery` as a
bound parameter on PostgreSQL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection

from gezien.analysis.text import NL_STOP, lemma, tokenize
from gezien.desksettings.store import desk_setting

FTS_TABLE = "knowledge_article_fts"
ARTICLE_TABLE = "knowledge_article"
MAX_QUERY_CHARS = 2000  # what a query reads of a text (proposals read the newest messages first)
MAX_TERMS = 24  # distinct terms in one query: enough for a question, cheap for the index
# Column weights: a word in the title says more than one in the labels, which says more than the body.
BM25_WEIGHTS = (8.0, 4.0, 1.0)


# Words of greetings and contact-form boilerplate that say nothing about the question.
def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


SERVICE_STOP = _word_set(
    "goedemorgen goedemiddag goedenavond goedendag hoi hallo hey hé hee beste geachte heer mevrouw meneer "
    "groet groeten groetjes vriendelijke vriendelijk onderwerp naam klantnummer ordernummer e-mail email "
    "contactformulier bedankt alvast eh ehm nou oké ok jullie"
)
_NOISE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
_PARTS = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """One query word: as the customer wrote it (lower-case), its lemma, and the lemma's verb or noun
    in -ing ("afschrijving" for "afschrijven" and back), which the lemmatiser keeps apart."""

    word: str
    lemma: str
    derived: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.lemma, self.derived) if self.derived else (self.lemma,)


def derived_form(base: str) -> str:
    """The -ing noun of a verb lemma and the verb of an -ing noun: levering/leveren, opzeggen/opzegging."""
    if len(base) > 6 and base.endswith("ing") and base.isalpha():
        return base[:-3] + "en"
    if len(base) > 5 and base.endswith("en") and base.isalpha():
        return base[:-2] + "ing"
    return ""


def safe_text(text: str) -> str:
    """`text` as a database can take it: valid UTF-8 (lone surrogates become "?"), no NUL."""
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", " ")


# Dutch function words (Snowball's Dutch stop list) that the analysis stop list leaves out.
DUTCH_STOP = _word_set(
    "aan af al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een "
    "eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is "
    "ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder "
    "ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen "
    "wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou"
)
STOP = NL_STOP | SERVICE_STOP | DUTCH_STOP


def _is_term(word: str) -> bool:
    if len(word) < 2 or word in STOP:
        return False
    letters = sum(ch.isalpha() for ch in word)
    return letters > 0 and letters * 2 >= len(word)  # order and phone numbers are not topics


def words(text: str, limit: int | None = None) -> list[str]:
    """The content words of `text` in order, lower-case (tokens of `gezien.analysis.text`)."""
    found = []
    for word in tokenize(_NOISE.sub(" ", safe_text(text))).words:
        if word[0].isalnum() and _is_term(word):
            found.append(word)
            if limit is not None and len(found) >= limit:
                break
    return found


def terms_of(text: str, limit: int = MAX_TERMS, ignore: frozenset[str] = frozenset()) -> list[Term]:
    """The distinct query terms of `text` (at most `limit`, first come first), each with its lemma;
    words in `ignore` (as written or as lemma) are left out."""
    terms: list[Term] = []
    seen: set[str] = set()
    for word in words(text[:MAX_QUERY_CHARS]):
        if word in ignore:
            continue
        base = lemma(word, "nl")
        if base in seen or base in STOP or base in ignore:
            continue
        seen.add(base)
        terms.append(Term(word, base, derived_form(base)))
        if len(terms) >= limit:
            break
    return terms


def suggestion_stop() -> frozenset[str]:
    """Words the suggestions never match on: the organisation's own name (every customer may write it,
    so it says nothing about the question) and GEZIEN_KNOWLEDGE_STOP_WORDS, with their lemmas."""
    from django.conf import settings

    return _stop_words((desk_setting("organisation_name"), *settings.GEZIEN_KNOWLEDGE_STOP_WORDS))


@lru_cache(maxsize=4)
def _stop_words(phrases: tuple[str, ...]) -> frozenset[str]:
    found: set[str] = set()
    for phrase in phrases:
        for word in tokenize(safe_text(phrase)).words:
            if word[0].isalnum():
                found |= {word, lemma(word, "nl")}
    return frozenset(found)


def lemmas_of(text: str) -> str:
    """`text` as lemmas, space-separated: what the SQLite index holds."""
    return " ".join(lemma(w, "nl") for w in words(text))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _parts(text: str) -> list[str]:
    """Index tokens as FTS5's unicode61 tokenizer (remove_diacritics 2) sees them."""
    return [p for p in _PARTS.findall(_fold(text).replace("_", " ")) if p]


@dataclass(frozen=True)
class Document:
    """What the index holds for one article."""

    title: str
    keywords: str  # labels and contact-reason names
    body: str  # the agent's text and both customer texts


def document(
    *, title: str, body: str, customer_texts: Iterable[str], tags: Iterable[str], reasons: Iterable[str]
) -> Document:
    return Document(
        title=title,
        keywords=" ".join([*tags, *reasons]),
        body="\n".join([body, *customer_texts]),
    )


def _vendor() -> str:
    return connection.vendor


# ----------------------------------------------------------------------------------------- writing


def index_article(article_id: int, doc: Document) -> None:
    """Put (or replace) the article in the index. Call inside the transaction that saves it."""
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, keywords, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [article_id, lemmas_of(doc.title), lemmas_of(doc.keywords), lemmas_of(doc.body)],
            )
        elif _vendor() == "postgresql":
            # The body without positions (`strip`): its words count once and rank below the title (A)
            # and the labels (B), and the vector stays small; with positions, ranking 5,000 articles
            # took twice as long (bench/bench_knowledge.py).
            cursor.execute(
                f"UPDATE {ARTICLE_TABLE} SET search_vector = "  # noqa: S608
                "setweight(to_tsvector('dutch', %s), 'A') || setweight(to_tsvector('dutch', %s), 'B')"
                " || strip(to_tsvector('dutch', %s)) WHERE id = %s",
                [_with_lemmas(doc.title), _with_lemmas(doc.keywords), _with_lemmas(doc.body), article_id],
            )


def _with_lemmas(text: str) -> str:
    """The text itself plus the lemmas that differ from their word, for the Dutch stemmer to stem too."""
    extra = {base for w in words(text) if (base := lemma(w, "nl")) != w}
    return safe_text(text) + ("\n" + " ".join(sorted(extra)) if extra else "")


def unindex_article(article_id: int) -> None:
    """Take the article out of the index (archived or deleted)."""
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])  # noqa: S608
        elif _vendor() == "postgresql":
            cursor.execute(
                f"UPDATE {ARTICLE_TABLE} SET search_vector = NULL WHERE id = %s",  # noqa: S608
                [article_id],
            )


def index_clear() -> None:
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        elif _vendor() == "postgresql":
            cursor.execute(f"UPDATE {ARTICLE_TABLE} SET search_vector = NULL")  # noqa: S608


# ----------------------------------------------------------------------------------------- reading


def _fts5_query(terms: Sequence[Term]) -> str:
    """An FTS5 query that is always valid: each lemma a quoted string, joined by OR."""
    quoted = []
    for term in terms:
        for form in term.forms:
            if _parts(form):  # a string of only separators would be an empty phrase
                quoted.append('"' + form.replace('"', '""') + '"')
    return " OR ".join(quoted)


def _pg_strings(terms: Sequence[Term]) -> list[str]:
    strings: list[str] = []
    for term in terms:
        for value in (term.word, *term.forms):
            if value not in strings:
                strings.append(value)
    return strings


def fulltext(terms: Sequence[Term], limit: int) -> list[tuple[int, float]]:
    """Article ids matching any term, best first, with a relevance (higher is better)."""
    if not terms or limit <= 0:
        return []
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            query = _fts5_query(terms)
            if not query:
                return []
            weights = ", ".join(str(w) for w in BM25_WEIGHTS)
            # Joined with the articles: the index never answers for a row that is gone or archived
            # (a table flush, for one, leaves the FTS table alone).
            cursor.execute(
                f"SELECT f.rowid, bm25({FTS_TABLE}, {weights}) AS rank FROM {FTS_TABLE} f "  # noqa: S608
                f"JOIN {ARTICLE_TABLE} a ON a.id = f.rowid "
                f"WHERE {FTS_TABLE} MATCH %s AND NOT a.archived ORDER BY rank LIMIT %s",
                [query, limit],
            )
            return [(int(pk), -float(rank)) for pk, rank in cursor.fetchall()]
        if _vendor() == "postgresql":
            strings = _pg_strings(terms)
            tsquery = " || ".join(["plainto_tsquery('dutch', %s)"] * len(strings))
            cursor.execute(
                f"SELECT a.id, ts_rank(a.search_vector, q.query) AS rank "  # noqa: S608
                f"FROM {ARTICLE_TABLE} a, (SELECT {tsquery} AS query) q "
                "WHERE a.search_vector @@ q.query AND NOT a.archived ORDER BY rank DESC, a.id LIMIT %s",
                [*strings, limit],
            )
            return [(int(pk), float(rank)) for pk, rank in cursor.fetchall()]
    return []


def _has(present: set[str], form: str) -> bool:
    parts = _parts(form)
    return bool(parts) and set(parts) <= present


def matched_terms(article_ids: Sequence[int], terms: Sequence[Term]) -> dict[int, list[Term]]:
    """Which of `terms` each article matched, as the index sees it (for "why was this proposed")."""
    if not article_ids or not terms:
        return {}
    found: dict[int, list[Term]] = {pk: [] for pk in article_ids}
    marks = ", ".join(["%s"] * len(article_ids))
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute(
                f"SELECT rowid, title, keywords, body FROM {FTS_TABLE} WHERE rowid IN ({marks})",  # noqa: S608
                list(article_ids),
            )
            for pk, title, keywords, body in cursor.fetchall():
                present = set(_parts(f"{title} {keywords} {body}"))
                found[int(pk)] = [t for t in terms if any(_has(present, form) for form in t.forms)]
        elif _vendor() == "postgresql":
            strings = _pg_strings(terms)
            cursor.execute(
                f"SELECT a.id, t.term FROM {ARTICLE_TABLE} a, unnest(%s::text[]) AS t(term) "  # noqa: S608
                f"WHERE a.id IN ({marks}) AND a.search_vector @@ plainto_tsquery('dutch', t.term)",
                [strings, *article_ids],
            )
            hits: dict[int, set[str]] = {}
            for pk, term in cursor.fetchall():
                hits.setdefault(int(pk), set()).add(term)
            for pk, strings_hit in hits.items():
                found[pk] = [t for t in terms if {t.word, *t.forms} & strings_hit]
    return found
