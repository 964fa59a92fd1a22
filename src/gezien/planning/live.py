"""The live board ("de lijnen knipperen"): per channel the waiting contacts, the longest wait, the service
level so far today, the agents by state and the occupancy over the last hour; per agent their state and
for how long; and whether the queue needs more people than are there now.

A fixed number of queries for any number of agents and contacts (tests hold it to that), so the board can
refresh every few seconds for a floor of hundreds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.accounts.roles import desk_people
from gezien.contacts.models import Author, Channel, Contact, ContactEvent, Message, MessageKind, Status
from gezien.contacts.selectors import QUEUE_STATUSES
from gezien.core.calendar import default_calendar
from gezien.core.errors import Forbidden
from gezien.phone.selectors import call_figures
from gezien.planning.models import DEFAULT_TARGETS, ServiceTarget
from gezien.presence.models import State
from gezien.presence.selectors import (
    LIVE_CHANNELS,
    Current,
    Span,
    current_states,
    occupancy,
    spans_between,
)
from gezien.routing.models import RoutingProfile
from gezien.routing.selectors import capacity, default_capacity
from gezien.workforce import erlang_a_metrics, erlang_c_metrics, required_agents

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

STATE_ORDER = [State.AVAILABLE, State.IN_CONTACT, State.AFTER_CONTACT, State.BREAK, State.OFFLINE]
OCCUPANCY_WINDOW = timedelta(hours=1)
# The live need is read from the contacts that came in over this window, as a rate per planning interval.
ARRIVAL_WINDOW = timedelta(minutes=60)
DEFAULT_AHT_SECONDS = {"phone": 300, "chat": 480, "email": 420, "webform": 420}
MIN_AHT_SAMPLES = 10
MIN_PATIENCE_SAMPLES = 10  # abandoned calls today before the board trusts their patience over the target's


@dataclass(frozen=True)
class LiveScope:
    """Whose agents and contacts the board shows: a team lead's own team (and contacts of no team), or
    everyone for managers."""

    team_id: int | None  # None: every team

    def agents(self) -> list[User]:
        people = desk_people().filter(is_active=True).select_related("team", "routing")
        if self.team_id is not None:
            people = people.filter(team_id=self.team_id)
        return list(people.order_by("first_name", "last_name", "username"))

    def contacts(self) -> Q:
        if self.team_id is None:
            return Q()
        return Q(team_id=self.team_id) | Q(team__isnull=True)


def live_scope(user: User | AnonymousUser) -> LiveScope:
    if user.has_perm("presence.view_live_all_teams"):
        return LiveScope(None)
    team_id = getattr(user, "team_id", None)
    if user.has_perm("presence.view_live") and team_id is not None:
        return LiveScope(team_id)
    raise Forbidden(_("De live bezetting is er voor teamleiders en managers."))


@dataclass
class AgentRow:
    user: User
    current: Current | None
    channels: list[str]  # the channels they take (capacity > 0)
    occupancy: float | None  # over the last hour
    seconds_in_state: int = 0
    overrun: bool = False  # a planned break or after-contact work that should have ended

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in self.channels]

    @property
    def state(self) -> str:
        return self.current.state if self.current else State.OFFLINE

    @property
    def name(self) -> str:
        return self.user.display_name


@dataclass
class ScaleUp:
    """The live queue needs more people on a channel than are on it now."""

    needed: int  # agents needed now
    present: int  # agents on the channel now (available or in contact)
    service_level_now: float  # expected with those present
    service_level_with: float  # expected with the ones needed

    @property
    def short(self) -> int:
        return max(0, self.needed - self.present)


@dataclass
class ChannelBoard:
    channel: str
    label: str
    waiting: int = 0
    longest_wait_seconds: int | None = None
    answered_today: int = 0
    within_target_today: int = 0
    missed_today: int = 0  # answered late, or still waiting past the target
    abandoned_today: int = 0  # calls that hung up before anyone answered (the telephone system's events)
    patience_seconds: float | None = None  # today's estimate from those calls (Erlang A's patience)
    target: ServiceTarget | None = None
    agents_by_state: dict[str, int] = field(default_factory=dict)
    occupancy: float | None = None
    arrivals_last_hour: int = 0
    aht_seconds: float = 0.0  # today's mean handling time, or the default
    scale_up: ScaleUp | None = None

    @property
    def service_level(self) -> float | None:
        counted = self.within_target_today + self.missed_today
        return self.within_target_today / counted if counted else None

    @property
    def below_target(self) -> bool:
        level = self.service_level
        return level is not None and self.target is not None and level < self.target.service_level


@dataclass(frozen=True)
class ClosedDesk:
    """The desk is closed now (outside its opening hours, or a holiday or a day of its own)."""

    reopens: datetime | None  # the next opening hours' start
    day_name: str  # the holiday's or own day's name, when that is why


def closed_desk(now: datetime) -> ClosedDesk | None:
    """Whether the desk is closed at `now` by its opening hours and holidays (the settings area's)."""
    calendar = default_calendar()
    if calendar.open_since(now) is not None:
        return None
    day = timezone.localtime(now).date()
    return ClosedDesk(calendar.next_opening(now), calendar.holiday_name(day) or "")


@dataclass
class LiveBoard:
    now: datetime
    channels: list[ChannelBoard]
    agents: list[AgentRow]
    closed: ClosedDesk | None = None

    @property
    def states(self) -> Counter[str]:
        return Counter(row.state for row in self.agents)


def _answered_at() -> tuple[Subquery, Subquery]:
    # An agent's internal note (a call logged after it ended) is no answer to the customer.
    first_reply = Subquery(
        Message.objects.filter(contact=OuterRef("pk"), author=Author.AGENT)
        .exclude(kind=MessageKind.NOTE)
        .values("contact")
        .annotate(first=Min("sent_at"))
        .values("first")[:1]
    )
    first_assigned = Subquery(
        ContactEvent.objects.filter(contact=OuterRef("pk"), kind=ContactEvent.Kind.ASSIGNED)
        .values("contact")
        .annotate(first=Min("at"))
        .values("first")[:1]
    )
    return first_reply, first_assigned


def _targets() -> dict[str, ServiceTarget]:
    """The service targets per channel; a channel without a row takes the defaults (not saved)."""
    found = {t.channel: t for t in ServiceTarget.objects.all()}
    for channel, values in DEFAULT_TARGETS.items():
        found.setdefault(channel, ServiceTarget(channel=channel, **values))
    return found


def _today_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)


