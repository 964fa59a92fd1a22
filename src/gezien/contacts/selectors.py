"""Reads for the desk: the queue, a contact with its thread, and the gezien-kaart of a customer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.utils import timezone

from gezien.contacts.models import (
    Attachment,
    Author,
    Channel,
    Contact,
    ContactEvent,
    Delivery,
    Message,
    MessageKind,
    MessageSignals,
    SignalCorrection,
    Status,
)
from gezien.contacts.vocabulary import NEGATIVE_EMOTIONS
from gezien.customers.models import Customer, DetailKind, Identity, RememberedDetail

QUEUE_STATUSES = (Status.OPEN, Status.WAITING_US)
# The card shows the newest contacts; the customer page and the API page through all of them.
CARD_TIMELINE = 30
# How the customer felt: the newest contacts before this one.
CARD_FEELINGS = 6


@dataclass(frozen=True)
class QueueEntry:
    contact: Contact
    waiting: timedelta


def queue(
    *, channel: str | None = None, team_id: int | None = None, now: datetime | None = None
) -> list[QueueEntry]:
    """Contacts waiting for us, oldest waiting first."""
    now = now or timezone.now()
    qs = (
        Contact.objects.filter(status__in=QUEUE_STATUSES)
        .select_related("customer", "assigned_agent", "team", "reason")
        .order_by("waiting_since", "opened_at", "id")
    )
    if channel:
        qs = qs.filter(channel=channel)
    if team_id:
        qs = qs.filter(Q(team_id=team_id) | Q(team__isnull=True))
    return [QueueEntry(c, now - (c.waiting_since or c.opened_at)) for c in qs[:500]]


def unread_counts(contact_ids: list[int]) -> dict[int, int]:
    """For each of these contacts with something unanswered: the customer's messages since an agent
    last wrote in it (all of them when no agent wrote yet), by contact id; one query."""
    if not contact_ids:
        return {}
    last_agent = (
        Message.objects.filter(contact_id=OuterRef("contact_id"), author=Author.AGENT)
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    rows = (
        Message.objects.filter(contact_id__in=contact_ids, author=Author.CUSTOMER)
        .annotate(answered_at=Subquery(last_agent))
        .filter(Q(answered_at__isnull=True) | Q(sent_at__gt=F("answered_at")))
        .order_by()
        .values("contact_id")
        .annotate(n=Count("id"))
        .values_list("contact_id", "n")
    )
    return dict(rows)


def queue_counts() -> dict[str, int]:
    counts = dict.fromkeys(Channel.values, 0)
    for row in Contact.objects.filter(status__in=QUEUE_STATUSES).values_list("channel", flat=True):
        counts[row] += 1
    return counts


# Plain SQL, one query: which of a thread's optional parts exist. Most contacts have no corrected
# signals, no attachments and few events, so their prefetches (~1 ms of ORM each) are built only when
# they will find something; the others are set empty, as a prefetch that found nothing leaves them.
_THREAD_SQL = (
    "SELECT EXISTS(SELECT 1 FROM {correction} sc JOIN {message} m ON m.id = sc.message_id"
    " WHERE m.contact_id = %s),"
    " EXISTS(SELECT 1 FROM {attachment} a JOIN {message} m ON m.id = a.message_id WHERE m.contact_id = %s),"
    " EXISTS(SELECT 1 FROM {event} WHERE contact_id = %s)"
)


def _thread_parts(contact_id: int) -> tuple[bool, bool, bool]:
    """Whether the contact's messages have signal corrections, attachments, and it has events."""
    sql = _THREAD_SQL.format(
        correction=SignalCorrection._meta.db_table,
        message=Message._meta.db_table,
        attachment=Attachment._meta.db_table,
        event=ContactEvent._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [contact_id] * 3)
        row = cursor.fetchone() or (True, True, True)
    return bool(row[0]), bool(row[1]), bool(row[2])


def _prefetched_empty(objects: list[Any], name: str, model: Any) -> None:
    """Mark the relation `name` of each of `objects` as prefetched and empty (no query when read)."""
    empty = model.objects.none()
    empty._result_cache = []
    empty._prefetch_done = True
    for obj in objects:
        obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = empty


