"""PostgreSQL: the tsvector with the `dutch` configuration (GIN index) that the services keep current."""

from collections.abc import Callable

import pytest
from django.db import connection

from gezien.accounts.models import User
from gezien.knowledge import services
from gezien.knowledge.models import Article
from gezien.knowledge.selectors import article_search

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search (run with DATABASE_URL)"
)


def _vector(article: Article) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM knowledge_article WHERE id = %s", [article.pk])
        row = cursor.fetchone()
    return row[0] if row else None


def test_the_column_and_its_gin_index_exist(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'knowledge_article' "
            "AND indexname = 'knowledge_article_search'"
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition.lower() and "search_vector" in definition


def test_the_dutch_stemmer_and_the_lemmas_both_match(make_article: Callable[..., Article]) -> None:
    article = make_article("Bestellingen volgen", "Het pakket is afgeschreven en opgezegd.")
    vector = _vector(article)
    assert vector is not None and "'bestell'" in vector  # dutch stemmer: bestellingen -> bestell
    assert "'afschrijv'" in vector  # the lemma afschrijven, stemmed
    assert [a.title for a in article_search("bestelling")] == ["Bestellingen volgen"]
    assert [a.title for a in article_search("afschrijving")] == ["Bestellingen volgen"]
    assert [a.title for a in article_search("opzeggen")] == ["Bestellingen volgen"]
    assert article_search("opzeggen")[0].matched == ["opzeggen"]  # type: ignore[attr-defined]


def test_weights_put_the_title_first(make_article: Callable[..., Article]) -> None:
    make_article("Retour en bedenktijd", "Veertien dagen.")
    make_article("Toestel instellen", "Na een retour: eerst resetten.")
    assert [a.title for a in article_search("retour")] == ["Retour en bedenktijd", "Toestel instellen"]


def test_archive_and_update_keep_the_vector_current(
    make_article: Callable[..., Article], teamlead: User
) -> None:
    article = make_article("Modem herstarten", "Stekker eruit.")
    services.article_update(article=article, body="Lampje knippert oranje.", actor=teamlead)
    assert "'knippert'" in (_vector(article) or "")
    assert "'stekker'" not in (_vector(article) or "")
    services.article_archive(article=article, actor=teamlead)
    assert _vector(article) is None
    assert article_search("modem") == []
    services.article_restore(article=article, actor=teamlead)
    assert [a.title for a in article_search("modem")] == ["Modem herstarten"]


@pytest.mark.parametrize("q", ["'", "a & | ! <->", ":*", "modem:* & !x", "\\", "\ud800 modem"])
def test_tsquery_syntax_in_user_text_is_harmless(make_article: Callable[..., Article], q: str) -> None:
    make_article("Modem herstarten", "Stekker eruit.")
    found = article_search(q)  # no words at all: the plain list, as for an empty search
    assert [a.title for a in found] == ["Modem herstarten"]
