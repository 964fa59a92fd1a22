"""The kennisbank pages: the list (live search and filters), one article with its feedback, the form
to write or edit one, and the proposals for a contact (the partial the contact page loads)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from django.conf import settings
from django.core.paginator import Page
from django.db.models import QuerySet
from django.forms import Form

from gezien.accounts.models import User
from gezien.contacts.models import Contact, ContactReason
from gezien.knowledge import selectors
from gezien.knowledge.models import Article, ArticleFeedback
from gezien.knowledge.selectors import ArticleProposal
from gezien.web.pages.shapes import paged

PAGE = 50


class Filters(TypedDict):
    reason: ContactReason | None
    tag: str | None
    stale: bool | None  # only articles due for review (True), only those that are not (False), or all
    archived: bool


class ListPage(TypedDict):
    query: str
    articles: Sequence[Article] | Page[Article]  # the hits of a search, or the page of the list
    page: Page[Article] | None  # None for a search (its hits are not paged)
    filters: Filters
    reasons: QuerySet[ContactReason]
    tags: list[str]
    review_days: int


class ArticlePage(TypedDict):
    article: Article
    feedback: list[ArticleFeedback]
    review_days: int


class FormPage(TypedDict):
    form: Form
    article: Article | None  # None for a new one


class SuggestionsPart(TypedDict):
    contact: Contact
    proposals: list[ArticleProposal]
    address: str  # "u" or "je": how the proposals' texts address the customer


def review_days() -> int:
    return int(settings.GEZIEN_KB_REVIEW_DAYS)


def list_page(query: str, filters: Filters, page_number: str | None) -> ListPage:
    """The articles matching `query` (best first), or without one every article within the filters,
    50 a page."""
    articles: Sequence[Article] | Page[Article]
    if query:
        articles = selectors.article_search(query, **filters)
        page = None
    else:
        page = paged(selectors.articles_filtered(**filters), page_number, PAGE)
        articles = page
    return {
        "query": query,
        "articles": articles,
        "page": page,
        "filters": filters,
        "reasons": ContactReason.objects.filter(active=True).order_by("name"),
        "tags": selectors.tags_in_use(),
        "review_days": review_days(),
    }


def article_page(article: Article) -> ArticlePage:
    """One article (from `selectors.article_detail`) with its latest feedback."""
    return {
        "article": article,
        "feedback": selectors.article_recent_feedback(article),
        "review_days": review_days(),
    }


def form_page(form: Form, article: Article | None) -> FormPage:
    return {"form": form, "article": article}


def suggestions_part(contact: Contact, user: User, address: str) -> SuggestionsPart:
    """The articles proposed for `contact`, each with why."""
    proposals = selectors.articles_for_contact(contact, user=user)
    return {"contact": contact, "proposals": proposals, "address": address}
