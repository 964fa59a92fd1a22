"""Reads of calls: the pop-up a ringing call shows (the gezien-kaart in brief), the calls ringing now
(the live board's phone queue) and today's abandoned calls (the board's figures, Erlang A's patience)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from gezien.assist.models import ContactProtocol, Protocol
from gezien.contacts.models import Contact
from gezien.contacts.selectors import Card, customer_card
from gezien.phone.models import Call, CallState, Direction


@dataclass(frozen=True)
class CallPopup:
    """What an agent should know before picking up: who calls, how to address them, any protocol."""

    call: Call
    number: str  # as the telephone system gave it
    card: Card | None  # None: an unknown number
    register: str = ""  # "u" | "je" | ""
    protocols: list[str] = field(default_factory=list)  # labels, e.g. "Overlijden"
    life_events: list[str] = field(default_factory=list)
    last_contact: Contact | None = None

    @property
    def known(self) -> bool:
        return self.card is not None


def call_by_id(call_pk: int) -> Call | None:
    return Call.objects.select_related("customer", "contact", "agent").filter(pk=call_pk).first()


def call_popup(call: Call) -> CallPopup:
    """The pop-up of a call: the recognised customer's card in brief, or an unknown number."""
    if call.customer is None:
        return CallPopup(call, call.number_raw or call.number, None)
    card = customer_card(call.customer)
    protocols = (
        ContactProtocol.objects.filter(contact__customer=call.customer)
        .values_list("protocol", flat=True)
        .distinct()
    )
    labels = [str(Protocol(p).label) for p in sorted(set(protocols))]
    return CallPopup(
        call,
        call.number_raw or call.number,
        card,
        register=card.register,
        protocols=labels,
        life_events=[d.text for d in card.life_events],
        last_contact=card.timeline[0] if card.timeline else None,
    )


def ringing_calls() -> list[Call]:
    """Inbound calls ringing now, the longest waiting first."""
    return list(
        Call.objects.filter(state=CallState.RINGING, direction=Direction.IN).order_by("rang_at", "id")
    )


@dataclass(frozen=True)
class Abandoned:
    """Inbound calls that ended before anyone answered, over a period, and the patience they show."""

    count: int
    answered: int
    patience_s: float | None  # mean patience: the time all callers waited over those who gave up


def abandoned_between(start: datetime, end: datetime) -> Abandoned:
    """Abandoned and answered inbound calls that rang in [start, end). The patience estimate is the
    standard one for Erlang A (exponential patience, answered calls censored): total waiting time of
    every call over the number of callers who hung up."""
    rows = Call.objects.filter(
        direction=Direction.IN,
        rang_at__gte=start,
        rang_at__lt=end,
        state__in=[CallState.ABANDONED, CallState.ENDED, CallState.ANSWERED],
    ).values_list("state", "rang_at", "answered_at", "ended_at")
    abandoned = answered = 0
    waited = 0.0
    for state, rang_at, answered_at, ended_at in rows:
        until = answered_at or ended_at
        if until is not None:
            waited += max(0.0, (until - rang_at).total_seconds())
        if state == CallState.ABANDONED:
            abandoned += 1
        else:
            answered += 1
    return Abandoned(abandoned, answered, waited / abandoned if abandoned else None)


@dataclass
class CallFigures:
    """The live board's phone figures from the calls the telephone system told of (one query)."""

    ringing: int = 0
    longest_ringing_s: int | None = None
    abandoned_today: int = 0
    abandoned_late_today: int = 0  # hung up after waiting longer than the target
    abandoned_recently: int = 0  # in the arrival window (they opened no contact: arrivals of their own)
    patience_s: float | None = None  # today's estimate for Erlang A (see `abandoned_between`)


def call_figures(
    *, now: datetime, today: datetime, recent: datetime, target_s: int, patience_s: float | None = None
) -> CallFigures:
    """Ringing inbound calls now, and today's abandoned calls: how many, how many after the target, how
    many since `recent`, and the patience they show (waiting of every call today over those who hung up).
    A call still ringing after `patience_s` is abandoned, not waiting: the telephone system did not tell
    of the hang-up, but no caller holds the line that long (issue 20)."""
    figures = CallFigures()
    rows = Call.objects.filter(
        Q(state=CallState.RINGING) | Q(rang_at__gte=min(today, recent)), direction=Direction.IN
    )
    waited_today = 0.0
    for state, rang_at, answered_at, ended_at in rows.values_list(
        "state", "rang_at", "answered_at", "ended_at"
    ):
        lapsed = patience_s is not None and (now - rang_at).total_seconds() > patience_s
        if state == CallState.RINGING and lapsed:
            state, ended_at = CallState.ABANDONED, rang_at + timedelta(seconds=patience_s or 0)
        if state == CallState.RINGING:
            figures.ringing += 1
            waited = max(0, int((now - rang_at).total_seconds()))
            figures.longest_ringing_s = max(figures.longest_ringing_s or 0, waited)
        until = answered_at or ended_at or now
        waited_s = max(0.0, (until - rang_at).total_seconds())
        if rang_at >= today:
            waited_today += waited_s
        if state != CallState.ABANDONED:
            continue
        if rang_at >= recent:
            figures.abandoned_recently += 1
        if rang_at >= today:
            figures.abandoned_today += 1
            figures.abandoned_late_today += waited_s > target_s
    figures.patience_s = waited_today / figures.abandoned_today if figures.abandoned_today else None
    return figures
