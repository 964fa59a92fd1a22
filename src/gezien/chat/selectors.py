"""Reads for chat: a widget by its key, a session by its token, what the widget may show (public
messages only, never notes), whether the chat is open, and when a customer may expect an answer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from gezien.chat.models import ChatSession, ChatWidget
from gezien.contacts.filetypes import SAFE_TO_SERVE
from gezien.contacts.models import Author, Channel, Contact, Message, MessageKind, Priority
from gezien.core.calendar import default_calendar
from gezien.core.live import LiveEvent
from gezien.desksettings.store import desk_setting
from gezien.mail.outgoing import answer_expected
from gezien.routing.selectors import available

API_PREFIX = "/widget/api/v1"
PUBLIC_AUTHORS = (Author.CUSTOMER, Author.AGENT)  # system messages hold e.g. transfer notes for colleagues
CATCH_UP_MAX = 500
DEMO_WIDGET_KEY = "gezien-demo"  # the demo organisation's widget (`gezien demo-data`)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def widget_by_key(key: str) -> ChatWidget | None:
    """An active widget by its public key."""
    return ChatWidget.objects.filter(key=key, active=True).select_related("team", "mailbox").first()


def session_by_token(token: str) -> ChatSession | None:
    """The session a token opens (its widget active), or None."""
    if not token or len(token) > 200:
        return None
    return (
        ChatSession.objects.filter(token_hash=token_hash(token), widget__active=True)
        .select_related("widget", "contact", "contact__assigned_agent")
        .first()
    )


def widgets() -> QuerySet[ChatWidget]:
    return ChatWidget.objects.select_related("team", "mailbox").order_by("name", "id")


def demo_widget_key() -> str | None:
    """The key `/widget/demo/` embeds: the demo's widget, else the oldest active one."""
    active = ChatWidget.objects.filter(active=True)
    found = active.filter(key=DEMO_WIDGET_KEY).values_list("key", flat=True).first()
    return found or active.order_by("created_at", "id").values_list("key", flat=True).first()


def origins_all() -> set[str]:
    """Every origin some active widget allows (for a preflight that carries no token)."""
    found: set[str] = set()
    for origins in ChatWidget.objects.filter(active=True).values_list("allowed_origins", flat=True):
        found.update(o for o in origins or () if isinstance(o, str))
    return found


def origin_allowed(widget: ChatWidget, origin: str | None) -> bool:
    """A request from a browser names its page's origin: it must be one the widget allows. A request
    without one (a server, a script) is not a browser's cross-site call; its token is its key."""
    return origin is None or origin in (widget.allowed_origins or ())


# --- messages as the widget shows them -----------------------------------------------------------------


def public_messages(contact_id: int) -> QuerySet[Message]:
    return (
        Message.objects.filter(contact_id=contact_id, kind=MessageKind.MESSAGE, author__in=PUBLIC_AUTHORS)
        .select_related("agent")
        .prefetch_related("attachments")
        .order_by("id")
    )


def agent_name(agent: Any) -> str:
    return str(agent.display_name) if agent is not None else ""


def attachment_url(attachment_id: int) -> str:
    """Where the widget downloads a file (on the desk's origin; add `?token=`)."""
    return f"{API_PREFIX}/attachments/{attachment_id}"


def message_out(message: Message, customer_name: str = "") -> dict[str, Any]:
    """One message in the shape of the chat API and of the `chat.{id}` `message` event."""
    if message.author == Author.AGENT:
        name = agent_name(message.agent)
    elif message.author == Author.CUSTOMER:
        name = customer_name
    else:
        name = desk_setting("organisation_name")
    return {
        "id": message.pk,
        "from": message.author,
        "name": name,
        "text": message.text,
        "at": message.sent_at.isoformat(),
        "attachments": [
            {
                "id": a.pk,
                "name": a.filename,
                "size": a.size,
                "content_type": a.content_type,
                "url": attachment_url(a.pk),
            }
            for a in message.attachments.all()
        ],
    }


def messages_after(session: ChatSession, after: int | None) -> list[dict[str, Any]]:
    if session.contact_id is None:
        return []
    found = public_messages(session.contact_id)
    if after:
        found = found.filter(id__gt=after)
    return [message_out(m, session.name) for m in found[:CATCH_UP_MAX]]


def catch_up_for(session: ChatSession) -> Any:
    """The catch-up of the session's event stream: the public messages after the last id it saw."""

    def catch_up(last_event_id: int | None) -> list[LiveEvent]:
        fresh = ChatSession.objects.filter(pk=session.pk).first()
        if fresh is None:
            return []
        return [LiveEvent("message", m, int(m["id"])) for m in messages_after(fresh, last_event_id)]

    return catch_up