def contact_with_thread(contact_id: int) -> Contact:
    """One contact with its messages (their signals, corrections, attachments and delivery), events and
    people, in a fixed number of queries: the contact, its messages, a look at which of the rest exist,
    and one query for each that does."""
    corrections, attachments, events = _thread_parts(contact_id)
    messages = Message.objects.select_related("agent", "signals", "delivery").order_by("sent_at", "id")
    parts: list[Any] = [Prefetch("messages", queryset=messages)]
    if corrections:
        parts.append(
            Prefetch(
                "messages__signal_corrections",
                queryset=SignalCorrection.objects.select_related("corrected_by").order_by("-updated_at"),
            )
        )
    if attachments:
        parts.append(
            Prefetch("messages__attachments", queryset=Attachment.objects.order_by("created_at", "id"))
        )
    if events:
        parts.append("events__actor")
    contact = (
        Contact.objects.select_related("customer", "assigned_agent", "team", "reason")
        .prefetch_related(*parts)
        .get(pk=contact_id)
    )
    loaded = list(contact.messages.all())
    if not corrections:
        _prefetched_empty(loaded, "signal_corrections", SignalCorrection)
    if not attachments:
        _prefetched_empty(loaded, "attachments", Attachment)
    if not events:
        _prefetched_empty([contact], "events", ContactEvent)
    return contact


def contact_with_signals(contact_id: int) -> Contact:
    """One contact with its messages and their signals, in two queries: what routing reads of a thread
    (who wrote, and what the analysis found; `routing.services.contact_route`). The rest of each message
    (its agent, delivery, attachments and corrections) and the contact's events are not loaded: read
    only when asked for, a query each."""
    messages = Message.objects.select_related("signals").order_by("sent_at", "id")
    return (
        Contact.objects.select_related("customer", "assigned_agent", "team", "reason")
        .prefetch_related(Prefetch("messages", queryset=messages))
        .get(pk=contact_id)
    )


def loaded_signals(message: Message) -> MessageSignals | None:
    """The signals read with `message` (select_related, or stored by the inline analysis), without a
    query of its own: None when they were not loaded, or there are none yet."""
    relation = Message.signals.related
    return cast(
        "MessageSignals | None", relation.get_cached_value(message) if relation.is_cached(message) else None
    )


def message_delivery(message: Message) -> Delivery | None:
    """The delivery of an outgoing message: the one read with it when loaded (select_related), else
    one query; None for a message that is not sent anywhere."""
    relation = Message.delivery.related
    if relation.is_cached(message):
        return cast("Delivery | None", relation.get_cached_value(message))
    if message.pk is None or message.author == "customer" or message.kind != "message":
        return None
    return Delivery.objects.filter(message_id=message.pk).first()


def message_with_signals(message_id: int) -> Message | None:
    """One message with its contact, signals and corrections (for the correction menu and the API)."""
    return (
        Message.objects.select_related("contact", "agent", "signals", "delivery")
        .prefetch_related(
            Prefetch(
                "signal_corrections",
                queryset=SignalCorrection.objects.select_related("corrected_by").order_by("-updated_at"),
            )
        )
        .filter(pk=message_id)
        .first()
    )


