"""Reads for the desk: the queue, a contact with its thread, and the gezien-kaart of a customer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from gezien.contacts.models import Author, Channel, Contact, Message, MessageKind, Status
from gezien.customers.models import Customer, DetailKind, Identity, RememberedDetail

QUEUE_STATUSES = (Status.OPEN, Status.WAITING_US)
# The card shows the newest contacts; the customer page and the API page through all of them.
CARD_TIMELINE = 30


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


def queue_counts() -> dict[str, int]:
    counts = dict.fromkeys(Channel.values, 0)
    for row in Contact.objects.filter(status__in=QUEUE_STATUSES).values_list("channel", flat=True):
        counts[row] += 1
    return counts


def contact_with_thread(contact_id: int) -> Contact:
    """One contact with its messages, events and people, in a fixed number of queries."""
    return (
        Contact.objects.select_related("customer", "assigned_agent", "team", "reason")
        .prefetch_related(
            Prefetch("messages", queryset=Message.objects.select_related("agent").order_by("sent_at", "id")),
            "events__actor",
        )
        .get(pk=contact_id)
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
) -> QuerySet[Contact]:
    qs = Contact.objects.select_related("customer", "assigned_agent", "team", "reason").order_by(
        "-opened_at", "-id"
    )
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


def customer_card(customer: Customer, *, current: Contact | None = None, now: datetime | None = None) -> Card:
    """Build the gezien-kaart in a constant number of queries, however long the customer's history."""
    now = now or timezone.now()
    details = list(
        RememberedDetail.objects.filter(customer=customer).select_related("created_by", "updated_by")
    )
    addressing = next((d for d in details if d.kind == DetailKind.ADDRESSING), None)
    promises = [
        Promise(d, overdue=d.due_at is not None and d.due_at < now)
        for d in sorted(
            (d for d in details if d.kind == DetailKind.PROMISE and d.done_at is None),
            key=lambda d: d.due_at or now,
        )
    ]
    others = [d for d in details if d.kind in (DetailKind.NOTE, DetailKind.PREFERENCE)]
    life_events = [d for d in details if d.kind == DetailKind.LIFE_EVENT]
    history = Contact.objects.filter(customer=customer).select_related("reason").order_by("-opened_at", "-id")
    if current is not None:
        history = history.exclude(pk=current.pk)
    timeline = list(history[:CARD_TIMELINE])
    total = history.count()  # always counted, so the card costs the same queries for any history
    open_contacts = list(history.exclude(status=Status.CLOSED)[:CARD_TIMELINE])
    last = next((c for c in timeline if c.status == Status.CLOSED), None)
    if last is None and len(timeline) == CARD_TIMELINE:  # only open contacts among the newest
        last = history.filter(status=Status.CLOSED).first()
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
    name = customer.full_name
    if addressing is not None and addressing.text.strip():
        name = addressing.text.strip()
    return Card(
        customer=customer,
        display_name=name,
        register=addressing.register if addressing else "",
        addressing=addressing,
        identities=list(customer.identities.order_by("kind", "value")),
        timeline=timeline,
        total_contacts=total,
        last_discussed=last_discussed,
        open_contacts=open_contacts,
        promises=promises,
        details=others,
        life_events=life_events,
    )