def live_board(scope: LiveScope, now: datetime | None = None) -> LiveBoard:
    now = now or timezone.now()
    targets = _targets()
    boards = {c: ChannelBoard(c, str(Channel(c).label), target=targets.get(c)) for c in Channel.values}
    in_scope = Contact.objects.filter(scope.contacts())

    # Waiting: in the queue with nobody on it; a call nobody picked up past its patience is abandoned.
    _waiting(boards, in_scope, now)

    # Service level so far today: answered within the channel's target, of those answered or waiting past it.
    first_reply, first_assigned = _answered_at()
    today = in_scope.filter(opened_at__gte=_today_start(now), opened_at__lte=now).annotate(
        first_reply=first_reply, first_assigned=first_assigned
    )
    for channel, opened_at, status, agent_id, reply_at, assigned_at in today.values_list(
        "channel", "opened_at", "status", "assigned_agent_id", "first_reply", "first_assigned"
    ):
        board = boards[channel]
        limit = board.target.target_seconds if board.target else 0
        answered = min((t for t in (reply_at, assigned_at) if t is not None), default=None)
        if answered is None and agent_id is not None and channel == Channel.PHONE:
            answered = opened_at  # an incoming call logged by the agent who took it as it rang
        if answered is not None:
            board.answered_today += 1
            if (answered - opened_at).total_seconds() <= limit:
                board.within_target_today += 1
            else:
                board.missed_today += 1
        elif status != Status.CLOSED and (now - opened_at).total_seconds() > limit:
            board.missed_today += 1
        elif status == Status.CLOSED and (now - opened_at).total_seconds() > limit:
            board.missed_today += 1  # left without an answer: abandoned
    for channel in in_scope.filter(opened_at__gt=now - ARRIVAL_WINDOW, opened_at__lte=now).values_list(
        "channel", flat=True
    ):
        boards[channel].arrivals_last_hour += 1
    _calls(boards[Channel.PHONE], now)

    # Agents: their state now, the channels they take, occupancy over the last hour.
    people = scope.agents()
    ids = [p.pk for p in people]
    states = current_states(ids)
    spans = spans_between(ids, now - OCCUPANCY_WINDOW, now)
    defaults = default_capacity()
    handling = _handling_recent(now)
    rows: list[AgentRow] = []
    spans_by_channel: dict[str, list[Span]] = defaultdict(list)
    for person in people:
        profile = getattr(person, "routing", None) or RoutingProfile(user=person)
        channels = [c for c in Channel.values if capacity(profile, c, defaults) > 0]
        own = spans.get(person.pk, [])
        current = states.get(person.pk)
        row = AgentRow(person, current, channels, occupancy(own))
        row.seconds_in_state = current.seconds(now) if current else 0
        row.overrun = current.overrun(now) if current else False
        rows.append(row)
        for channel in channels:
            spans_by_channel[channel].extend(own)
    _apportion(boards, rows, states)
    for channel, board in boards.items():
        board.occupancy = occupancy(spans_by_channel[channel])
        board.aht_seconds = handling.get(channel, DEFAULT_AHT_SECONDS.get(channel, 300))
        board.scale_up = _scale_up(board, board.aht_seconds)
    rows.sort(key=lambda r: (STATE_ORDER.index(State(r.state)), -r.seconds_in_state, r.name))
    shown = [boards[c] for c in Channel.values]
    closed = closed_desk(now)
    if closed is not None:  # nobody is asked to come in while the desk is closed: what waits, waits
        for board in shown:
            board.scale_up = None
    return LiveBoard(now, shown, rows, closed)


