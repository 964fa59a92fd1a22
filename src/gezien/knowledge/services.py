"""Writes for the knowledge base. Each keeps the full-text index (and, where the learned layer is
installed, the article's embedding) in step with the article inside the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.contacts.models import Contact, ContactReason
from gezien.core.errors import Conflict, Invalid
from gezien.core.timebounds import check_moment
from gezien.knowledge import search, semantic
from gezien.knowledge.models import Article, ArticleEmbedding, ArticleFeedback, Tag

if TYPE_CHECKING:
    from gezien.accounts.models import User

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_CUSTOMER_TEXT = 5_000
MAX_TAGS = 20
MAX_TAG = 40
MAX_REASONS = 30


class _Unset:
    pass


UNSET: Any = _Unset()  # "leave as it is", where None means "nobody" (owner)


def _text(value: Any, field: str, limit: int, *, required: bool, one_line: bool = False) -> str:
    if not isinstance(value, str):
        raise Invalid(_("Dit veld is tekst."), field=field)
    if "\x00" in value:
        raise Invalid(_("De tekst bevat een ongeldig teken (NUL)."), field=field)
    if search.safe_text(value) != value:
        raise Invalid(_("De tekst bevat een ongeldig teken."), field=field)
    cleaned = " ".join(value.split()) if one_line else value.strip()
    if required and not cleaned:
        raise Invalid(_("Dit veld is verplicht."), field=field)
    if len(cleaned) > limit:
        raise Invalid(_("Maximaal %(n)d tekens.") % {"n": limit}, field=field)
    if one_line and any(ord(ch) < 32 for ch in cleaned):
        raise Invalid(_("De tekst bevat onzichtbare tekens."), field=field)
    return cleaned


def _tag_names(tags: Iterable[Any]) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    names: list[str] = []
    for raw in tags:
        name = _text(raw, "tags", MAX_TAG, required=False, one_line=True).casefold().strip("#")
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise Invalid(_("Maximaal %(n)d labels.") % {"n": MAX_TAGS}, field="tags")
    return names


def _reason_list(reasons: Iterable[ContactReason]) -> list[ContactReason]:
    found: list[ContactReason] = []
    for reason in reasons:
        if not isinstance(reason, ContactReason) or reason.pk is None:
            raise Invalid(_("Onbekende contactreden."), field="reasons")
        if reason not in found:
            found.append(reason)
    if len(found) > MAX_REASONS:
        raise Invalid(_("Maximaal %(n)d contactredenen.") % {"n": MAX_REASONS}, field="reasons")
    return found


def reasons_from_codes(codes: Sequence[str]) -> list[ContactReason]:
    """The contact reasons with these codes; an unknown code is refused by name."""
    wanted = list(dict.fromkeys(codes))
    found = {r.code: r for r in ContactReason.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise Invalid(
            _("Onbekende contactreden: %(codes)s") % {"codes": ", ".join(str(c)[:60] for c in missing[:5])},
            field="reasons",
        )
    return [found[code] for code in wanted]


def _set_tags(article: Article, names: list[str]) -> None:
    existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
    for name in names:
        if name not in existing:
            try:
                with transaction.atomic():  # a savepoint: another request may create the same label
                    existing[name] = Tag.objects.create(name=name)
            except IntegrityError:
                existing[name] = Tag.objects.get(name=name)
    article.tags.set([existing[name] for name in names])


def _document(article: Article, tags: list[str], reasons: list[ContactReason]) -> search.Document:
    return search.document(
        title=article.title,
        body=article.body,
        customer_texts=[article.customer_text_u, article.customer_text_je],
        tags=tags,
        reasons=[str(r.name) for r in reasons],
    )


def _embedding_source(article: Article) -> str:
    text = article.customer_text_u or article.customer_text_je or article.body
    return semantic.article_text(article.title, text)


def _embed(source: str) -> bytes | None:
    """The article's embedding, computed before the transaction opens (it takes tens of ms and
    should not hold the database's write lock), or None where semantic search is off."""
    vectors = semantic.embed_articles([source])
    return vectors[0] if vectors else None


def _store_embedding(article: Article, source: str, vector: bytes | None) -> None:
    if vector is None:
        return
    ArticleEmbedding.objects.update_or_create(
        article=article,
        defaults={"vector": vector, "model": semantic.model_name(), "text_hash": semantic.text_hash(source)},
    )


def _reindex(article: Article, tags: list[str], reasons: list[ContactReason]) -> None:
    if article.archived:
        search.unindex_article(article.pk)
    else:
        search.index_article(article.pk, _document(article, tags, reasons))


def article_create(
    *,
    title: str,
    body: str,
    customer_text_u: str = "",
    customer_text_je: str = "",
    tags: Iterable[str] = (),
    reasons: Iterable[ContactReason] = (),
    owner: User | None = None,
    actor: User | None = None,
    reviewed_at: datetime | None = None,
) -> Article:
    """Write a new article; writing it counts as reviewing it (`reviewed_at`, default now: imports and
    the demo keep their own dates)."""
    fields = {
        "title": _text(title, "title", MAX_TITLE, required=True, one_line=True),
        "body": _text(body, "body", MAX_BODY, required=True),
        "customer_text_u": _text(customer_text_u, "customer_text_u", MAX_CUSTOMER_TEXT, required=False),
        "customer_text_je": _text(customer_text_je, "customer_text_je", MAX_CUSTOMER_TEXT, required=False),
    }
    names, reason_list = _tag_names(tags), _reason_list(reasons)
    when = check_moment(reviewed_at, field="reviewed_at") if reviewed_at is not None else timezone.now()
    article = Article(
        **fields,
        owner=owner if owner is not None else actor,
        created_by=actor,
        last_reviewed_at=when,
        last_reviewed_by=actor,
    )
    source = _embedding_source(article)
    vector = _embed(source)
    with transaction.atomic():
        article.save(force_insert=True)
        _set_tags(article, names)
        article.reasons.set(reason_list)
        _reindex(article, names, reason_list)
        _store_embedding(article, source, vector)
    return article