def contacts_filtered(
    *,
    status: str | None = None,
    channel: str | None = None,
    customer_id: int | None = None,
    agent_id: int | None = None,
    team_id: int | None = None,
    recognition: str | None = None,
    opened_after: datetime | None = None,
    opened_before: datetime | None = None,
    updated_after: datetime | None = None,
) -> QuerySet[Contact]:
    """Contacts matching every filter given, newest first; with `updated_after` (a client that polls),
    those changed after that moment, in the order they changed (oldest change first). Moments count in
    milliseconds, as the API writes them: "after 12:00:00.595" starts at 12:00:00.596."""
    qs = Contact.objects.select_related("customer", "assigned_agent", "team", "reason")
    if updated_after is not None:
        start = updated_after.replace(microsecond=updated_after.microsecond // 1000 * 1000)
        qs = qs.filter(updated_at__gte=start + timedelta(milliseconds=1)).order_by("updated_at", "id")
    else:
        qs = qs.order_by("-opened_at", "-id")
    filters = {
        "status": status,
        "channel": channel,
        "customer_id": customer_id,
        "assigned_agent_id": agent_id,
        "team_id": team_id,
        "recognition": recognition,
        "opened_at__gte": opened_after,
        "opened_at__lt": opened_before,
    }
    return qs.filter(**{k: v for k, v in filters.items() if v is not None})


@dataclass
class Promise:
    detail: RememberedDetail
    overdue: bool


@dataclass
class LastDiscussed:
    contact: Contact
    last_agent_words: str  # the agent's last reply or call note in that contact


@dataclass(frozen=True)
class Feeling:
    """How the customer came across in one contact: the strongest emotion in their words (or none),
    and the mean sentiment of their messages (-1..1)."""

    contact: Contact
    emotion: str  # "" when no emotion reached the threshold
    score: float
    sentiment: float

    @property
    def valence(self) -> str:
        if self.emotion:
            return "neg" if self.emotion in NEGATIVE_EMOTIONS else "pos"
        return "neg" if self.sentiment <= -0.3 else "pos" if self.sentiment >= 0.3 else ""


@dataclass
class Card:
    """The gezien-kaart: everything the agent should know before the customer explains anything."""

    customer: Customer
    display_name: str
    register: str  # "u" | "je" | "" (unknown)
    addressing: RememberedDetail | None
    identities: list[Identity]
    timeline: list[Contact]
    total_contacts: int
    last_discussed: LastDiscussed | None
    open_contacts: list[Contact]
    promises: list[Promise]
    details: list[RememberedDetail] = field(default_factory=list)
    life_events: list[RememberedDetail] = field(default_factory=list)
    feelings: list[Feeling] = field(default_factory=list)  # oldest first, the newest contacts only
    feeling_trend: str = ""  # see `feeling_trend`
    # Root-cause problems affecting this customer, with status and the department's latest answer.
    problems: list[Any] = field(default_factory=list)
    # A kept card (`customer_card_kept`): new each time it is built, the same while it is reused, so a
    # screen may keep what it drew from the card's history under it. "" for a card built for one view.
    version: str = field(default="", compare=False)


def contact_feelings(contacts: list[Contact]) -> list[Feeling]:
    """How the customer felt in each of `contacts` that has analysed customer words: one query."""
    rows = MessageSignals.objects.filter(
        message__contact__in=[c.pk for c in contacts], role="customer"
    ).values_list("message__contact_id", "top_emotion", "top_score", "sentiment")
    per_contact: dict[int, list[tuple[str, float, float]]] = {}
    for contact_id, emotion, score, sentiment in rows:
        per_contact.setdefault(contact_id, []).append((emotion, score, sentiment))
    feelings = []
    for contact in contacts:
        found = per_contact.get(contact.pk)
        if not found:
            continue
        emotion, score, _ = max(found, key=lambda row: (bool(row[0]), row[1]))
        sentiment = sum(row[2] for row in found) / len(found)
        feelings.append(Feeling(contact, emotion, score if emotion else 0.0, sentiment))
    return feelings


def feeling_trend(feelings: list[Feeling]) -> str:
    """How the customer's mood runs over `feelings` (oldest first): "better", "worse", "negative"
    (unhappy lately), "positive" (content throughout), "calm" (never negative), "mixed", or "" (too
    little to say)."""
    if len(feelings) < 2:
        return ""
    moods = [f.sentiment for f in feelings]
    half = len(moods) // 2
    earlier, later = moods[:half], moods[-half:]
    change = sum(later) / len(later) - sum(earlier) / len(earlier)
    if change >= 0.3:
        return "better"
    if change <= -0.3:
        return "worse"
    if all(f.valence == "neg" for f in feelings[-2:]):
        return "negative"
    if all(f.valence != "neg" for f in feelings):
        return "positive" if sum(moods) / len(moods) >= 0.2 else "calm"
    return "mixed"


def customer_card(customer: Customer, *, current: Contact | None = None, now: datetime | None = None) -> Card:
    """Build the gezien-kaart in a constant number of queries, however long the customer's history."""
    now = now or timezone.now()
    card, pending = _card_without_time(customer, current)
    return replace(card, promises=_promises(pending, now), problems=_customer_problems(customer.pk))


def _promises(pending: list[RememberedDetail], now: datetime) -> list[Promise]:
    """The open promises, earliest due first (one without a date counts as due now)."""
    return [
        Promise(d, overdue=d.due_at is not None and d.due_at < now)
        for d in sorted(pending, key=lambda d: d.due_at or now)
    ]


# A contact in which a customer or an agent said something, or that has a summary.
_SAID = Message.objects.filter(contact=OuterRef("pk"), author__in=[Author.CUSTOMER, Author.AGENT])
_SPOKEN = Exists(_SAID.exclude(text="")) | ~Q(summary="")


def _card_without_time(customer: Customer, current: Contact | None) -> tuple[Card, list[RememberedDetail]]:
    """The card less what depends on the clock (the promises, returned apart: the open ones) and its
    problems (read from above on every call)."""
    details = list(
        RememberedDetail.objects.filter(customer=customer).select_related("created_by", "updated_by")
    )
    addressing = next((d for d in details if d.kind == DetailKind.ADDRESSING), None)
    pending = [d for d in details if d.kind == DetailKind.PROMISE and d.done_at is None]
    others = [d for d in details if d.kind in (DetailKind.NOTE, DetailKind.PREFERENCE)]
    life_events = [d for d in details if d.kind == DetailKind.LIFE_EVENT]
    history = Contact.objects.filter(customer=customer).select_related("reason").order_by("-opened_at", "-id")
    if current is not None:
        history = history.exclude(pk=current.pk)
    # The count of the whole history comes with the newest contacts (a window over every row, before
    # the limit): one query for any history.
    timeline: list[Contact] = list(
        history.annotate(history_total=Window(Count("id")), spoken=_SPOKEN)[:CARD_TIMELINE]
    )
    total = getattr(timeline[0], "history_total", 0) if timeline else 0
    open_contacts = list(history.exclude(status=Status.CLOSED)[:CARD_TIMELINE])
    # "Vorige keer besproken": the newest closed contact in which something was said (a closed call with
    # nothing recorded in it is no conversation to remember; issue 20).
    last = next((c for c in timeline if c.status == Status.CLOSED and getattr(c, "spoken", True)), None)
    if last is None and len(timeline) == CARD_TIMELINE:  # only open or empty contacts among the newest
        last = history.filter(status=Status.CLOSED).filter(_SPOKEN).first()
    last = last or (timeline[0] if timeline else None)
    last_discussed = None
    if last is not None:
        words = (
            Message.objects.filter(
                contact=last, author=Author.AGENT, kind__in=[MessageKind.MESSAGE, MessageKind.NOTE]
            )
            .order_by("-sent_at", "-id")
            .values_list("text", flat=True)
            .first()
        )
        last_discussed = LastDiscussed(last, words or "")
    feelings = contact_feelings(timeline[:CARD_FEELINGS])[::-1]
    name = customer.full_name
    if addressing is not None and addressing.text.strip():
        name = addressing.text.strip()
    card = Card(
        customer=customer,
        display_name=name,
        register=addressing.register if addressing else "",
        addressing=addressing,
        identities=list(customer.identities.order_by("kind", "value")),
        timeline=timeline,
        total_contacts=total,
        last_discussed=last_discussed,
        open_contacts=open_contacts,
        promises=[],
        details=others,
        life_events=life_events,
        feelings=feelings,
        feeling_trend=feeling_trend(feelings),
    )
    return card, pending


# How long a kept card may be reused at most. Its stamp (below) already says when anything it shows from
# the customer's own rows changed; the limit bounds what the stamp does not see (a reason or a colleague
# renamed).
CARD_SECONDS = 60

# Plain SQL, one query: what changes when the card may change. The customer; their contacts (a new one,
# a status, summary, reason or link: `updated_at`; their matters); the messages in them (the last words
# discussed) and their signals (how the customer felt); what is remembered about them; their identities.
_CARD_STAMP_SQL = (
    "SELECT cu.updated_at,"
    " (SELECT COUNT(*) FROM {contact} c WHERE c.customer_id = cu.id),"
    " (SELECT MAX(c.updated_at) FROM {contact} c WHERE c.customer_id = cu.id),"
    # A matter is given to many contacts at once by a bulk update that leaves `updated_at` alone.
    " (SELECT SUM(COALESCE(c.matter_id, 0)) FROM {contact} c WHERE c.customer_id = cu.id),"
    " (SELECT COUNT(*) FROM {message} m JOIN {contact} c ON c.id = m.contact_id"
    " WHERE c.customer_id = cu.id),"
    " (SELECT MAX(m.id) FROM {message} m JOIN {contact} c ON c.id = m.contact_id"
    " WHERE c.customer_id = cu.id),"
    " (SELECT COUNT(*) FROM {signals} s JOIN {message} m ON m.id = s.message_id"
    " JOIN {contact} c ON c.id = m.contact_id WHERE c.customer_id = cu.id),"
    " (SELECT MAX(s.analysed_at) FROM {signals} s JOIN {message} m ON m.id = s.message_id"
    " JOIN {contact} c ON c.id = m.contact_id WHERE c.customer_id = cu.id),"
    " (SELECT COUNT(*) FROM {detail} d WHERE d.customer_id = cu.id),"
    " (SELECT MAX(d.updated_at) FROM {detail} d WHERE d.customer_id = cu.id),"
    " (SELECT COUNT(*) FROM {identity} i WHERE i.customer_id = cu.id),"
    " (SELECT MAX(i.updated_at) FROM {identity} i WHERE i.customer_id = cu.id)"
    " FROM {customer} cu WHERE cu.id = %s"
)


def _card_stamp(customer_id: int) -> tuple[object, ...]:
    sql = _CARD_STAMP_SQL.format(
        customer=Customer._meta.db_table,
        contact=Contact._meta.db_table,
        message=Message._meta.db_table,
        signals=MessageSignals._meta.db_table,
        detail=RememberedDetail._meta.db_table,
        identity=Identity._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [customer_id])
        row = cursor.fetchone()
    return tuple(row) if row is not None else ()


def customer_card_kept(
    customer: Customer, *, current: Contact | None = None, now: datetime | None = None
) -> Card:
    """`customer_card` for a screen that is opened again and again (the contact page): the card is kept
    in the cache and built again only when its stamp (one query) says the customer's rows changed, or
    after CARD_SECONDS. Two queries when nothing changed (the stamp and the problems), whatever the
    history; the promises are judged against `now` on every call."""
    now = now or timezone.now()
    key = f"contacts:card:{customer.pk}:{current.pk if current is not None else 0}"
    stamp = _card_stamp(customer.pk)
    kept: tuple[tuple[object, ...], Card, list[RememberedDetail]] | None = cache.get(key)
    if kept is not None and kept[0] == stamp:
        _stamp, card, pending = kept
    else:
        card, pending = _card_without_time(customer, current)
        card.version = uuid.uuid4().hex
        cache.set(key, (stamp, card, pending), CARD_SECONDS)
    return replace(
        card, customer=customer, promises=_promises(pending, now), problems=_customer_problems(customer.pk)
    )


# The problems a customer's contacts are linked to come from a feature above contacts (the root-cause
# board registers itself in its AppConfig.ready); without one the card shows none.
_problem_sources: list[Callable[[int], list[Any]]] = []


def customer_problems_from(source: Callable[[int], list[Any]]) -> None:
    """Register where the gezien-kaart reads a customer's problems (registering again replaces it)."""
    _problem_sources[:] = [source]


def _customer_problems(customer_id: int) -> list[Any]:
    """One query: the problems this customer's contacts are linked to."""
    return [problem for source in _problem_sources for problem in source(customer_id)]


def loaded_attachments(message: Message) -> list[Attachment] | None:
    """The attachments read with `message` (prefetched with its thread), without a query of its own;
    None when they were not loaded."""
    cache: dict[str, Any] = getattr(message, "_prefetched_objects_cache", {})
    found = cache.get("attachments")
    return None if found is None else list(found)