def _apportion(boards: dict[str, ChannelBoard], rows: list[AgentRow], states: dict[int, Current]) -> None:
    """Each person counted once on the floor, and apportioned over the channels they take: someone on a
    call or a chat counts on that channel; anyone else in equal shares over their channels. The shares
    are rounded per state so that the cards add up to the floor (largest remainder): six people who
    take every channel are six on the board, not six on each of four cards (issue 20). One query."""
    on_contact = {s.contact_id for s in states.values() if s.contact_id is not None}
    channel_of = dict(Contact.objects.filter(pk__in=on_contact).values_list("pk", "channel"))
    shares: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        current = row.current
        held = channel_of.get(current.contact_id) if current and current.contact_id else None
        serve = [held] if held is not None else row.channels
        for channel in serve:
            shares[row.state][channel] += 1 / len(serve)
    for state, per_channel in shares.items():
        whole = {c: int(v + 1e-9) for c, v in per_channel.items()}
        left = round(sum(per_channel.values())) - sum(whole.values())
        by_rest = sorted(per_channel, key=lambda c: (-(per_channel[c] - whole[c]), Channel.values.index(c)))
        for channel in by_rest[:left]:
            whole[channel] += 1
        for channel, n in whole.items():
            if n:
                boards[channel].agents_by_state[state] = n


def _patience_limit(board: ChannelBoard) -> float | None:
    """How long a caller on `board`'s channel holds the line: the phone target's patience (None on the
    other channels: a chat, an e-mail or a form waits in the queue until someone takes it)."""
    if board.channel != Channel.PHONE or board.target is None or not board.target.patience_seconds:
        return None
    return float(board.target.patience_seconds)


def _waiting(boards: dict[str, ChannelBoard], in_scope: QuerySet[Contact], now: datetime) -> None:
    """The queue's contacts with nobody on them, per channel, and the longest wait among them. A call
    that opened a contact and left nothing in it (no voicemail, no callback request: the caller was on the
    line) and has waited longer than the channel's patience is abandoned: the caller hung up long ago, so
    it is counted with today's abandoned calls, not as waiting (issue 20: "langst 9 u 58")."""
    recorded = Exists(Message.objects.filter(contact=OuterRef("pk")))
    rows = (
        in_scope.filter(status__in=QUEUE_STATUSES, assigned_agent__isnull=True)
        .annotate(recorded=recorded)
        .values_list("channel", "waiting_since", "opened_at", "recorded")
    )
    today = _today_start(now)
    for channel, waiting_since, opened_at, has_words in rows:
        board = boards[channel]
        waited = int((now - (waiting_since or opened_at)).total_seconds())
        patience = _patience_limit(board)
        if patience is not None and not has_words and waited > patience:
            board.abandoned_today += opened_at >= today
            continue
        board.waiting += 1
        board.longest_wait_seconds = max(board.longest_wait_seconds or 0, waited)


def waiting_counts(scope: LiveScope, now: datetime | None = None) -> dict[str, int]:
    """What the live board shows as waiting per channel (the queue's tabs and the API show the same)."""
    now = now or timezone.now()
    targets = _targets()
    boards = {c: ChannelBoard(c, str(Channel(c).label), target=targets.get(c)) for c in Channel.values}
    _waiting(boards, Contact.objects.filter(scope.contacts()), now)
    calls = call_figures(
        now=now, today=_today_start(now), recent=now, target_s=0, patience_s=_patience_limit(boards["phone"])
    )
    return {c: b.waiting + (calls.ringing if c == Channel.PHONE else 0) for c, b in boards.items()}


