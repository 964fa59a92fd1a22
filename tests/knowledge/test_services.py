"""Writing articles: the index follows every create, update, archive, restore and delete, in the same
transaction; bad input is refused by field and leaves nothing behind."""

from collections.abc import Callable

import pytest
from django.db import transaction

from gezien.accounts.models import User
from gezien.contacts.models import ContactReason
from gezien.core.errors import Conflict, Invalid
from gezien.knowledge import services
from gezien.knowledge.models import Article, Tag
from gezien.knowledge.selectors import article_search


def titles(q: str, **filters: object) -> list[str]:
    return [a.title for a in article_search(q, **filters)]  # type: ignore[arg-type]


def test_a_new_article_is_found_by_its_words_at_once(make_article: Callable[..., Article]) -> None:
    make_article("Dubbele afschrijving terugboeken", "Boek het dubbele bedrag terug via Terugbetaling.")
    make_article("Modem herstarten", "Laat de klant de stekker 30 seconden uit het stopcontact halen.")
    assert titles("terugbetaling") == ["Dubbele afschrijving terugboeken"]
    assert titles("stekker stopcontact") == ["Modem herstarten"]


def test_tags_and_reasons_are_searchable_and_normalised(
    make_article: Callable[..., Article], reasons: dict[str, ContactReason]
) -> None:
    article = make_article(
        "Kopie van een factuur",
        "Alle pdf's staan in Mijn Voorbeeld Telecom.",
        tags=["Thuiswerken", "#thuiswerken", " Factuur "],
        reasons=[reasons["factuur"]],
    )
    assert sorted(article.tags.values_list("name", flat=True)) == ["factuur", "thuiswerken"]
    assert Tag.objects.count() == 2
    assert titles("thuiswerken") == ["Kopie van een factuur"]
    assert titles("betaling") == ["Kopie van een factuur"]  # from the reason "Factuur en betaling"


def test_an_update_replaces_what_the_index_holds(make_article: Callable[..., Article], agent: User) -> None:
    article = make_article("Verhuizen", "Geef de verhuizing drie weken vooraf door.")
    services.article_update(
        article=article, title="Adreswijziging", body="Nieuwe postcode doorgeven.", actor=agent
    )
    assert titles("verhuizing") == []
    assert titles("postcode") == ["Adreswijziging"]
    services.article_update(article=article, tags=["glasvezel"], actor=agent)
    assert titles("glasvezel") == ["Adreswijziging"]


def test_archive_takes_it_out_of_search_and_restore_brings_it_back(
    make_article: Callable[..., Article], teamlead: User
) -> None:
    article = make_article("Actie tv-box", "Gratis tv-box bij overstap.")
    services.article_archive(article=article, actor=teamlead)
    article.refresh_from_db()
    assert article.archived and article.archived_at is not None
    assert titles("tv-box") == []
    assert titles("tv-box", archived=True) == ["Actie tv-box"]
    services.article_restore(article=article, actor=teamlead)
    assert titles("tv-box") == ["Actie tv-box"]


def test_delete_removes_article_and_index(make_article: Callable[..., Article], teamlead: User) -> None:
    article = make_article("Phishing herkennen", "Wij vragen nooit per sms om te betalen.")
    services.article_delete(article=article, actor=teamlead)
    assert not Article.objects.exists()
    assert titles("phishing") == []


def test_an_index_write_rolled_back_with_its_transaction(make_article: Callable[..., Article]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article("Nummerbehoud", "De overstapcode van de oude provider.")
        raise RuntimeError("the request failed after the article was written")
    assert not Article.objects.exists()
    assert titles("overstapcode") == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("title", "   "),
        ("title", "x" * 201),
        ("title", "Regel\x00"),
        ("body", ""),
        ("body", "Tekst met NUL \x00"),
        ("body", "x" * 20_001),
        ("body", "half surrogaat \ud800"),
        ("customer_text_u", "u" * 5_001),
        ("customer_text_je", 12),
    ],
)
def test_bad_input_is_refused_by_field(agent: User, db: None, field: str, value: object) -> None:
    fields: dict[str, object] = {"title": "Titel", "body": "Uitleg", field: value}
    with pytest.raises(Invalid) as refused:
        services.article_create(actor=agent, **fields)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert not Article.objects.exists()


def test_too_many_tags_and_unknown_reasons_are_refused(
    agent: User, reasons: dict[str, ContactReason]
) -> None:
    with pytest.raises(Invalid) as refused:
        services.article_create(title="T", body="B", tags=[f"label{i}" for i in range(21)], actor=agent)
    assert refused.value.field == "tags"
    with pytest.raises(Invalid) as unknown:
        services.reasons_from_codes(["factuur", "bestaat_niet"])
    assert "bestaat_niet" in unknown.value.message
    assert not Article.objects.exists()


def test_a_refused_update_changes_nothing(make_article: Callable[..., Article], agent: User) -> None:
    article = make_article("Voicemail instellen", "Bel 1233.")
    with pytest.raises(Invalid):
        services.article_update(article=article, title="Nieuwe titel", body="\x00", actor=agent)
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Voicemail instellen"
    assert titles("nieuwe titel") == []
    assert titles("voicemail") == ["Voicemail instellen"]


def test_an_archived_article_is_not_edited(make_article: Callable[..., Article], teamlead: User) -> None:
    article = make_article("Oude actie", "Verlopen.")
    services.article_archive(article=article, actor=teamlead)
    with pytest.raises(Conflict):
        services.article_update(article=article, title="Nieuw", actor=teamlead)


def test_owner_defaults_to_the_writer_and_can_be_cleared(
    make_article: Callable[..., Article], agent: User, teamlead: User
) -> None:
    article = make_article("Betalingsregeling", "Twee tot zes termijnen.", actor=agent)
    assert article.owner == agent and article.created_by == agent and article.last_reviewed_by == agent
    services.article_update(article=article, owner=teamlead, actor=agent)
    assert Article.objects.get(pk=article.pk).owner == teamlead
    services.article_update(article=article, owner=None, actor=agent)
    assert Article.objects.get(pk=article.pk).owner is None


def test_reindex_rebuilds_the_index(make_article: Callable[..., Article]) -> None:
    make_article("Retour binnen bedenktijd", "Veertien dagen.")
    Article.objects.update(title="Terugsturen")  # a bulk change past the services
    assert titles("terugsturen") == []
    assert services.articles_reindex() == (1, 0)
    assert titles("terugsturen") == ["Terugsturen"]


def test_the_reindex_command(make_article: Callable[..., Article]) -> None:
    from io import StringIO

    from django.core.management import call_command

    make_article("Voicemail", "Bel 1233.")
    out = StringIO()
    call_command("knowledge_reindex", stdout=out)
    assert "1 artikelen geïndexeerd" in out.getvalue()
    assert titles("voicemail") == ["Voicemail"]