def article_update(
    *,
    article: Article,
    title: str | None = None,
    body: str | None = None,
    customer_text_u: str | None = None,
    customer_text_je: str | None = None,
    tags: Iterable[str] | None = None,
    reasons: Iterable[ContactReason] | None = None,
    owner: User | None = UNSET,
    reviewed: bool = False,
    actor: User | None = None,
) -> Article:
    """Change what is given; `reviewed` also marks the article as reviewed now (the editor checked it).
    An archived article is not edited: restore it first."""
    if article.archived:
        raise Conflict(_("Dit artikel is gearchiveerd; zet het eerst terug."), field="archived")
    if title is not None:
        article.title = _text(title, "title", MAX_TITLE, required=True, one_line=True)
    if body is not None:
        article.body = _text(body, "body", MAX_BODY, required=True)
    if customer_text_u is not None:
        article.customer_text_u = _text(customer_text_u, "customer_text_u", MAX_CUSTOMER_TEXT, required=False)
    if customer_text_je is not None:
        article.customer_text_je = _text(
            customer_text_je, "customer_text_je", MAX_CUSTOMER_TEXT, required=False
        )
    names = _tag_names(tags) if tags is not None else None
    reason_list = _reason_list(reasons) if reasons is not None else None
    source = _embedding_source(article)
    vector = None
    if semantic.enabled():  # embed again only when the text the encoder reads has changed
        stored = ArticleEmbedding.objects.filter(article=article).values_list("text_hash", flat=True).first()
        vector = _embed(source) if stored != semantic.text_hash(source) else None
    with transaction.atomic():
        if owner is not UNSET:
            article.owner = owner
        if reviewed:
            article.last_reviewed_at, article.last_reviewed_by = timezone.now(), actor
        article.save()
        if names is not None:
            _set_tags(article, names)
        if reason_list is not None:
            article.reasons.set(reason_list)
        _reindex(
            article,
            names if names is not None else list(article.tags.values_list("name", flat=True)),
            reason_list if reason_list is not None else list(article.reasons.all()),
        )
        _store_embedding(article, source, vector)
    return article


@transaction.atomic
def article_mark_reviewed(*, article: Article, actor: User | None = None) -> Article:
    """ "Nagekeken": someone checked that the article is still right."""
    article.last_reviewed_at, article.last_reviewed_by = timezone.now(), actor
    article.save(update_fields=["last_reviewed_at", "last_reviewed_by", "updated_at"])
    return article


@transaction.atomic
def article_archive(*, article: Article, actor: User | None = None) -> Article:
    """Archive: never proposed or found again, kept with its feedback (restore brings it back)."""
    if article.archived:
        return article
    article.archived, article.archived_at = True, timezone.now()
    article.save(update_fields=["archived", "archived_at", "updated_at"])
    search.unindex_article(article.pk)
    ArticleEmbedding.objects.filter(article=article).delete()
    return article


def article_restore(*, article: Article, actor: User | None = None) -> Article:
    if not article.archived:
        return article
    source = _embedding_source(article)
    vector = _embed(source)
    with transaction.atomic():
        article.archived, article.archived_at = False, None
        article.save(update_fields=["archived", "archived_at", "updated_at"])
        _reindex(article, list(article.tags.values_list("name", flat=True)), list(article.reasons.all()))
        _store_embedding(article, source, vector)
    return article


@transaction.atomic
def article_delete(*, article: Article, actor: User | None = None) -> None:
    """Remove the article and its feedback for good (team leads; archiving is the everyday way)."""
    search.unindex_article(article.pk)
    article.delete()


@transaction.atomic
def article_feedback(*, article: Article, contact: Contact, user: User, helped: bool) -> ArticleFeedback:
    """Say whether the article helped with the contact; saying it again changes the verdict."""
    if not isinstance(helped, bool):
        raise Invalid(_("Zeg ja of nee."), field="helped")
    if article.archived:
        raise Conflict(_("Dit artikel is gearchiveerd."), field="article")
    feedback, _created = ArticleFeedback.objects.update_or_create(
        article=article, contact=contact, user=user, defaults={"helped": helped}
    )
    return feedback


def articles_reindex(*, embeddings: bool = False, batch: int = 32) -> tuple[int, int]:
    """Rebuild the full-text index of every article that is not archived (after a bulk change made
    outside the services, or new lemma data); with `embeddings`, also embed the articles whose stored
    embedding is missing or out of date. Returns (indexed, embedded)."""
    indexed = embedded = 0
    with transaction.atomic():
        search.index_clear()
        for article in Article.objects.filter(archived=False).prefetch_related("tags", "reasons"):
            tags = [t.name for t in article.tags.all()]
            search.index_article(article.pk, _document(article, tags, list(article.reasons.all())))
            indexed += 1
    if not embeddings or not semantic.enabled():
        return indexed, embedded
    stored = dict(ArticleEmbedding.objects.values_list("article_id", "text_hash"))
    todo = []
    for article in Article.objects.filter(archived=False).order_by("pk"):
        source = _embedding_source(article)
        if stored.get(article.pk) != semantic.text_hash(source):
            todo.append((article, source))
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        vectors = semantic.embed_articles([source for _article, source in chunk])
        if vectors is None:
            break
        with transaction.atomic():
            for (article, source), vector in zip(chunk, vectors, strict=True):
                _store_embedding(article, source, vector)
        embedded += len(chunk)
    return indexed, embedded
