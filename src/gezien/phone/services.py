"""Call events in (issue 18): `cti_event` logs an event once and folds all events of its call into the
`Call`, so a repeat or an event out of order gives the same call (decided by the events' own times where
sent, else when they arrived). What a state asks for follows, each at most once: a ringing inbound call
pops up for the available phone agents; an answered one opens the phone contact for the agent (who is
then "in contact"); a hangup stores duration and cause on the call and as a contact event and closes the
call's contact (the agent goes into after-contact work); a hangup nobody answered is an abandoned call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.accounts.models import User
from gezien.contacts import services as contacts
from gezien.contacts.models import EVENT_KINDS, Channel, Contact, Status
from gezien.core.errors import Conflict, Invalid
from gezien.core.prepared import KeyQuery
from gezien.core.timebounds import check_moment
from gezien.customers.identities import InvalidIdentity, normalise
from gezien.customers.models import Identity, IdentityKind
from gezien.phone import live
from gezien.phone.models import Call, CallEvent, CallState, Direction, EventKind

CALL_ENDED_EVENT = EVENT_KINDS.register("call_ended", gettext_lazy("Gesprek beëindigd"))
EXTERNAL_PREFIX = "cti:"  # the contact a call became carries "cti:<call_id>" as its external id
FIELDS = ("from", "to", "direction", "queue", "user", "cause")


@dataclass(frozen=True)
class EventIn:
    event: str
    call_id: str
    from_: str = ""
    to: str = ""
    direction: str = Direction.IN
    queue: str = ""
    user: str = ""
    cause: str = ""
    at: datetime | None = None

    def data(self) -> dict[str, str]:
        values = (self.from_, self.to, self.direction, self.queue, self.user, self.cause)
        return {name: value for name, value in zip(FIELDS, values, strict=True) if value}


@dataclass(frozen=True)
class EventResult:
    call: Call
    created: bool  # False: this event of this call was known already (nothing changed)


def _clean(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if len(text) > limit:
        raise Invalid(_("Dit veld is te lang (hoogstens %(n)d tekens).") % {"n": limit}, field=field)
    return text


# Compiled once (the hot path: every answer and hangup names its agent; every ringing number is looked
# up): the ORM built these anew at every event.
_ACTIVE_USERNAME = KeyQuery(lambda key: User.objects.filter(is_active=True, username=key))
_PHONE_IDENTITY = KeyQuery(
    lambda key: Identity.objects.filter(kind=IdentityKind.PHONE, value=key).order_by("pk")[:1]
)


def agent_named(name: str) -> User | None:
    """The desk person a telephone system names: by username, else by e-mail (case-insensitive)."""
    if not name:
        return None
    by_username = _ACTIVE_USERNAME.objects(name)  # what telephone systems send; usernames are unique
    if by_username:
        return by_username[0]  # type: ignore[no-any-return]
    found = User.objects.filter(is_active=True).filter(Q(username=name) | Q(email__iexact=name))
    people = list(found[:2])
    exact = [p for p in people if p.username == name]
    return exact[0] if exact else (people[0] if len(people) == 1 else None)


def phone_number(raw: str) -> str:
    """`raw` as E.164, or "" where it is no phone number (anonymous, an extension)."""
    if not raw:
        return ""
    try:
        return normalise(IdentityKind.PHONE, raw).value
    except InvalidIdentity:
        return ""


def _check(incoming: EventIn) -> tuple[EventIn, User | None]:
    if incoming.event not in EventKind.values:
        raise Invalid(_("Kies newCall, answer of hangup."), field="event")
    if incoming.direction not in Direction.values:
        raise Invalid(_("Kies in of out."), field="direction")
    call_id = _clean(incoming.call_id, "call_id", 200)
    if not call_id:
        raise Invalid(_("Een gesprek heeft een call_id."), field="call_id")
    user = _clean(incoming.user, "user", 254)
    agent = agent_named(user)
    if user and agent is None:
        raise Invalid(_("Geen medewerker met deze gebruikersnaam of dit e-mailadres."), field="user")
    if incoming.event == EventKind.ANSWER and agent is None and incoming.direction == Direction.IN:
        raise Invalid(_("Bij answer hoort de medewerker die opnam (user)."), field="user")
    at = None if incoming.at is None else check_moment(incoming.at, field="at")
    cleaned = EventIn(
        event=incoming.event,
        call_id=call_id,
        from_=_clean(incoming.from_, "from", 100),
        to=_clean(incoming.to, "to", 100),
        direction=incoming.direction,
        queue=_clean(incoming.queue, "queue", 100),
        user=user,
        cause=_clean(incoming.cause, "cause", 100),
        at=at,
    )
    return cleaned, agent


def cti_event(incoming: EventIn, *, now: datetime | None = None) -> EventResult:
    """Take one event of the telephone system. A repeat (same call_id and event) changes nothing."""
    now = now or timezone.now()
    cleaned, agent = _check(incoming)
    at = min(cleaned.at or now, now)  # a clock ahead of ours does not put a call in the future
    with transaction.atomic():
        try:
            with transaction.atomic():
                CallEvent.objects.create(
                    call_id=cleaned.call_id, event=cleaned.event, at=at, data=cleaned.data()
                )
        except IntegrityError:
            call = Call.objects.filter(call_id=cleaned.call_id).first()
            if call is None:  # pragma: no cover - the event and its call are written together
                raise
            return EventResult(call, created=False)
        call, before = _fold(cleaned.call_id, known={cleaned.user: agent} if cleaned.user else {})
        _follow(call, before)
    return EventResult(call, created=True)


# The two queries of every event, compiled once (the ORM built them anew each time: most of the fold's CPU).
_CALL_EVENTS = KeyQuery(lambda key: CallEvent.objects.filter(call_id=key))
_CALL = KeyQuery(lambda key: Call.objects.select_for_update().filter(call_id=key))


def _fold(call_id: str, *, known: dict[str, User | None] | None = None) -> tuple[Call, str | None]:
    """The call as all its events say, whatever order they came in (locked for the rest of the work),
    and its state before (None: new). `known`: the agent this event named, looked up already."""
    events = {e.event: e for e in _CALL_EVENTS.objects(call_id)}
    found = _CALL.objects(call_id)
    call = found[0] if found else Call(call_id=call_id)
    before = call.state if call.pk else None
    ordered = [events[k] for k in (EventKind.NEW_CALL, EventKind.ANSWER, EventKind.HANGUP) if k in events]

    def first(name: str) -> str:
        return next((str(e.data[name]) for e in ordered if e.data.get(name)), "")

    new, answer, hangup = (events.get(k) for k in EventKind.values)
    call.direction = first("direction") or Direction.IN
    call.from_raw, call.to_raw = first("from"), first("to")
    call.from_number, call.to_number = phone_number(call.from_raw), phone_number(call.to_raw)
    call.queue = first("queue")
    call.rang_at = new.at if new else min(e.at for e in ordered)
    answered = answer is not None
    call.answered_at = (
        max(call.rang_at, min(answer.at, hangup.at) if hangup else answer.at) if answer else None
    )
    call.ended_at = max(call.rang_at, hangup.at) if hangup else None
    call.cause = str(hangup.data.get("cause", "")) if hangup else ""
    # The agent: who answered; on an outbound call also who placed it.
    name = (str(answer.data.get("user", "")) if answer else "") or first("user")
    if not name:
        call.agent = None
    else:  # the agent this event named was looked up already: not a second time
        call.agent = known[name] if known and name in known else agent_named(name)
    if hangup is not None:
        call.state = CallState.ENDED if answered else CallState.ABANDONED
    else:
        call.state = CallState.ANSWERED if answered else CallState.RINGING
    if call.customer_id is None and call.number:
        identities = _PHONE_IDENTITY.objects(call.number)
        call.customer_id = identities[0].customer_id if identities else None
    return call, before


def _follow(call: Call, before: str | None) -> None:
    """Do what the folded call's state asks for that was not done yet, and save it (once)."""
    is_new = call.pk is None
    answered = call.answered_at is not None
    if answered and call.agent is not None and call.contact_id is None:
        call.contact = _open_contact(call, call.agent)
    if call.contact is not None and call.customer_id is not None and call.contact.customer_id is None:
        # The answer came before the ringing that named the number: the contact learns who it is now.
        customer = call.customer  # loaded only here (rare): the customer id says whether there is one
        assert customer is not None
        call.contact = contacts.contact_link_customer(
            contact=call.contact, customer=customer, remember_identity=False
        )
    if call.ended_at is not None and call.contact is not None and not call.ended_recorded:
        _record_end(call, call.contact)
        call.ended_recorded = True
    call.save()
    if is_new or before != call.state:
        live.call_told(call, ringing_for=_ringing_for(call))


