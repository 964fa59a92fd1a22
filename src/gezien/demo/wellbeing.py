"""Wellbeing in the demo (R17): Team Noord's day so far and their last working days as agent states, the
load of every handled contact, and today's two stories the team lead (Karin Postma, `teamlead`) sees:

- Mark van Dijk has worked the queue for 2 h 40 m without a break: the desk prompts him, and Karin has
  the alert (and Fatima El Amrani's day with no break but lunch, after a long day on her last working
  day before today);
- Sanne de Vries (`agent`) just had the rude caller again: Ronald Kramer rang once more and
  swore at her as on his earlier calls (the same words, replayed from his latest abusive call in the
  demo). The desk logged the incident; Sanne is offered time to bijkomen and is protected from heavy
  contacts for the next hour, and Karin is told.

Deterministic (one seeded `random.Random`, times relative to `now`) and quick (bulk inserts). Idempotent:
people who already have states in the window keep them (the demo's are written only before the first),
the call is opened once (external id), and the wellbeing job raises each alert and protection once.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from gezien.accounts.models import User
from gezien.assist.services import protocols_after_signals
from gezien.contacts.analysing import analyser, messages_analyse
from gezien.contacts.models import Author, Contact, ContactEvent, Message, MessageKind, Status
from gezien.contacts.services import TranscriptTurn, contact_assign, contact_open, contact_set_status
from gezien.core.calendar import default_calendar
from gezien.presence.models import BreakKind, State, StateSpan
from gezien.routing.models import RoutingProfile
from gezien.wellbeing.alerts import alerts_raise
from gezien.wellbeing.models import Protection, WellbeingAlert
from gezien.wellbeing.services import contact_loads_refresh, wellbeing_tick
from gezien.wellbeing.stretches import day_start, local_day

SEED = 17
RUDE_CALL_ID = "demo-wellbeing-rude-call"
RUDE_CALL_MINUTES = 12
PAST_DAYS = 4

# Today's blocks, oldest first, ending now: ("work", minutes) on the queue, or a break of a kind.
Block = tuple[str, int]
TODAY: dict[str, list[Block]] = {
    "mark.vandijk": [("work", 160)],
    "fatima.elamrani": [("work", 130), (BreakKind.LUNCH, 30), ("work", 115)],
    "agent": [
        ("work", 80),
        (BreakKind.SHORT, 15),
        ("work", 73),
        ("rude_call", RUDE_CALL_MINUTES),
        ("work", 10),
    ],
    "daan.visser": [("work", 95), (BreakKind.SHORT, 10), ("work", 70), (BreakKind.LUNCH, 30), ("work", 40)],
    "naomi.pinas": [("work", 100), (BreakKind.SHORT, 10), ("work", 85), (BreakKind.SHORT, 10)],
}
NORMAL_DAY: list[Block] = [
    ("work", 100),
    (BreakKind.SHORT, 10),
    ("work", 95),
    (BreakKind.LUNCH, 30),
    ("work", 90),
    (BreakKind.SHORT, 10),
    ("work", 85),
]
LONG_DAY: list[Block] = [("work", 150), (BreakKind.LUNCH, 30), ("work", 150), ("work", 150)]
# Who had a long day with no break but lunch, by working days back (1 = the last working day before today).
LONG_DAYS = {("fatima.elamrani", 1), ("mark.vandijk", 3)}

Segment = tuple[str, str, datetime, datetime, int | None]  # state, break kind, start, end, contact


def load_wellbeing_demo(now: datetime | None = None) -> dict[str, int]:
    """Write the wellbeing part of the demo (after the contacts are analysed). Returns counts."""
    now = (now or timezone.now()).replace(microsecond=0)
    people = {u.username: u for u in User.objects.filter(username__in=TODAY)}
    if not people:
        return {}
    rng = random.Random(SEED)
    # Today's stories end now while the desk is open; loaded while it is closed (at night, on a Sunday
    # or a holiday) they are those of its last opening hours, and everyone has signed off since.
    calendar = default_calendar()
    closed = calendar.last_closing(now) if calendar.open_since(now) is None else None
    end = closed or now
    call = _rude_call(people.get("agent"), end)
    if closed is not None and call is not None:  # the states the desk gave the call by its own clock go
        StateSpan.objects.filter(contact=call, started_at__gt=end).delete()
    spans = 0
    for username in TODAY:
        user = people.get(username)
        if user is not None:
            spans += _write(user, _segments(username, rng, end, call), end, signed_off=closed is not None)
    loads = _loads()
    for day in reversed(_working_days(end)):  # the alerts the tick raised on those days, as it went
        alerts_raise(day_start(day + timedelta(days=1)) - timedelta(seconds=1))
    if closed is not None:  # the tick ran while the day went on (its alerts and the protection), then now
        wellbeing_tick(closed - timedelta(minutes=1))
    wellbeing_tick(now)
    return {
        "welzijn_statussen": spans,
        "welzijn_belasting": loads,
        "welzijn_beschermingen": Protection.objects.count(),
        "welzijn_signalen": WellbeingAlert.objects.count(),
    }


# --- agent states -----------------------------------------------------------------------------------------


def _working_days(now: datetime) -> list[date]:
    """The last working days (Monday to Friday) before today, newest first; before yesterday when today's
    work began before midnight (a demo loaded in the small hours), so that no day holds two."""
    days: list[date] = []
    longest = max(sum(minutes for _kind, minutes in blocks) for blocks in TODAY.values())
    day = local_day(now - timedelta(minutes=longest))
    while len(days) < PAST_DAYS:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def _segments(username: str, rng: random.Random, now: datetime, call: Contact | None) -> list[Segment]:
    found: list[Segment] = []
    for back, day in enumerate(reversed(_working_days(now))):
        ago = PAST_DAYS - back
        blocks = LONG_DAY if (username, ago) in LONG_DAYS else NORMAL_DAY
        start = day_start(day) + timedelta(hours=8, minutes=rng.randint(0, 25))
        found += _blocks(blocks, start, rng, None)
    today = TODAY[username]
    start = now - timedelta(minutes=sum(minutes for _kind, minutes in today))
    found += _blocks(today, start, rng, call)
    return found


def _blocks(blocks: list[Block], start: datetime, rng: random.Random, call: Contact | None) -> list[Segment]:
    found: list[Segment] = []
    moment = start
    for kind, minutes in blocks:
        end = moment + timedelta(minutes=minutes)
        if kind == "work":
            found += _work(moment, end, rng)
        elif kind == "rude_call":
            wrap = end - timedelta(minutes=1)
            found.append((State.IN_CONTACT, "", moment, wrap, call.pk if call else None))
            found.append((State.AFTER_CONTACT, "", wrap, end, call.pk if call else None))
        else:
            found.append((State.BREAK, kind, moment, end, None))
        moment = end
    return found


def _work(start: datetime, end: datetime, rng: random.Random) -> list[Segment]:
    """Time on the queue: calls and chats of 4-9 minutes, a minute of after-contact work, a short wait."""
    found: list[Segment] = []
    moment = start
    while moment < end:
        for state, low, high in (
            (State.AVAILABLE, 1, 4),
            (State.IN_CONTACT, 4, 9),
            (State.AFTER_CONTACT, 1, 1),
        ):
            until = min(end, moment + timedelta(minutes=rng.randint(low, high), seconds=rng.randint(0, 59)))
            if until > moment:
                found.append((state, "", moment, until, None))
            moment = until
    return found


def _write(user: User, segments: list[Segment], now: datetime, *, signed_off: bool = False) -> int:
    """Store the segments before the person's first state in the window (if any); the last one stays
    open when they have none after it, or they sign off at `now` (`signed_off`: the desk closed then)."""
    first = segments[0][2] if segments else now
    # Any state they have from `first` on, also one the desk gave them a moment ago by itself (the rude
    # call put Sanne in contact, then in after-contact work).
    existing = (
        StateSpan.objects.filter(user=user)
        .exclude(ended_at__lt=first)
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    until = min(existing, now) if existing else now
    rows = []
    for state, kind, start, end, contact_id in segments:
        end = min(end, until)
        if end <= start:
            continue
        rows.append(
            StateSpan(
                user=user,
                state=state,
                break_kind=kind,
                started_at=start,
                ended_at=end,
                contact_id=contact_id,
                set_by=StateSpan.SetBy.AUTO if state != State.BREAK else StateSpan.SetBy.AGENT,
            )
        )
    if rows and existing is None and signed_off:
        rows.append(StateSpan(user=user, state=State.OFFLINE, started_at=now, set_by=StateSpan.SetBy.AUTO))
    elif rows and existing is None:
        rows[-1].ended_at = None  # what they are doing now
        if rows[-1].state == State.BREAK:
            rows[-1].planned_end = rows[-1].started_at + timedelta(minutes=15)
    with transaction.atomic():
        StateSpan.objects.bulk_create(rows, batch_size=500)
        if rows and existing is None:  # in the desk now, as the floor's people (else the tick signs them off)
            RoutingProfile.objects.update_or_create(user=user, defaults={"last_seen_at": now})
    return len(rows)


# --- the rude caller rings again -------------------------------------------------------------------------


def _rude_call(agent: User | None, now: datetime) -> Contact | None:
    """Ronald Kramer's call to Sanne, with the words of his latest abusive call in the demo: opened 22
    minutes ago, the incident logged by the desk as it would live, closed ten minutes ago."""
    if agent is None:
        return None
    existing = Contact.objects.filter(external_id=RUDE_CALL_ID).first()
    if existing is not None:
        return existing
    earlier = (
        Contact.objects.filter(
            customer__first_name="Ronald",
            customer__last_name="Kramer",
            channel="phone",
            messages__signals__abuse__gte=0.5,
        )
        .order_by("-opened_at")
        .first()
    )
    if earlier is None:
        return None
    turns = [
        TranscriptTurn(m.author, m.text, m.start_s, m.end_s)
        for m in earlier.messages.filter(
            kind=MessageKind.TRANSCRIPT, author__in=[Author.CUSTOMER, Author.AGENT]
        ).order_by("sent_at", "start_s", "id")
    ]
    if not turns:
        return None
    identity = [(earlier.identity_kind, earlier.identity_raw or earlier.identity_value)]
    opened = now - timedelta(minutes=RUDE_CALL_MINUTES + 10)
    with transaction.atomic():  # assigned before routing hears of it
        call = contact_open(
            channel="phone",
            identities=identity,
            transcript=turns,
            subject=earlier.subject,
            at=opened,
            external_id=RUDE_CALL_ID,
            actor=agent,
            team=getattr(agent, "team", None),
        ).contact
        contact_assign(contact=call, agent=agent, why="demo")
        # Picked up as it rang (the desk logs the event at its own clock: the demo's call was earlier).
        ContactEvent.objects.filter(contact=call, kind=ContactEvent.Kind.ASSIGNED).update(at=opened)
    missing = list(Message.objects.filter(contact=call, signals__isnull=True))
    messages_analyse(missing, using=analyser("off"), replace=False)
    protocols_after_signals([call.pk])  # the abuse protocol and the incident, as the desk does live
    closed = now - timedelta(minutes=10)
    contact_set_status(contact=call, status=Status.CLOSED, actor=agent, at=closed)
    return call


def _loads() -> int:
    """The load of every handled contact in the demo."""
    ids = list(
        Contact.objects.filter(status=Status.CLOSED, assigned_agent__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for at in range(0, len(ids), 500):
        contact_loads_refresh(ids[at : at + 500])
    return len(ids)
