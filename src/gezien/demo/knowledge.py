"""The demo kennisbank of Voorbeeld Telecom: articles for the contact reasons of the demo organisation.

Written through the services (so the full-text index is built as in production). Some articles were
last reviewed long ago on purpose: the desk flags them ("al lang niet nagekeken"). A few closed demo
contacts carry "heeft geholpen" marks, so the proposals show how often an article helped. The articles
are data: `data/knowledge.toml`.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.models import Contact, ContactReason, Status
from gezien.demo import content
from gezien.demo.content import ArticlePlan, Helped
from gezien.knowledge.models import Article
from gezien.knowledge.services import article_archive, article_create, article_feedback

_DATA = content.knowledge()
ARTICLES: tuple[ArticlePlan, ...] = tuple(plan for plan in _DATA.articles if not plan.archived)
# Archived: promotions that have ended (kept for what agents said about them, never proposed).
ARCHIVED: tuple[ArticlePlan, ...] = tuple(plan for plan in _DATA.articles if plan.archived)
# Closed demo contacts of these reasons get "heeft geholpen" marks for the article named.
HELPED: tuple[Helped, ...] = _DATA.helped


def load_knowledge(*, users: dict[str, User], reasons: dict[str, ContactReason]) -> int:
    """Write the demo articles (and a few helped marks); returns how many articles were written."""
    now = timezone.now()
    written: dict[str, Article] = {}
    for plan in _DATA.articles:
        owner = users.get(plan.owner)
        written[plan.title] = article_create(
            title=plan.title,
            body=plan.body,
            customer_text_u=plan.text_u,
            customer_text_je=plan.text_je,
            tags=plan.tags,
            reasons=[reasons[code] for code in plan.reasons if code in reasons],
            owner=owner,
            actor=owner,
            reviewed_at=now - timedelta(days=plan.reviewed_days_ago),
        )
    for plan in ARCHIVED:
        article_archive(article=written[plan.title], actor=users.get(plan.owner))
    fallback = users.get("agent")
    for helped in HELPED:
        contacts = (
            Contact.objects.filter(reason__code=helped.reason, status=Status.CLOSED)
            .select_related("assigned_agent")
            .order_by("opened_at", "id")[: helped.yes + helped.no]
        )
        for index, contact in enumerate(contacts):
            user = contact.assigned_agent or fallback
            if user is not None:
                article_feedback(
                    article=written[helped.article], contact=contact, user=user, helped=index < helped.yes
                )
    return len(written)
