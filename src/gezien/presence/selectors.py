"""Reads of agent states: who is in which state since when, the spans of a period (clipped to it), and the
live contacts someone holds. Everything here is a constant number of queries for any number of agents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q

from gezien.contacts.models import Channel, Contact, Status
from gezien.core.prepared import IdsQuery
from gezien.desksettings.store import desk_setting
from gezien.presence.models import ROUTABLE_STATES, BreakKind, State, StateSpan

# Calls and chats are live: someone holding one is in contact. E-mail and web-form work is time on the
# queue, not "in contact" (decision 7).
LIVE_CHANNELS = (Channel.PHONE, Channel.CHAT)
# A live contact at hand: a chat until it closes (one waiting for the customer's next line is still
# open in front of the agent); a call while it is open or waiting for us (a call parked "waiting for the
# customer", e.g. for a meter reading later, is over).
AT_HAND = Q(channel=Channel.CHAT) & ~Q(status=Status.CLOSED) | Q(
    channel=Channel.PHONE, status__in=[Status.OPEN, Status.WAITING_US]
)


@dataclass(frozen=True)
class Current:
    """Someone's state now: what, since when, and (a break, after-contact work) until when planned."""

    user_id: int
    state: str
    since: datetime
    break_kind: str = ""
    planned_end: datetime | None = None
    contact_id: int | None = None
    set_by: str = StateSpan.SetBy.AGENT

    def seconds(self, now: datetime) -> int:
        return max(0, int((now - self.since).total_seconds()))

    @property
    def label(self) -> str:
        if self.state == State.BREAK and self.break_kind:
            return str(BreakKind(self.break_kind).label)
        return str(State(self.state).label)

    @property
    def choice(self) -> str:
        """As the top bar's picker names it: "available", "break:lunch", "offline" (in contact and
        after-contact work count as available there)."""
        if self.state == State.BREAK:
            return f"break:{self.break_kind or BreakKind.SHORT}"
        return State.OFFLINE if self.state == State.OFFLINE else State.AVAILABLE

    @property
    def routable(self) -> bool:
        return self.state in ROUTABLE_STATES

    def overrun(self, now: datetime) -> bool:
        """A planned break or after-contact work that should have ended."""
        return self.planned_end is not None and now > self.planned_end


def _current(span: StateSpan) -> Current:
    return Current(
        user_id=span.user_id,
        state=span.state,
        since=span.started_at,
        break_kind=span.break_kind,
        planned_end=span.planned_end,
        contact_id=span.contact_id,
        set_by=span.set_by,
    )


def current_states(user_ids: Iterable[int] | None = None) -> dict[int, Current]:
    """Each person's open state (people without one are left out: never signed on, or not since)."""
    if user_ids is not None:  # prepared: every desk page asks for its reader's
        return {span.user_id: _current(span) for span in _OPEN_SPANS.objects(user_ids)}
    return {span.user_id: _current(span) for span in StateSpan.objects.filter(ended_at__isnull=True)}


_OPEN_SPANS = IdsQuery(lambda ids: StateSpan.objects.filter(ended_at__isnull=True, user_id__in=ids))


def current_state(user_id: int) -> Current | None:
    return current_states([user_id]).get(user_id)


@dataclass(frozen=True)
class Span:
    """A state span clipped to a period (an open span ends at the period's end or now)."""

    user_id: int
    state: str
    break_kind: str
    start: datetime
    end: datetime
    contact_id: int | None = None

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def spans_between(user_ids: Iterable[int] | None, start: datetime, end: datetime) -> dict[int, list[Span]]:
    """Every person's spans that overlap [start, end), clipped to it, oldest first: one query."""
    rows = StateSpan.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start), started_at__lt=end)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    found: dict[int, list[Span]] = defaultdict(list)
    for span in rows.order_by("started_at", "id"):
        clipped_end = min(span.ended_at or end, end)
        clipped_start = max(span.started_at, start)
        if clipped_end > clipped_start:
            found[span.user_id].append(
                Span(span.user_id, span.state, span.break_kind, clipped_start, clipped_end, span.contact_id)
            )
    return dict(found)


def seconds_by_state(spans: Iterable[Span]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for span in spans:
        totals[span.state] += span.seconds
    return dict(totals)


def occupancy(spans: Iterable[Span]) -> float | None:
    """Time in contact (and after-contact work) over time on the queue; None when nobody was on it."""
    totals = seconds_by_state(spans)
    busy = totals.get(State.IN_CONTACT, 0.0) + totals.get(State.AFTER_CONTACT, 0.0)
    on_queue = busy + totals.get(State.AVAILABLE, 0.0)
    return busy / on_queue if on_queue > 0 else None


def live_held(user_ids: Iterable[int]) -> dict[int, list[int]]:
    """The live contacts (calls, chats) each person has at hand (`AT_HAND`), newest first: one query."""
    rows = (
        Contact.objects.filter(AT_HAND, assigned_agent_id__in=list(user_ids))
        .order_by("-opened_at", "-id")
        .values_list("assigned_agent_id", "id")
    )
    held: dict[int, list[int]] = defaultdict(list)
    for user_id, contact_id in rows:
        held[user_id].append(contact_id)
    return dict(held)


def held_by_channel(user_ids: Iterable[int], statuses: Iterable[str]) -> dict[int, dict[str, int]]:
    """How many contacts with these statuses each person holds per channel: one query."""
    rows = (
        Contact.objects.filter(assigned_agent_id__in=list(user_ids), status__in=list(statuses))
        .values_list("assigned_agent_id", "channel")
        .annotate(n=Count("id"))
        .values_list("assigned_agent_id", "channel", "n")
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for user_id, channel, n in rows:
        counts[user_id][channel] = n
    return dict(counts)


def after_contact_seconds() -> int:
    return max(0, int(desk_setting("after_contact_seconds")))


def idle_after() -> timedelta:
    """Someone on the queue not seen in the desk this long is signed off (the tick does it)."""
    return timedelta(minutes=settings.GEZIEN_ROUTING_SEEN_MINUTES)