def _ringing_for(call: Call) -> bool:
    """Whether the call pops up now: an inbound call that is ringing."""
    return call.direction == Direction.IN and call.state == CallState.RINGING


def _open_contact(call: Call, agent: User) -> Contact:
    """The phone contact of the call, recognised by its number and taken by the agent (once per call)."""
    number = call.number
    opened = contacts.contact_open(
        channel=Channel.PHONE,
        identities=[(IdentityKind.PHONE, number)] if number else [],
        at=call.rang_at,
        external_id=f"{EXTERNAL_PREFIX}{call.call_id}",
        actor=agent,
    )
    contact = opened.contact
    if contact.status != Status.CLOSED:
        contact = contacts.contact_take(contact=contact, actor=agent)
    return contact


def _record_end(call: Call, contact: Contact) -> None:
    """The hangup on the contact: its duration and cause, and the contact closed (after-contact work)."""
    data: dict[str, Any] = {"call_id": call.call_id, "duration_s": call.duration_s, "cause": call.cause}
    contacts.contact_event_add(contact=contact, kind=CALL_ENDED_EVENT, actor=call.agent, **data)
    if contact.status != Status.CLOSED:
        contacts.contact_set_status(contact=contact, status=Status.CLOSED, actor=call.agent, at=call.ended_at)


def call_take(*, call: Call, agent: User) -> Contact:
    """The agent takes a ringing call from the desk ("Aannemen"): as an `answer` event for them."""
    result = cti_event(EventIn(event=EventKind.ANSWER, call_id=call.call_id, user=agent.username))
    found = result.call
    if found.contact is None or found.agent_id != agent.pk:
        raise Conflict(_("Dit gesprek is al door een collega aangenomen."), field="call")
    return found.contact
