"""Reads for the knowledge base: the list with its filters, search, and proposals for a contact."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gezien.contacts.models import Author, Contact, ContactReason, Message
from gezien.knowledge import search, semantic
from gezien.knowledge.models import Article, ArticleFeedback, Tag, review_cutoff

if TYPE_CHECKING:
    from gezien.accounts.models import User

SEARCH_LIMIT = 50
CANDIDATES = 50  # how deep each retriever's ranking is read before fusing
RRF_K = 60  # reciprocal-rank fusion: score = sum of 1 / (RRF_K + rank) over the rankings
REASON_FACTOR = 2.0  # an article linked to the contact's own reason
PARENT_FACTOR = 1.5  # ... or to the reason it falls under
REASON_ONLY_DEPTH = 20  # articles known only by their reason, ranked behind a good text match
QUERY_MESSAGES = 10
SHOWN_WORDS = 5
SEMANTIC_WAIT_S = 2.0


def _with_relations(qs: QuerySet[Article]) -> QuerySet[Article]:
    return qs.select_related("owner", "last_reviewed_by", "created_by").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch("reasons", queryset=ContactReason.objects.order_by("name")),
    )


def _with_counts(qs: QuerySet[Article]) -> QuerySet[Article]:
    return qs.annotate(
        helped_count=Count("feedback", filter=Q(feedback__helped=True)),
        not_helped_count=Count("feedback", filter=Q(feedback__helped=False)),
    )


def articles_filtered(
    *,
    reason: ContactReason | None = None,
    tag: str | None = None,
    stale: bool | None = None,
    archived: bool = False,
    now: datetime | None = None,
) -> QuerySet[Article]:
    """Articles by title, with tags, reasons and how often they helped. `reason` includes the articles
    of the reasons under it; `stale` True lists the ones overdue for review, False the others."""
    qs = Article.objects.filter(archived=archived)
    # Subqueries rather than joins: a join would repeat articles and multiply their feedback counts.
    if reason is not None:
        linked = Article.reasons.through.objects.filter(
            Q(contactreason=reason) | Q(contactreason__parent=reason)
        )
        qs = qs.filter(pk__in=linked.values("article_id"))
    if tag:
        labelled = Article.tags.through.objects.filter(tag__name=tag.strip().casefold())
        qs = qs.filter(pk__in=labelled.values("article_id"))
    if stale is not None:
        overdue = Q(last_reviewed_at__lt=review_cutoff(now)) | Q(last_reviewed_at__isnull=True)
        qs = qs.filter(overdue) if stale else qs.exclude(overdue)
    return _with_relations(_with_counts(qs)).order_by("title", "id")


def article_search(
    q: str,
    *,
    reason: ContactReason | None = None,
    tag: str | None = None,
    stale: bool | None = None,
    archived: bool = False,
    limit: int = SEARCH_LIMIT,
) -> list[Article]:
    """Articles matching the words of `q` (inflections included), best first, within the filters; with
    no words in `q`, the filtered list by title. Each article carries `matched` (the words it matched)."""
    filtered = articles_filtered(reason=reason, tag=tag, stale=stale, archived=archived)
    terms = search.terms_of(q)
    if not terms:
        articles = list(filtered[:limit])
        for article in articles:
            article.matched = []  # type: ignore[attr-defined]
        return articles
    if archived:  # archived articles are not in the index: search their titles and texts plainly
        words = Q()
        for term in terms:
            words |= Q(title__icontains=term.word) | Q(body__icontains=term.word)
        articles = list(filtered.filter(words)[:limit])
        for article in articles:
            article.matched = []  # type: ignore[attr-defined]
        return articles
    ranked = search.fulltext(terms, max(limit * 4, 200))
    order = {pk: index for index, (pk, _score) in enumerate(ranked)}
    found = sorted(filtered.filter(pk__in=list(order)), key=lambda a: order[a.pk])[:limit]
    matched = search.matched_terms([a.pk for a in found], terms)
    for article in found:
        article.matched = [t.word for t in matched.get(article.pk, [])]  # type: ignore[attr-defined]
    return found


def article_detail(article_id: int) -> Article | None:
    return _with_relations(_with_counts(Article.objects.filter(pk=article_id))).first()


def article_recent_feedback(article: Article, limit: int = 20) -> list[ArticleFeedback]:
    return list(ArticleFeedback.objects.filter(article=article).select_related("user", "contact")[:limit])


def tags_in_use() -> list[str]:
    return list(
        Tag.objects.filter(articles__archived=False)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )


# ----------------------------------------------------------------------------------------- proposals


@dataclass(frozen=True)
class ArticleProposal:
    """An article proposed for a contact, with why (in Dutch, for the agent) and what agents said."""

    article: Article
    score: float
    why_parts: tuple[str, ...]
    matched: tuple[str, ...] = ()
    reason_match: str = ""  # "reason" | "parent" | ""
    similarity: float | None = None  # cosine, when semantic search proposed it
    helped: int = 0  # times agents marked it as having helped
    not_helped: int = 0
    feedback: bool | None = None  # the given user's own verdict for this contact
    stale: bool = False

    @property
    def why(self) -> str:
        return "; ".join(self.why_parts)

    def customer_text(self, address: str) -> str:
        return self.article.customer_text(address)


@dataclass(frozen=True)
class ContactQuery:
    """What a contact asks, as text: for full text (subject, reason, newest customer words first) and
    for the encoder (subject and the newest customer message, short: embedding cost grows with length)."""

    text: str
    semantic_text: str
    reason_id: int | None
    reason_name: str
    parent_id: int | None
    parent_name: str


def _reason_row(contact: Contact) -> tuple[int, str, int | None, str] | None:
    """(id, name, parent id, parent name) of the contact's reason: from the contact when loaded."""
    if contact.reason_id is None:
        return None
    if Contact.reason.is_cached(contact) and contact.reason is not None:
        reason = contact.reason
        if ContactReason.parent.is_cached(reason):
            parent = reason.parent
            return reason.pk, str(reason.name), reason.parent_id, str(parent.name) if parent else ""
    table = ContactReason._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.id, r.name, p.id, p.name FROM {table} r LEFT JOIN {table} p ON p.id = r.parent_id "  # noqa: S608
            "WHERE r.id = %s",
            [contact.reason_id],
        )
        row = cursor.fetchone()
    return (row[0], row[1], row[2], row[3] or "") if row else None


