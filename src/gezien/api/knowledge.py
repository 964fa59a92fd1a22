"""/api/articles: the kennisbank (list, search, read, write, review, archive), proposals for a contact
(/api/contacts/{id}/articles) and "heeft geholpen" (/api/articles/{id}/feedback)."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field, StrictBool

from gezien.accounts.http import current_user
from gezien.accounts.models import User
from gezien.api.auth import require_perm
from gezien.api.common import BoundedLimitOffset, DbId, find_or_404, get_or_404
from gezien.api.input import In
from gezien.api.schemas import username_of
from gezien.contacts.addressing import contact_address
from gezien.contacts.models import Contact, ContactReason
from gezien.core.errors import Invalid
from gezien.knowledge import selectors, services
from gezien.knowledge.models import Article, ArticleFeedback
from gezien.knowledge.selectors import ArticleProposal

router = Router(tags=["knowledge"])

SEARCH_HITS = 200
NOT_FOUND = "Dit artikel bestaat niet."


class ArticleIn(In):
    title: str = Field(max_length=400)
    body: str = Field(max_length=40_000)
    customer_text_u: str = Field(default="", max_length=10_000, description="customer-facing text, 'u'")
    customer_text_je: str = Field(default="", max_length=10_000, description="customer-facing text, 'je'")
    tags: list[str] = Field(default_factory=list, max_length=40)
    reasons: list[str] = Field(default_factory=list, max_length=60, description="contact reason codes")
    owner: str | None = Field(default=None, max_length=150, description="username; default: you")


class ArticlePatchIn(In):
    title: str | None = Field(default=None, max_length=400)
    body: str | None = Field(default=None, max_length=40_000)
    customer_text_u: str | None = Field(default=None, max_length=10_000)
    customer_text_je: str | None = Field(default=None, max_length=10_000)
    tags: list[str] | None = Field(default=None, max_length=40)
    reasons: list[str] | None = Field(default=None, max_length=60)
    owner: str | None = Field(default=None, max_length=150, description="username; null: nobody")
    reviewed: StrictBool = Field(default=False, description="also mark the article as reviewed now")


class ArticleOut(Schema):
    id: int
    title: str
    body: str
    customer_text_u: str
    customer_text_je: str
    tags: list[str]
    reasons: list[str] = Field(description="contact reason codes")
    owner: str | None
    last_reviewed_at: datetime | None
    last_reviewed_by: str | None
    stale: bool = Field(description="not reviewed for GEZIEN_KB_REVIEW_DAYS days")
    archived: bool
    archived_at: datetime | None
    helped: int = Field(description="times agents said it helped")
    not_helped: int
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    matched: list[str] = Field(default_factory=list, description="search words it matched")

    @staticmethod
    def resolve_tags(obj: Article) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_reasons(obj: Article) -> list[str]:
        return [r.code for r in obj.reasons.all()]

    @staticmethod
    def resolve_owner(obj: Article) -> str | None:
        return username_of(obj.owner)

    @staticmethod
    def resolve_last_reviewed_by(obj: Article) -> str | None:
        return username_of(obj.last_reviewed_by)

    @staticmethod
    def resolve_created_by(obj: Article) -> str | None:
        return username_of(obj.created_by)

    @staticmethod
    def resolve_stale(obj: Article) -> bool:
        return obj.is_stale

    @staticmethod
    def resolve_helped(obj: Article) -> int:
        return int(getattr(obj, "helped_count", 0))

    @staticmethod
    def resolve_not_helped(obj: Article) -> int:
        return int(getattr(obj, "not_helped_count", 0))

    @staticmethod
    def resolve_matched(obj: Article) -> list[str]:
        return list(getattr(obj, "matched", []))


class ArticleFilter(In):
    q: str = Field(default="", max_length=2000, description="words; inflections match (facturen ~ factuur)")
    reason: str | None = Field(default=None, max_length=60, description="contact reason code (and below)")
    tag: str | None = Field(default=None, max_length=40)
    stale: bool | None = Field(default=None, description="true: only overdue for review; false: the others")
    archived: bool = False


class ProposalArticleOut(Schema):
    id: int
    title: str
    owner: str | None
    last_reviewed_at: datetime | None

    @staticmethod
    def resolve_owner(obj: Article) -> str | None:
        return username_of(obj.owner)


class ProposalOut(Schema):
    article: ProposalArticleOut
    score: float
    why: str = Field(description="in Dutch, for the agent: matched words, same contact reason, 'lijkt op'")
    why_parts: list[str]
    matched: list[str]
    reason_match: Literal["reason", "parent", ""]
    similarity: float | None
    stale: bool
    helped: int
    not_helped: int
    feedback: bool | None = Field(description="your own verdict for this contact, if you gave one")
    customer_text: str = Field(description="the customer-facing text for the requested address")


class FeedbackIn(In):
    contact_id: DbId
    helped: StrictBool


class FeedbackOut(Schema):
    article_id: int
    contact_id: int
    helped: bool
    helped_count: int
    not_helped_count: int
    updated_at: datetime


def _reason(code: str | None) -> ContactReason | None:
    if not code:
        return None
    reason = ContactReason.objects.filter(code=code).first()
    if reason is None:
        raise Invalid(_("Onbekende contactreden: %(r)s") % {"r": code[:60]}, field="reason")
    return reason


def _user(username: str | None) -> Any:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Invalid(_("Onbekende medewerker: %(u)s") % {"u": username[:150]}, field="owner")
    return user


def _article(article_id: int) -> Article:
    return find_or_404(Article.objects.all(), article_id, _(NOT_FOUND))


def _reloaded(article: Article) -> Article:
    return selectors.article_detail(article.pk) or article


@router.get("/articles", response=list[ArticleOut])
@paginate(BoundedLimitOffset)
def list_articles(request: HttpRequest, filters: Query[ArticleFilter]) -> Any:
    """Articles by title, or with `q` the best matches first (at most 200), within the filters."""
    require_perm(request, "knowledge.view_article")
    options: dict[str, Any] = {
        "reason": _reason(filters.reason),
        "tag": filters.tag,
        "stale": filters.stale,
        "archived": filters.archived,
    }
    if filters.q.strip():
        return selectors.article_search(filters.q, limit=SEARCH_HITS, **options)
    return selectors.articles_filtered(**options)


@router.post("/articles", response={201: ArticleOut})
def create_article(request: HttpRequest, payload: ArticleIn) -> Status[Any]:
    require_perm(request, "knowledge.add_article")
    article = services.article_create(
        title=payload.title,
        body=payload.body,
        customer_text_u=payload.customer_text_u,
        customer_text_je=payload.customer_text_je,
        tags=payload.tags,
        reasons=services.reasons_from_codes(payload.reasons),
        owner=_user(payload.owner),
        actor=current_user(request),
    )
    return Status(201, _reloaded(article))


@router.get("/articles/{article_id}", response=ArticleOut)
def read_article(request: HttpRequest, article_id: DbId) -> Article:
    require_perm(request, "knowledge.view_article")
    article = selectors.article_detail(article_id)
    if article is None:
        return _article(article_id)  # raises NotFound
    return article


@router.patch("/articles/{article_id}", response=ArticleOut)
def change_article(request: HttpRequest, article_id: DbId, payload: ArticlePatchIn) -> Article:
    """Change what is given; `reviewed: true` also marks it reviewed. `owner: null` clears the owner."""
    require_perm(request, "knowledge.change_article")
    article = _article(article_id)
    fields = payload.model_fields_set
    reasons = services.reasons_from_codes(payload.reasons) if payload.reasons is not None else None
    owner = _user(payload.owner) if "owner" in fields else services.UNSET
    services.article_update(
        article=article,
        title=payload.title,
        body=payload.body,
        customer_text_u=payload.customer_text_u,
        customer_text_je=payload.customer_text_je,
        tags=payload.tags,
        reasons=reasons,
        owner=owner,
        reviewed=payload.reviewed,
        actor=current_user(request),
    )
    return _reloaded(article)


@router.post("/articles/{article_id}/reviewed", response=ArticleOut)
def review_article(request: HttpRequest, article_id: DbId) -> Article:
    """ "Nagekeken": the article is still right, as of now."""
    require_perm(request, "knowledge.change_article")
    article = services.article_mark_reviewed(article=_article(article_id), actor=current_user(request))
    return _reloaded(article)


@router.post("/articles/{article_id}/archive", response=ArticleOut)
def archive_article(request: HttpRequest, article_id: DbId) -> Article:
    require_perm(request, "knowledge.archive_article")
    article = services.article_archive(article=_article(article_id), actor=current_user(request))
    return _reloaded(article)


@router.post("/articles/{article_id}/restore", response=ArticleOut)
def restore_article(request: HttpRequest, article_id: DbId) -> Article:
    require_perm(request, "knowledge.archive_article")
    article = services.article_restore(article=_article(article_id), actor=current_user(request))
    return _reloaded(article)


@router.delete("/articles/{article_id}", response={204: None})
def delete_article(request: HttpRequest, article_id: DbId) -> Status[Any]:
    require_perm(request, "knowledge.delete_article")
    services.article_delete(article=_article(article_id), actor=current_user(request))
    return Status(204, None)


@router.post("/articles/{article_id}/feedback", response=FeedbackOut)
def article_feedback(request: HttpRequest, article_id: DbId, payload: FeedbackIn) -> dict[str, Any]:
    """Say whether the article helped with a contact; saying it again changes your verdict."""
    require_perm(request, "knowledge.add_articlefeedback")
    article = _article(article_id)
    contact = find_or_404(Contact.objects.all(), payload.contact_id, _("Dit contact bestaat niet."))
    feedback = services.article_feedback(
        article=article,
        contact=contact,
        user=current_user(request),
        helped=payload.helped,
    )
    counts = ArticleFeedback.objects.filter(article=article)
    return {
        "article_id": article.pk,
        "contact_id": contact.pk,
        "helped": feedback.helped,
        "helped_count": counts.filter(helped=True).count(),
        "not_helped_count": counts.filter(helped=False).count(),
        "updated_at": feedback.updated_at,
    }


class ProposalQuery(In):
    limit: int = Field(default=3, ge=1, le=20)
    address: Literal["u", "je"] | None = Field(
        default=None, description="which customer text to return; default: how the desk addresses them"
    )


@router.get("/contacts/{contact_id}/articles", response=list[ProposalOut])
def contact_articles(
    request: HttpRequest, contact_id: DbId, options: Query[ProposalQuery]
) -> list[dict[str, Any]]:
    """Articles proposed for the contact from its words and reason, best first, each with why."""
    require_perm(request, "knowledge.view_article")
    contact = get_or_404(Contact, contact_id)
    address = options.address
    if address is None:
        address = contact_address(contact).address
    proposals = selectors.articles_for_contact(contact, limit=options.limit, user=current_user(request))
    return [_proposal(p, address) for p in proposals]


def _proposal(proposal: ArticleProposal, address: str) -> dict[str, Any]:
    return {
        "article": proposal.article,
        "score": proposal.score,
        "why": proposal.why,
        "why_parts": list(proposal.why_parts),
        "matched": list(proposal.matched),
        "reason_match": proposal.reason_match,
        "similarity": proposal.similarity,
        "stale": proposal.stale,
        "helped": proposal.helped,
        "not_helped": proposal.not_helped,
        "feedback": proposal.feedback,
        "customer_text": proposal.customer_text(address),
    }
