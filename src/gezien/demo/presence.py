"""The demo's floor right now: agents in their states (on a call, a short break, after-contact work,
available), calls and chats that came in over the last hour, and a queue that is waiting, so that the live
board shows a busy Monday-ish morning with the lines flashing and asks for more people on the phone.

Times are relative to `now`, so the board looks alive whenever the demo is loaded while the desk is open
(its opening hours and holidays: `default_calendar`); nobody's morning starts before the desk opened.
Loaded while the desk is closed (at night, on a Sunday or a holiday) the floor tells the truth: nobody
signed on, nothing handled since closing time, and the queue holds what came in overnight (e-mails, web
forms, callback requests), no caller holding the line (issue 20). People who already have a state today
(the wellbeing demo's) are left as they are.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts.models import Author, Contact, ContactEvent, Message, MessageKind, Status
from gezien.contacts.services import contact_open
from gezien.core.calendar import default_calendar
from gezien.customers.models import Identity
from gezien.insights.facts import facts_refresh
from gezien.presence.models import State, StateSpan
from gezien.routing.models import RoutingProfile
from gezien.wellbeing.services import contact_loads_refresh

# username: (state, break kind, minutes in it, channel of the contact they are on)
FLOOR: dict[str, tuple[str, str, float, str]] = {
    "fatima.elamrani": (State.IN_CONTACT, "", 6, "phone"),
    "mark.vandijk": (State.AVAILABLE, "", 3, ""),
    "daan.visser": (State.BREAK, "short", 7, ""),
    "naomi.pinas": (State.AFTER_CONTACT, "", 0.5, ""),
    "emre.yilmaz": (State.IN_CONTACT, "", 11, "phone"),
    "shanti.ramdin": (State.IN_CONTACT, "", 4, "chat"),
    "joyce.martina": (State.AVAILABLE, "", 1, ""),
    "lotte.brouwer": (State.BREAK, "lunch", 22, ""),
    "tim.hoekstra": (State.OFFLINE, "", 95, ""),
    "youssef.benali": (State.IN_CONTACT, "", 2, "phone"),
    "anouk.smit": (State.AVAILABLE, "", 14, ""),
}
# Minutes ago that calls and chats came in over the last hour and were handled (closed) ...
HANDLED = {
    "phone": [58, 55, 51, 49, 46, 44, 40, 37, 33, 31, 28, 25, 22, 19, 17, 14, 12, 9],
    "chat": [50, 35, 20],
}
# ... and that are waiting now, nobody on them yet.
# Callers hold the line for at most the phone target's patience (120 s): past it they count as abandoned.
WAITING: dict[str, list[float]] = {"phone": [1.9, 1.5, 1.1, 0.7, 0.3], "chat": [2.5, 0.8]}
# What the handled calls were about: each closed call holds a conversation (a closed call with nothing
# in it would be "Vorige keer besproken" on the caller's card; issue 20).
CALL_LINES = [
    ("Mijn internet valt 's avonds steeds weg.", "Storing internet: modem herstart, lijn gemeten"),
    ("Ik wil mijn adres wijzigen, we gaan verhuizen.", "Verhuizing doorgegeven"),
    ("Waarom is mijn rekening deze maand hoger?", "Factuur uitgelegd: eenmalige kosten"),
    ("Wanneer komt de monteur?", "Afspraak monteur bevestigd"),
]
# What came in while the desk was closed, as (channel, text), spread over the closed hours.
OVERNIGHT = [
    ("email", "Mijn factuur van deze maand klopt niet: er staat twee keer een modem op."),
    ("webform", "Graag wil ik mijn abonnement per 1 januari omzetten naar alleen internet."),
    ("phone", "Terugbelverzoek: beller sprak een bericht in over een storing sinds vanavond."),
    ("email", "Sinds gisteravond geen tv-signaal meer. Kunt u morgen iemand sturen?"),
    ("webform", "Ik ben verhuisd en wil mijn nieuwe adres doorgeven."),
    ("phone", "Terugbelverzoek: beller wil weten wanneer de monteur komt."),
]
CHAT_LINES = [
    "Hoi, mijn internet valt steeds weg sinds gisteren. Kunnen jullie even kijken?",
    "Goedemorgen, ik wacht al een week op mijn modem. Waar blijft het?",
    "Hallo, klopt het dat mijn rekening ineens hoger is?",
]


def load_presence_demo(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    with transaction.atomic():
        people = {u.username: u for u in User.objects.filter(username__in=list(FLOOR))}
        # Everyday customers ring in: not the demo's stories (the widow, Samira, Ronald Kramer: people with
        # something remembered on their card), whose "last time" must stay the conversation their story is.
        phones = list(
            Identity.objects.filter(kind="phone", customer__details__isnull=True)
            .order_by("id")
            .values_list("value", flat=True)[:60]
        )
        numbers = iter(phones)
        busy = set(
            StateSpan.objects.filter(user__in=people.values(), started_at__gte=now - timedelta(hours=12))
            .values_list("user_id", flat=True)
            .distinct()
        )
        calendar = default_calendar()
        opened = calendar.open_since(now)
        states = 0
        if opened is None:  # closed: nobody on the floor, the night's mail and callback requests waiting
            made = _overnight(now, calendar.last_closing(now), numbers)
            people = {}
        else:
            # Taken by whoever is on the floor: not by someone signed off since (an agent with contacts
            # today and no time on the queue; issue 20).
            on_floor = [
                people[u] for u, (state, *_rest) in FLOOR.items() if u in people and state != State.OFFLINE
            ]
            made = _traffic(now, numbers, on_floor, opened)
        for username, (state, kind, minutes, channel) in FLOOR.items():
            user = people.get(username)
            if user is None:
                continue
            since = max(now - timedelta(minutes=minutes), opened or now)
            if state == State.OFFLINE and opened is not None:  # signed off after a while on the queue
                since = min(max(since, opened + timedelta(minutes=15)), now)
            if user.pk in busy:
                # Their day so far is the wellbeing demo's; what they do now is the floor's (else whoever
                # its work blocks left on a call holds no contact, and the desk moves them to after-contact
                # work: a floor with nobody on a call at some hours of loading).
                on = _floor_now(user, state, kind, since, channel, numbers, now)
            else:
                on = _floor_state(user, state, kind, since, channel, numbers, now, opened or now)
            made += [on] if on is not None else []
            states += 1
        # Their figures, as the insights tick would write them after each contact: the live board reads
        # the last hour's handling time from them.
        facts_refresh([c.pk for c in made], now=now)
        # And their load on whoever took them: the calls were closed here, not through the services
        # whose listeners would (a week row counted fewer contacts than the person closed; issue 20).
        contact_loads_refresh([c.pk for c in made])
    return {"live_contacten": len(made), "live_statussen": states}


HISTORY_DAYS = 28


def load_history_states(now: datetime | None = None) -> int:
    """The states behind the demo's history: each agent who handled contacts on a day of the last four
    weeks (today up to now included) was signed on that day, from a quarter before their first contact
    to a quarter after their last, with lunch at half past twelve when the day runs through it. Without
    them a week showed "0 m op de wachtrij" beside 28 contacts (issue 20). Days that already have states
    (the wellbeing demo's, the live floor's) are left alone. Returns the number of states written."""
    from collections import defaultdict

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=HISTORY_DAYS), datetime.min.time()))
    until = now
    handled = Contact.objects.filter(
        Q(opened_at__gte=since) | Q(closed_at__gte=since), assigned_agent__isnull=False, opened_at__lt=until
    ).values_list("assigned_agent_id", "opened_at", "closed_at")
    days: dict[tuple[int, date], list[datetime]] = defaultdict(list)
    for agent_id, opened_at, closed_at in handled:
        # Worked on where it opened (a call, a chat) and where it closed (an e-mail answered days later).
        for moment in (opened_at, closed_at):
            if moment is not None and moment < now:
                days[(agent_id, timezone.localtime(moment).date())].append(moment)
    taken = {
        (user_id, timezone.localtime(started).date())
        for user_id, started in StateSpan.objects.filter(
            started_at__gte=since - timedelta(days=1)
        ).values_list("user_id", "started_at")
    }
    spans: list[StateSpan] = []
    for (agent_id, day), moments in sorted(days.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        if (agent_id, day) in taken:
            continue
        start = min(moments) - timedelta(minutes=15)
        end = min(max(moments) + timedelta(minutes=15), until)
        lunch = timezone.make_aware(datetime.combine(day, time(12, 30)))
        blocks = [(State.AVAILABLE, "", start, end)]
        if start < lunch and lunch + timedelta(minutes=30) < end:
            blocks = [
                (State.AVAILABLE, "", start, lunch),
                (State.BREAK, "lunch", lunch, lunch + timedelta(minutes=30)),
                (State.AVAILABLE, "", lunch + timedelta(minutes=30), end),
            ]
        if end + timedelta(minutes=1) <= now:
            blocks.append((State.OFFLINE, "", end, end + timedelta(minutes=1)))
        spans += [
            StateSpan(user_id=agent_id, state=s, break_kind=k, started_at=b, ended_at=e, set_by="auto")
            for s, k, b, e in blocks
            if e > b
        ]
    StateSpan.objects.bulk_create(spans, batch_size=500)
    return len(spans)


def _open(channel: str, at: datetime, numbers: object, text: str = "") -> Contact:
    number = next(numbers, "0612345678")  # type: ignore[call-overload]
    return contact_open(channel=channel, identities=[("phone", number)], text=text, at=at).contact


def _overnight(now: datetime, closed_at: datetime | None, numbers: object) -> list[Contact]:
    """What came in while the desk was closed (since `closed_at`, at most the last twelve hours): e-mails,
    web forms and callback requests, evenly over that time; nobody has answered them yet."""
    since = max(closed_at or now - timedelta(hours=12), now - timedelta(hours=12))
    step = (now - since) / (len(OVERNIGHT) + 1)
    return [
        _open(channel, since + step * (i + 1), numbers, text) for i, (channel, text) in enumerate(OVERNIGHT)
    ]


def _traffic(now: datetime, numbers: object, agents: list[User], opened: datetime) -> list[Contact]:
    """The last hour's calls and chats since the desk opened: each answered by someone on the floor
    within seconds (a call picked up, a first line in the chat), talked through and closed; then those
    waiting now."""
    made: list[Contact] = []
    for channel, minutes_ago in HANDLED.items():
        for i, minutes in enumerate(minutes_ago):
            at = now - timedelta(minutes=minutes)
            if at < opened:
                continue
            line, summary = CALL_LINES[i % len(CALL_LINES)]
            text = CHAT_LINES[i % len(CHAT_LINES)] if channel == "chat" else line
            contact = _open(channel, at, numbers, text)
            agent = agents[i % len(agents)] if agents else None
            answered = at + timedelta(seconds=(6 + 3 * i % 12) if channel == "phone" else (20 + 5 * i % 30))
            closed = at + timedelta(minutes=4 + i % 5)
            if agent is not None:
                ContactEvent.objects.create(
                    contact=contact,
                    kind=ContactEvent.Kind.ASSIGNED,
                    actor=agent,
                    at=answered,
                    data={"agent": agent.username},
                )
                Message.objects.create(
                    contact=contact,
                    author=Author.AGENT,
                    agent=agent,
                    kind=MessageKind.TRANSCRIPT if channel == "phone" else MessageKind.MESSAGE,
                    text="Goedemorgen, waarmee kan ik u helpen?"
                    if channel == "phone"
                    else "Hoi! Ik kijk het even voor je na.",
                    sent_at=answered,
                )
            Contact.objects.filter(pk=contact.pk).update(
                status=Status.CLOSED,
                closed_at=min(closed, now),
                waiting_since=None,
                assigned_agent=agent,
                summary=summary if channel == "phone" else "",
            )
            made.append(contact)
    for channel, waiting in WAITING.items():
        for i, wait in enumerate(waiting):
            if now - timedelta(minutes=wait) < opened:
                continue
            text = CHAT_LINES[i % len(CHAT_LINES)] if channel == "chat" else ""
            made.append(_open(channel, now - timedelta(minutes=wait), numbers, text))
    return made


def _floor_state(
    user: User,
    state: str,
    kind: str,
    since: datetime,
    channel: str,
    numbers: object,
    now: datetime,
    opened: datetime,
) -> Contact | None:
    """Someone's morning: on the queue from 2.5 hours ago or since the desk opened (after a short break
    at coffee time, when that was after opening), then the state they are in now; the contact they are
    on, if any."""
    start = max(now - timedelta(hours=2, minutes=30), opened)
    coffee = now - timedelta(hours=1, minutes=20)
    spans = [(State.AVAILABLE, "", start, min(since, now))]
    if coffee >= start:
        spans = [
            (State.AVAILABLE, "", start, coffee),
            (State.BREAK, "short", coffee, coffee + timedelta(minutes=10)),
            (State.AVAILABLE, "", coffee + timedelta(minutes=10), min(since, now)),
        ]
    if state == State.OFFLINE:
        spans = [(State.AVAILABLE, "", start, since)]
    for s, k, begin, end in spans:
        if end > begin:
            StateSpan.objects.create(
                user=user, state=s, break_kind=k, started_at=begin, ended_at=end, set_by="auto"
            )
    return _enter(user, state, kind, since, channel, numbers, now)


def _floor_now(
    user: User, state: str, kind: str, since: datetime, channel: str, numbers: object, now: datetime
) -> Contact | None:
    """Someone whose day already has states: from `since` on they are in the floor's state (their states
    after it are dropped, the one running then ends there)."""
    StateSpan.objects.filter(user=user, started_at__gte=since).delete()
    StateSpan.objects.filter(user=user, started_at__lt=since).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=since)
    ).update(ended_at=since)
    return _enter(user, state, kind, since, channel, numbers, now)


def _enter(
    user: User, state: str, kind: str, since: datetime, channel: str, numbers: object, now: datetime
) -> Contact | None:
    """The state they are in from `since` (left open), with the contact they are on, if any."""
    contact = None
    if state == State.IN_CONTACT and channel:
        text = CHAT_LINES[0] if channel == "chat" else ""
        contact = _open(channel, since, numbers, text)
        Contact.objects.filter(pk=contact.pk).update(assigned_agent=user)
        ContactEvent.objects.create(
            contact=contact,
            kind=ContactEvent.Kind.ASSIGNED,
            actor=user,
            at=since,
            data={"agent": user.username},
        )
    planned = None
    if state == State.BREAK:
        planned = since + timedelta(minutes=30 if kind == "lunch" else 10)
    elif state == State.AFTER_CONTACT:
        planned = since + timedelta(seconds=60)
    StateSpan.objects.create(
        user=user,
        state=state,
        break_kind=kind,
        started_at=since,
        planned_end=planned,
        contact=contact,
        set_by="agent" if state in (State.BREAK, State.OFFLINE) else "auto",
    )
    RoutingProfile.objects.update_or_create(
        user=user, defaults={"last_seen_at": now if state != State.OFFLINE else since}
    )
    return contact