def _customer_texts(contact: Contact) -> list[str]:
    """The contact's opening customer message, then its newest ones, newest first (one statement,
    hand-written: this runs for every proposal)."""
    table = Message._meta.db_table
    where = "contact_id = %s AND author = %s"
    mine: list[int | str] = [contact.pk, str(Author.CUSTOMER.value)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, text FROM {table} WHERE {where} AND (id IN "  # noqa: S608
            f"(SELECT id FROM {table} WHERE {where} ORDER BY sent_at DESC, id DESC LIMIT %s) OR id = "
            f"(SELECT id FROM {table} WHERE {where} ORDER BY sent_at, id LIMIT 1)) "
            "ORDER BY sent_at DESC, id DESC",
            [*mine, *mine, QUERY_MESSAGES, *mine],
        )
        rows = cursor.fetchall()
    if len(rows) <= 1:
        return [text for _id, text in rows]
    return [rows[-1][1], *(text for _id, text in rows[:-1])]


def contact_query(contact: Contact) -> ContactQuery:
    """What the contact asks: its subject, its opening customer message (where the customer says what
    it is about), then its newer customer messages, newest first, up to MAX_QUERY_CHARS. The opening
    comes first because a conversation's last words are mostly "oké, dank u" (measured in
    bench/bench_knowledge.py: newest-first alone put the right topic first less often). The reason is
    not added as words: it weighs in as a reason (see `_fuse`)."""
    reason = _reason_row(contact)
    texts = _customer_texts(contact)
    parts: list[str] = [contact.subject] if contact.subject else []
    size = sum(len(p) for p in parts)
    for text in texts:
        if size >= search.MAX_QUERY_CHARS:
            break
        parts.append(text[: search.MAX_QUERY_CHARS - size])
        size += len(parts[-1])
    opening = texts[0] if texts else ""
    semantic_text = " ".join(" ".join(p for p in (contact.subject, opening) if p).split())
    return ContactQuery(
        text="\n".join(parts),
        semantic_text=semantic_text[: semantic.QUERY_CHARS],
        reason_id=reason[0] if reason else None,
        reason_name=reason[1] if reason else "",
        parent_id=reason[2] if reason else None,
        parent_name=reason[3] if reason else "",
    )


def _reason_links(query: ContactQuery) -> tuple[dict[int, str], dict[int, int]]:
    """Articles (not archived) linked to the contact's reason ("reason") or its parent ("parent"),
    and how often each helped (to choose among many that share the reason), in one query."""
    wanted = [pk for pk in (query.reason_id, query.parent_id) if pk is not None]
    if not wanted:
        return {}, {}
    links: dict[int, str] = {}
    helped: dict[int, int] = {}
    through = Article.reasons.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT l.article_id, l.contactreason_id, COUNT(f.id) FROM {through} l "  # noqa: S608
            f"JOIN {Article._meta.db_table} a ON a.id = l.article_id "
            f"LEFT JOIN {ArticleFeedback._meta.db_table} f ON f.article_id = l.article_id AND f.helped "
            f"WHERE l.contactreason_id IN ({', '.join(['%s'] * len(wanted))}) AND NOT a.archived "
            "GROUP BY l.article_id, l.contactreason_id",
            wanted,
        )
        rows = cursor.fetchall()
    for article_id, reason_id, count in rows:
        helped[article_id] = int(count)
        if reason_id == query.reason_id:
            links[article_id] = "reason"
        else:
            links.setdefault(article_id, "parent")
    return links, helped


