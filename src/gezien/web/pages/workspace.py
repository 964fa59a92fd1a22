"""The workspace's own requests beside the contact page: the queue pane (`/werkruimte/wachtrij/`) and
the composer's picker of standard replies and knowledge articles (`/desk/contacts/<id>/picker/`).

Both are loaded by htmx after the contact page, so the page itself reads none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from gezien.contacts import selectors
from gezien.contacts.addressing import contact_address
from gezien.contacts.models import Channel, Contact
from gezien.contacts.selectors import QueueEntry
from gezien.knowledge.selectors import article_search, articles_for_contact
from gezien.replies.selectors import RenderedMacro, rendered_macros_for_contact
from gezien.web.pages.replies import shown_query
from gezien.web.pages.shapes import Choices

if TYPE_CHECKING:
    from gezien.accounts.models import User

QUEUE_PANE_LIMIT = 100
PICKER_MACROS = 8
PICKER_ARTICLES = 5
SCOPES = ("all", "mine", "free")


class QueuePane(TypedDict):
    entries: list[QueueEntry]
    unread: dict[int, int]  # contact id -> customer messages not answered yet
    current: int | None  # the contact the agent has open
    scope: str
    channel: str
    channels: Choices
    total: int  # waiting in the chosen channel, before the scope and the limit


def queue_scope(asked: str | None) -> str:
    return asked if asked in SCOPES else "all"


def queue_pane(user: User, *, scope: str, channel: str, current: int | None) -> QueuePane:
    """The waiting contacts of one channel (or all): every one, the agent's own, or nobody's yet; the
    unread count of each. A fixed number of queries (the SLA timers and routing flags are read by the
    template's tags, once for the list)."""
    entries = selectors.queue(channel=channel or None)
    total = len(entries)
    if scope == "mine":
        entries = [e for e in entries if e.contact.assigned_agent_id == user.pk]
    elif scope == "free":
        entries = [e for e in entries if e.contact.assigned_agent_id is None]
    entries = entries[:QUEUE_PANE_LIMIT]
    return {
        "entries": entries,
        "unread": selectors.unread_counts([e.contact.pk for e in entries]),
        "current": current,
        "scope": scope,
        "channel": channel if channel in Channel.values else "",
        "channels": Channel.choices,
        "total": total,
    }


@dataclass
class ArticlePick:
    """A knowledge article in the picker: what the composer gets (the customer text in the contact's
    form of address, or the title) and where the agent reads the whole article."""

    article: Any
    text: str
    summary: str


class PickerPart(TypedDict):
    contact: Contact
    query: str
    macros: list[RenderedMacro]
    articles: list[ArticlePick]


def _article_pick(article: Any, address: str) -> ArticlePick:
    u, je = article.customer_text_u, article.customer_text_je
    text = (je or u) if address == "je" else (u or je)
    return ArticlePick(article=article, text=text or article.title, summary=(text or article.body)[:160])


def picker_part(user: User, contact: Contact, query: str) -> PickerPart:
    """The standard replies `user` may use for `contact` (its thread loaded), written out for its
    customer, and the knowledge articles: both searched by `query`; without a query the replies for the
    contact's reason first and the articles proposed for the contact."""
    macros = (
        rendered_macros_for_contact(contact, user, limit=PICKER_MACROS, query=query)
        if user.has_perm("replies.view_macro")
        else []
    )
    articles: list[ArticlePick] = []
    if user.has_perm("knowledge.view_article"):
        address = contact_address(contact).address
        found = (
            article_search(query, limit=PICKER_ARTICLES)
            if query.strip()
            else [p.article for p in articles_for_contact(contact, limit=3)]
        )
        articles = [_article_pick(article, address) for article in found]
    return {"contact": contact, "query": shown_query(query), "macros": macros, "articles": articles}