def agent_of(contact: Contact | None) -> dict[str, str] | None:
    if contact is None or contact.assigned_agent is None:
        return None
    return {"name": agent_name(contact.assigned_agent)}


def conversation_state(session: ChatSession) -> dict[str, Any]:
    """`GET /messages` without the messages: the agent, the status and how far the agent has read."""
    contact = session.contact
    return {
        "agent": agent_of(contact),
        "status": contact.status if contact is not None else None,
        "read_up_to": session.agent_read_up_to,
    }


# --- open or not, and when to expect an answer -----------------------------------------------------------


@dataclass(frozen=True)
class Availability:
    open: bool
    agents_available: bool
    within_hours: bool
    expected_reply: str


def within_opening_hours(now: datetime) -> bool:
    calendar = default_calendar()
    local = now.astimezone(calendar.tz)
    return any(lo <= local < hi for lo, hi in calendar.open_intervals(local.date()))


def agents_available(widget: ChatWidget, now: datetime) -> bool:
    """Someone could take a chat now (routing's rule: present in the desk, in a routable state, with
    room for a chat); of the widget's team when it has one."""
    candidates = available(skills=(), experience=0, channel=Channel.CHAT, now=now)
    if widget.team_id is not None:
        candidates = [c for c in candidates if c.profile.user.team_id == widget.team_id]
    return bool(candidates)


def _moment(due: datetime, now: datetime) -> str:
    local = timezone.localtime(due)
    today = timezone.localtime(now).date()
    if local.date() == today:
        day = _("vandaag")
    elif local.date() == today + timedelta(days=1):
        day = _("morgen")
    else:
        day = formats.date_format(local, "l j F")
    return _("%(day)s om %(time)s") % {"day": day, "time": local.strftime("%H:%M")}


def expected_reply(*, is_open: bool, now: datetime, language: str) -> str:
    """What the widget tells the customer, in their language: a few minutes while open; otherwise the
    first-response target of the web form's service level (the chat is a message form then), else the
    next opening."""
    with translation.override(language):
        if is_open:
            return _("Meestal binnen een paar minuten.")
        due = answer_expected(Contact(channel=Channel.WEBFORM, priority=Priority.NORMAL, opened_at=now), now)
        if due is not None:
            return _("U krijgt uiterlijk %(when)s antwoord.") % {"when": _moment(due, now)}
        opening = default_calendar().add_business_seconds(now, 1) - timedelta(seconds=1)
        if opening <= now:
            return _("We antwoorden zo snel mogelijk.")
        return _("We antwoorden zodra we weer open zijn: %(when)s.") % {"when": _moment(opening, now)}


def availability(widget: ChatWidget, *, now: datetime | None = None, language: str = "nl") -> Availability:
    now = now or timezone.now()
    hours = within_opening_hours(now)
    agents = agents_available(widget, now)
    is_open = hours and agents
    return Availability(is_open, agents, hours, expected_reply(is_open=is_open, now=now, language=language))


def widget_config(widget: ChatWidget, *, language: str, now: datetime | None = None) -> dict[str, Any]:
    """`GET /{key}/config`."""
    languages = [lang for lang in widget.languages or ["nl", "en"] if lang in ("nl", "en")] or ["nl"]
    language = language if language in languages else languages[0]
    state = availability(widget, now=now, language=language)
    greeting = widget.greeting_en if language == "en" and widget.greeting_en else widget.greeting
    if not greeting:
        with translation.override(language):
            greeting = _("Hallo! Waarmee kunnen we u helpen?")
    return {
        "name": widget.name,
        "greeting": greeting,
        "languages": languages,
        "open": state.open,
        "agents_available": state.agents_available,
        "expected_reply": state.expected_reply,
        "max_message_chars": widget.max_message_chars,
        "max_file_bytes": widget.max_file_bytes,
        "accept": sorted(ACCEPTED_TYPES),
    }


# What the widget offers to send: pictures, PDFs and office documents (anything else may still come in
# and is stored as any attachment is, served only as a download).
ACCEPTED_TYPES = frozenset(
    t for t in SAFE_TO_SERVE if t.startswith("image/") or t in {"application/pdf", "text/plain"}
) | {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
}


def embed_snippet(widget: ChatWidget) -> str:
    """The one tag a website adds, pointing at this desk's own origin (GEZIEN_BASE_URL)."""
    base = str(desk_setting("base_url")).rstrip("/")
    return f'<script src="{base}/widget/chat.js" data-gezien-widget="{widget.key}" async></script>'