def _fuse(
    rankings: Sequence[Sequence[tuple[int, float]]],
    links: dict[int, str],
    helped: dict[int, int],
) -> dict[int, float]:
    """Reciprocal-rank fusion of `rankings` (full text, and semantic when on), weighed by reason."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, (pk, _score) in enumerate(ranking, start=1):
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (RRF_K + rank)
    # Articles known only by their reason rank just behind the last one the words found: with the
    # reason's weight, below every article with both, above most articles with words alone. The own
    # reason before its parent's, then the ones that helped most.
    only_reason = sorted(
        (pk for pk in links if pk not in scores),
        key=lambda pk: (links[pk] != "reason", -helped.get(pk, 0), pk),
    )
    for rank, pk in enumerate(only_reason[:REASON_ONLY_DEPTH], start=1):
        scores[pk] = 1.0 / (RRF_K + CANDIDATES + rank)
    # The weight grows with the number of rankings, so that an article first in both rankings but
    # not of the contact's reason does not pass the reason's own articles (the agent chose the reason).
    times = max(1, len(rankings))
    for pk, kind in links.items():
        if pk in scores:
            scores[pk] *= (REASON_FACTOR if kind == "reason" else PARENT_FACTOR) * times
    return scores


def _why(
    matched: Sequence[str],
    link: str,
    query: ContactQuery,
    similarity: float | None,
) -> tuple[str, ...]:
    parts: list[str] = []
    if matched:
        shown = ", ".join(matched[:SHOWN_WORDS])
        parts.append(
            ngettext("woord uit het contact: %(words)s", "woorden uit het contact: %(words)s", len(matched))
            % {"words": shown}
        )
    if link == "reason":
        parts.append(_("zelfde contactreden: %(reason)s") % {"reason": query.reason_name})
    elif link == "parent":
        parts.append(_("hoort bij contactreden %(reason)s") % {"reason": query.parent_name})
    if similarity is not None:
        parts.append(_("lijkt op wat de klant schrijft"))
    return tuple(parts)


def articles_for_contact(
    contact: Contact,
    *,
    limit: int = 3,
    user: User | None = None,
    use_semantic: bool | None = None,
) -> list[ArticleProposal]:
    """The articles most likely to help with `contact`, best first, each with why it is proposed.

    Full-text search over the contact's words (`contact_query`: subject, opening customer message,
    newer customer messages newest first), fused by reciprocal rank with semantic search where the
    learned layer is on (`use_semantic` overrides); articles linked to the contact's reason (x2 per
    ranking) or its parent (x1.5) weigh more, and are proposed on their reason alone when the words
    find too little. Archived articles never appear. With `user`, each proposal carries that
    person's own verdict for this contact. `score` is relative (higher is better), not a probability.
    """
    limit = max(1, min(limit, 20))
    query = contact_query(contact)
    semantic_on = semantic.enabled() if use_semantic is None else use_semantic and semantic.enabled()
    # The contact's words are embedded (when not cached) while the database answers the rest; not at
    # all while no article has an embedding.
    found = semantic.matrix() if semantic_on and query.semantic_text else None
    pending = semantic.query_vector_soon(query.semantic_text) if found is not None and found.ids else None
    terms = search.terms_of(query.text, ignore=search.suggestion_stop())
    text_ranking = search.fulltext(terms, CANDIDATES)
    links, helped = _reason_links(query)
    semantic_ranking: list[tuple[int, float]] = []
    if pending is not None:
        with suppress(TimeoutError):  # a stuck encoder must not hold the agent's page: full text it is
            vector = pending.result(timeout=SEMANTIC_WAIT_S)
            semantic_ranking = semantic.nearest_to(vector, CANDIDATES, found)
    rankings = [text_ranking, semantic_ranking] if semantic_on else [text_ranking]
    scores = _fuse(rankings, links, helped)
    if not scores:
        return []
    best = sorted(scores, key=lambda pk: (-scores[pk], pk))[: limit * 2]  # a few spare for the archived
    fetched = _with_counts(Article.objects.filter(pk__in=best, archived=False)).select_related("owner")
    articles = {a.pk: a for a in fetched}
    chosen = [pk for pk in best if pk in articles][:limit]
    matched = search.matched_terms(chosen, terms)
    mine: dict[int, bool] = {}
    if user is not None and user.is_authenticated:
        mine = dict(
            ArticleFeedback.objects.filter(
                article_id__in=chosen, contact_id=contact.pk, user=user
            ).values_list("article_id", "helped")
        )
    similarity = dict(semantic_ranking)
    proposals = []
    for pk in chosen:
        words = tuple(t.word for t in matched.get(pk, []))
        article = articles[pk]
        yes, no = article.helped_count, article.not_helped_count  # type: ignore[attr-defined]
        proposals.append(
            ArticleProposal(
                article=article,
                score=round(scores[pk] * 1000, 3),
                why_parts=_why(words, links.get(pk, ""), query, similarity.get(pk)),
                matched=words,
                reason_match=links.get(pk, ""),
                similarity=round(similarity[pk], 4) if pk in similarity else None,
                helped=yes,
                not_helped=no,
                feedback=mine.get(pk),
                stale=article.is_stale,
            )
        )
    return proposals


def proposals_warm_up(contact: Contact) -> None:
    """Start embedding the contact's words on the background thread (where semantic search is on),
    so that the first proposals for it find the query vector cached. For a process that handles the
    contact before an agent opens it, e.g. right after its message is stored; the cache is per process."""
    if not semantic.enabled():
        return
    text = contact_query(contact).semantic_text
    if text:
        semantic.query_vector_soon(text)