def _calls(board: ChannelBoard, now: datetime) -> None:
    """What the telephone system told of (issue 18): calls ringing now wait in the phone queue, and a
    call nobody answered is abandoned (missed when it waited past the target; an arrival of its own, as
    it opened no contact) and feeds today's patience estimate."""
    limit = board.target.target_seconds if board.target else 0
    calls = call_figures(
        now=now,
        today=_today_start(now),
        recent=now - ARRIVAL_WINDOW,
        target_s=limit,
        patience_s=_patience_limit(board),
    )
    board.waiting += calls.ringing
    if calls.longest_ringing_s is not None:
        board.longest_wait_seconds = max(board.longest_wait_seconds or 0, calls.longest_ringing_s)
    board.abandoned_today += calls.abandoned_today
    board.missed_today += calls.abandoned_late_today
    board.arrivals_last_hour += calls.abandoned_recently
    board.patience_seconds = calls.patience_s


# Mean handling times come from a feature above planning (insights' contact facts), which registers
# `fn(now, window, min_samples)` here; without one the board uses DEFAULT_AHT_SECONDS.
HandlingTimes = Callable[[datetime, timedelta, int], dict[str, float]]
_handling_sources: list[HandlingTimes] = []


def handling_times_from(source: HandlingTimes) -> None:
    """Register where the live board reads recent mean handling times per channel."""
    _handling_sources[:] = [source]


def _handling_recent(now: datetime) -> dict[str, float]:
    """Mean handling time per channel of the contacts that came in over the arrival window (or today's
    so far when the window has fewer than MIN_AHT_SAMPLES); channels without enough take the default."""
    means: dict[str, float] = {}
    for source in _handling_sources:
        means.update(source(now, ARRIVAL_WINDOW, MIN_AHT_SAMPLES))
    return means


def _scale_up(board: ChannelBoard, aht_s: float) -> ScaleUp | None:
    """On a live channel: how many people the last hour's arrivals (and those waiting now) need at the
    channel's target, against those on the channel now (available or in contact). Erlang A when the
    target has a patience, else Erlang C; chats count each agent's concurrency. None when there is no
    target, no arrivals, or enough people."""
    target = board.target
    if target is None or board.channel not in LIVE_CHANNELS:
        return None
    arrivals = board.arrivals_last_hour + board.waiting
    if arrivals == 0:
        return None
    interval_s = ARRIVAL_WINDOW.total_seconds()
    patience = _patience(board)
    need = required_agents(
        arrivals,
        interval_s,
        aht_s,
        target.target_seconds,
        target.service_level,
        max_occupancy=target.max_occupancy,
        patience_s=patience,
        max_abandon=target.max_abandon,
        concurrency=target.concurrency,
    )
    present = board.agents_by_state.get(State.AVAILABLE, 0) + board.agents_by_state.get(State.IN_CONTACT, 0)
    if need.agents <= present:
        return None
    return ScaleUp(
        needed=int(need.agents),
        present=present,
        service_level_now=_level(board, arrivals, interval_s, aht_s, present),
        service_level_with=_level(board, arrivals, interval_s, aht_s, int(need.agents)),
    )


def _patience(board: ChannelBoard) -> float | None:
    """Erlang A's patience: the target's, or, on a target that has one and with enough abandoned calls
    today to say so, the callers' own (estimated from the telephone system's events)."""
    target = board.target
    if target is None or not target.patience_seconds:
        return None
    if board.patience_seconds and board.abandoned_today >= MIN_PATIENCE_SAMPLES:
        return board.patience_seconds
    return float(target.patience_seconds)


def _level(board: ChannelBoard, arrivals: int, interval_s: float, aht_s: float, agents: int) -> float:
    """The expected service level with this many agents (0 without anyone)."""
    target = board.target
    assert target is not None
    if agents <= 0:
        return 0.0
    patience = _patience(board)
    if patience:
        metrics_a = erlang_a_metrics(
            arrivals,
            interval_s,
            aht_s,
            patience,
            agents,
            target.target_seconds,
            concurrency=target.concurrency,
        )
        return float(metrics_a.service_level_offered)
    metrics_c = erlang_c_metrics(
        arrivals, interval_s, aht_s, agents, target.target_seconds, concurrency=target.concurrency
    )
    return float(metrics_c.service_level)
