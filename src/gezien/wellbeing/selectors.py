"""Reads of wellbeing: the policy, who is protected now (routing asks), the break prompt in the desk, one
agent's week (their own page, or their team lead's view of it) and a team's week with the days that call
for scaling up ("opschalen"). Each read is a fixed number of queries, whatever the number of agents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.cache import cache
from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import Team, User
from gezien.accounts.roles import desk_people
from gezien.assist.models import Incident
from gezien.core.errors import Forbidden, Invalid, NotFound
from gezien.core.prepared import ParamsQuery
from gezien.desksettings.store import desk_setting
from gezien.presence.models import State, StateSpan
from gezien.presence.selectors import Span, spans_between
from gezien.wellbeing.models import ContactLoad, Protection, WellbeingAlert, WellbeingPolicy
from gezien.wellbeing.stretches import WORKING, DayTime, day_start, days_of, local_day, timeline

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

POLICY_CACHE_KEY = "wellbeing:policy"
POLICY_CACHE_SECONDS = 60
# How far back a stretch is looked for: one started before this is read as starting here.
LOOKBACK = timedelta(hours=14)
FIRST_YEAR, LAST_YEAR = 2000, 2099
# The shortest `continuous_minutes` a policy may set: less time on the queue than this needs no prompt
# (and no look at the policy, which saves the desk's pages a query).
SHORTEST_CONTINUOUS_MINUTES = 15
Kind = WellbeingAlert.Kind
About = TypeVar("About", bound=Model)  # a row about one person (a `user` field)


def policy() -> WellbeingPolicy:
    """The organisation's policy (the defaults until a manager saves one), cached for a minute."""
    found: WellbeingPolicy | None = cache.get(POLICY_CACHE_KEY)
    if found is None:
        found = WellbeingPolicy.objects.order_by("pk").first() or WellbeingPolicy()
        cache.set(POLICY_CACHE_KEY, found, POLICY_CACHE_SECONDS)
    return found


def protected(user_ids: Iterable[int], now: datetime | None = None) -> set[int]:
    """The people among `user_ids` whom routing passes by for heavy contacts at `now`: protected after
    an abusive contact, an incident, or a run of heavy contacts (`protect_minutes`). One query."""
    ids = list(user_ids)
    if not ids:
        return set()
    now = now or timezone.now()
    return set(
        Protection.objects.filter(
            user_id__in=ids, starts_at__lte=now, ends_at__gt=now, ended_early_at__isnull=True
        ).values_list("user_id", flat=True)
    )


def active_protections(user_ids: Iterable[int], now: datetime) -> dict[int, Protection]:
    """Each person's protection running at `now` (the one lasting longest)."""
    found: dict[int, Protection] = {}
    rows = Protection.objects.filter(
        user_id__in=list(user_ids), starts_at__lte=now, ends_at__gt=now, ended_early_at__isnull=True
    ).order_by("ends_at", "id")
    for row in rows:
        found[row.user_id] = row
    return found


# --- lines of the policy -----------------------------------------------------------------------------


def crossings(day: DayTime, rules: WellbeingPolicy) -> list[str]:
    """The lines of the policy a day crossed: a stretch longer than `continuous_minutes`, more than
    `daily_queue_minutes` on the queue, or at least `lunch_only_minutes` on it with no break but lunch."""
    kinds = []
    if any(s.seconds > rules.continuous_minutes * 60 for s in day.stretches):
        kinds.append(Kind.CONTINUOUS.value)
    if day.queue_seconds > rules.daily_queue_minutes * 60:
        kinds.append(Kind.DAILY_QUEUE.value)
    if day.queue_seconds >= rules.lunch_only_minutes * 60 and not day.rest_breaks():
        kinds.append(Kind.LUNCH_ONLY.value)
    return kinds


def days_for(
    user_ids: Sequence[int], first: date, last: date, now: datetime, rules: WellbeingPolicy
) -> dict[int, dict[date, DayTime]]:
    """Each person's days from `first` to `last` (inclusive) on the queue, up to `now`: one query."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    start, end = day_start(first) - LOOKBACK, min(now, day_start(last + timedelta(days=1)))
    spans = spans_between(user_ids, start, end) if end > start and user_ids else {}
    found: dict[int, dict[date, DayTime]] = {}
    for user_id in user_ids:
        own = spans.get(user_id, [])
        found[user_id] = days_of(own, timeline(own, rules.min_break_minutes), days)
    return found


# --- now: the stretch someone is in, and the prompt the desk shows them ----------------------------------


@dataclass(frozen=True)
class Now:
    """Someone's situation now: working or not, for how long without a counted break."""

    working: bool
    state: str  # "" when they have no state
    stretch_seconds: float = 0.0
    since: datetime | None = None
    protection: Protection | None = None
    over: bool = False  # longer than the policy allows without a break

    @property
    def stretch_minutes(self) -> int:
        return int(self.stretch_seconds // 60)


def _now_of(spans: list[Span], now: datetime, rules: WellbeingPolicy) -> Now:
    last = spans[-1] if spans else None
    working = last is not None and last.state in WORKING and last.end >= now
    state = last.state if last is not None and last.end >= now else State.OFFLINE if last else ""
    current = timeline(spans, rules.min_break_minutes).current if working else None
    if current is None:
        return Now(working, state)
    over = current.seconds > rules.continuous_minutes * 60
    return Now(True, state, current.seconds, current.start, over=over)


def now_for(user_ids: Sequence[int], now: datetime, rules: WellbeingPolicy) -> dict[int, Now]:
    """Each person's stretch and protection now: two queries."""
    spans = spans_between(user_ids, now - LOOKBACK, now) if user_ids else {}
    protections = active_protections(user_ids, now) if user_ids else {}
    found = {}
    for user_id in user_ids:
        current = _now_of(spans.get(user_id, []), now, rules)
        found[user_id] = Now(
            current.working,
            current.state,
            current.stretch_seconds,
            current.since,
            protections.get(user_id),
            current.over,
        )
    return found


@dataclass(frozen=True)
class Prompt:
    """What the desk's banner offers: a break after a long stretch, or time to bijkomen after a heavy
    contact (with the protection that came with it)."""

    kind: str  # "break" or "decompress"
    minutes: int  # the break offered
    worked_minutes: int = 0
    since: datetime | None = None
    protection: Protection | None = None


def _own_spans_query(p: dict[str, Any]) -> QuerySet[StateSpan, tuple[Any, ...]]:
    guard = Protection.objects.filter(
        user_id=OuterRef("user_id"),
        starts_at__lte=p["now"],
        ends_at__gt=p["now"],
        ended_early_at__isnull=True,
        break_taken_at__isnull=True,
    ).order_by("-ends_at", "-id")
    return (
        StateSpan.objects.filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=p["start"]), user_id=p["user"], started_at__lt=p["now"]
        )
        .annotate(guard=Subquery(guard.values("pk")[:1]))
        .order_by("started_at", "id")
        .values_list("user_id", "state", "break_kind", "started_at", "ended_at", "contact_id", "guard")
    )


# Prepared: every desk page asks it for its reader (the break prompt).
_OWN_SPANS = ParamsQuery(_own_spans_query)


def _own_spans(user_id: int, now: datetime) -> tuple[list[Span], int | None]:
    """Someone's spans of the last hours (as `spans_between` clips them) and, in the same query, the
    protection (an id) running now that offers a break not yet taken: the prompt asks one query."""
    start = now - LOOKBACK
    spans: list[Span] = []
    guard_id = None
    for user, state, break_kind, started_at, ended_at, contact_id, guard in _OWN_SPANS.rows(
        user=user_id, start=start, now=now
    ):
        guard_id = guard
        begin, end = max(started_at, start), min(ended_at or now, now)
        if end > begin:
            spans.append(Span(user, state, break_kind, begin, end, contact_id))
    return spans, guard_id


def prompt_for(user: User | AnonymousUser, now: datetime | None = None) -> Prompt | None:
    """The break prompt for someone working the queue now, or None: one query (the policy is cached),
    one more when a protection offers time to bijkomen."""
    if not user.is_authenticated or not user.has_perm("wellbeing.view_own_wellbeing"):
        return None
    now = now or timezone.now()
    spans, guard = _own_spans(user.pk, now)
    if not spans or spans[-1].state not in WORKING or spans[-1].end < now:
        return None  # on a break, signed off, or not signed on: nothing to prompt
    if guard is not None:
        running = Protection.objects.get(pk=guard)
        if not any(s.state == State.BREAK and s.start >= running.starts_at for s in spans):
            return Prompt("decompress", running.decompression_minutes, protection=running)
    if sum(s.seconds for s in spans if s.state in WORKING) <= SHORTEST_CONTINUOUS_MINUTES * 60:
        return None
    rules = policy()
    current = _now_of(spans, now, rules)
    if current.over:
        return Prompt("break", prompt_break_minutes(rules), current.stretch_minutes, current.since)
    return None


def prompt_break_minutes(rules: WellbeingPolicy) -> int:

    return max(rules.min_break_minutes, int(desk_setting("break_minutes")))


# --- who may see whom ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose wellbeing a viewer sees: a team lead their own team, managers every team."""

    team_id: int | None  # None: every team
    per_agent: bool  # may open each agent's page (and see them by name in the week's table)

    def people(self) -> QuerySet[User]:

        people = desk_people().filter(is_active=True).select_related("team")
        if self.team_id is not None:
            people = people.filter(team_id=self.team_id)
        return people.order_by("first_name", "last_name", "username")


def scope_for(viewer: User | AnonymousUser) -> Scope:
    """Managers see every team (per agent always); team leads their own team, per agent only when the
    organisation allows it (`per_agent_views`). Others are refused."""
    if viewer.has_perm("wellbeing.view_all_wellbeing"):
        return Scope(None, True)
    team_id = getattr(viewer, "team_id", None)
    if viewer.has_perm("wellbeing.view_team_wellbeing") and team_id is not None:
        return Scope(team_id, policy().per_agent_views)
    raise Forbidden(_("Het welzijnsoverzicht van een team is er voor teamleiders en managers."))


def agent_for(viewer: User | AnonymousUser, agent_id: int) -> User:
    """The person whose page `viewer` asks for: themselves, someone of their team (when per-agent views
    are on), anyone for managers. Someone else's page without a lead's role is 403, a person outside
    the viewer's teams (or no one) 404, and a team member's page with per-agent views off 403."""
    if viewer.pk == agent_id:
        if not viewer.has_perm("wellbeing.view_own_wellbeing"):
            raise Forbidden(_("Uw rol mag dit niet."))
        return User.objects.select_related("team").get(pk=agent_id)
    if not (
        viewer.has_perm("wellbeing.view_team_wellbeing") or viewer.has_perm("wellbeing.view_all_wellbeing")
    ):
        raise Forbidden(_("U ziet alleen uw eigen welzijnspagina."))
    scope = scope_for(viewer)
    found = desk_people().filter(pk=agent_id).select_related("team").first()
    if found is None:
        raise NotFound(_("Deze medewerker bestaat niet of hoort niet bij uw team."))
    if scope.team_id is not None and found.team_id != scope.team_id:
        raise NotFound(_("Deze medewerker bestaat niet of hoort niet bij uw team."))
    if not scope.per_agent:
        raise Forbidden(
            _("De organisatie heeft het overzicht per medewerker uitgezet; u ziet de totalen van uw team.")
        )
    return found


# --- weeks -----------------------------------------------------------------------------------------------


def week_of(value: date | str | None, now: datetime) -> date:
    """The Monday of the week holding `value` (a date or YYYY-MM-DD; default: this week)."""
    if value in (None, ""):
        day = local_day(now)
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value))
        except ValueError as exc:
            raise Invalid(_("Geef een datum als JJJJ-MM-DD."), field="week") from exc
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Invalid(_("Kies een datum tussen 2000 en 2099."), field="week")
    return day - timedelta(days=day.weekday())


@dataclass
class DayRow:
    """One person's (or a team's) day: time on the queue, breaks, contacts and their load."""

    day: date
    queue_seconds: float = 0.0  # summed as seconds: a week's total is not the sum of rounded days
    longest_minutes: int = 0
    breaks: int = 0
    break_minutes: int = 0
    lunch_minutes: int = 0
    contacts: int = 0
    load: float = 0.0  # the day's contacts' loads added up
    heavy: int = 0
    abusive: int = 0
    incidents: int = 0
    crossed: list[str] = field(default_factory=list)

    @property
    def queue_minutes(self) -> int:
        return int(self.queue_seconds // 60)

    def add(self, other: DayRow) -> None:
        for name in (
            "queue_seconds",
            "breaks",
            "break_minutes",
            "lunch_minutes",
            "contacts",
            "heavy",
            "abusive",
            "incidents",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.load = round(self.load + other.load, 2)
        self.longest_minutes = max(self.longest_minutes, other.longest_minutes)


def _row(time: DayTime, rules: WellbeingPolicy) -> DayRow:
    return DayRow(
        time.day,
        queue_seconds=time.queue_seconds,
        longest_minutes=time.longest_minutes,
        breaks=len(time.rest_breaks()),
        break_minutes=time.break_minutes,
        lunch_minutes=time.lunch_minutes,
        crossed=crossings(time, rules),
    )


def _week_rows(
    user_ids: list[int], monday: date, now: datetime, rules: WellbeingPolicy
) -> dict[int, list[DayRow]]:
    """Each person's seven days: three queries (spans, loads, incidents)."""
    sunday = monday + timedelta(days=6)
    times = days_for(user_ids, monday, sunday, now, rules)
    rows = {uid: {d: _row(t, rules) for d, t in times[uid].items()} for uid in user_ids}
    start, end = day_start(monday), day_start(sunday + timedelta(days=1))
    loads = ContactLoad.objects.filter(agent_id__in=user_ids, closed_at__gte=start, closed_at__lt=end)
    for agent_id, closed_at, load, abusive in loads.values_list("agent_id", "closed_at", "load", "abusive"):
        row = rows[agent_id].get(local_day(closed_at))
        if row is not None:
            row.contacts += 1
            row.load = round(row.load + load, 2)
            row.heavy += load >= rules.heavy_load_at
            row.abusive += abusive
    incidents = Incident.objects.filter(agent_id__in=user_ids, created_at__gte=start, created_at__lt=end)
    for agent_id, created_at in incidents.values_list("agent_id", "created_at"):
        row = rows[agent_id].get(local_day(created_at))
        if row is not None:
            row.incidents += 1
    return {uid: [days[d] for d in sorted(days)] for uid, days in rows.items()}


def _total(days: Iterable[DayRow], day: date) -> DayRow:
    total = DayRow(day)
    for row in days:
        total.add(row)
    return total


class _WeekNav:
    """The weeks before and after a page about the week from `monday`."""

    monday: date

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)


@dataclass
class AgentWeek(_WeekNav):
    """One agent's page: the week day by day, the contacts that weighed, abuse they bore, protections."""

    agent: User
    monday: date
    days: list[DayRow]
    total: DayRow
    loads: list[ContactLoad]  # the week's handled contacts, newest first
    incidents: list[Incident]
    protections: list[Protection]
    now: Now
    rules: WellbeingPolicy


def agent_week(agent: User, monday: date, now: datetime) -> AgentWeek:
    """One agent's week (their own page, or their lead's or manager's view of it)."""
    rules = policy()
    days = _week_rows([agent.pk], monday, now, rules)[agent.pk]
    start, end = day_start(monday), day_start(monday + timedelta(days=7))
    loads = list(
        ContactLoad.objects.filter(agent=agent, closed_at__gte=start, closed_at__lt=end)
        .select_related("contact")
        .order_by("-closed_at", "-contact_id")[:200]
    )
    incidents = list(Incident.objects.filter(agent=agent, created_at__gte=start, created_at__lt=end)[:100])
    protections = list(Protection.objects.filter(user=agent, starts_at__gte=start, starts_at__lt=end)[:100])
    current = now_for([agent.pk], now, rules)[agent.pk]
    return AgentWeek(agent, monday, days, _total(days, monday), loads, incidents, protections, current, rules)


@dataclass
class AgentLine:
    user: User
    days: list[DayRow]
    total: DayRow


@dataclass
class ScaleUpDay:
    """A day in a team's week with the people who crossed a line ("opschalen")."""

    day: date
    continuous: list[User] = field(default_factory=list)
    daily_queue: list[User] = field(default_factory=list)
    lunch_only: list[User] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len({u.pk for u in (*self.continuous, *self.daily_queue, *self.lunch_only)})


@dataclass
class TeamWeek:
    team: Team | None
    agents: list[AgentLine]
    days: list[DayRow]  # the team's totals per day
    total: DayRow
    scale_up: list[ScaleUpDay]  # only the days that crossed a line


@dataclass
class NowLine:
    user: User
    now: Now


@dataclass
class Overview(_WeekNav):
    """The team page (/desk/wellbeing/): who needs a break or is protected now, open alerts, and each
    team's week with the days that call for scaling up."""

    monday: date
    scope: Scope
    teams: list[TeamWeek]
    now: list[NowLine]  # people working too long without a break, or protected, now
    alerts: list[WellbeingAlert]
    rules: WellbeingPolicy


def overview(scope: Scope, monday: date, now: datetime, *, team_id: int | None = None) -> Overview:
    """The week of every team in `scope` (or of `team_id` within it): a fixed number of queries."""
    rules = policy()
    people = scope.people()
    if team_id is not None:
        people = people.filter(team_id=team_id)
    everyone = list(people)
    ids = [u.pk for u in everyone]
    rows = _week_rows(ids, monday, now, rules)
    grouped: dict[int | None, list[User]] = defaultdict(list)
    for user in everyone:
        grouped[getattr(user, "team_id", None)].append(user)
    teams = {t.pk: t for t in Team.objects.filter(pk__in=[k for k in grouped if k is not None])}
    blocks = []
    for key in sorted(grouped, key=lambda k: (k is None, teams[k].name if k is not None else "")):
        members = grouped[key]
        lines = [AgentLine(u, rows[u.pk], _total(rows[u.pk], monday)) for u in members]
        days = [_total((line.days[n] for line in lines), monday + timedelta(days=n)) for n in range(7)]
        scale_up = []
        for n, day in enumerate(days):
            found = ScaleUpDay(day.day)
            for line in lines:
                for kind in line.days[n].crossed:
                    getattr(found, kind).append(line.user)
            if found.people:
                scale_up.append(found)
        blocks.append(
            TeamWeek(teams.get(key) if key is not None else None, lines, days, _total(days, monday), scale_up)
        )
    current = now_for(ids, now, rules)
    attention = [
        NowLine(u, current[u.pk]) for u in everyone if current[u.pk].over or current[u.pk].protection
    ]
    alerts = list(
        alerts_visible_qs(scope)
        .filter(acknowledged_at__isnull=True)
        .filter(user_id__in=ids)
        .select_related("user")[:100]
    )
    return Overview(monday, scope, blocks, attention, alerts, rules)


# --- alerts --------------------------------------------------------------------------------------------


def _in_scope(rows: QuerySet[About], scope: Scope) -> QuerySet[About]:
    """Rows about people of the scope's team (every team's when it has none)."""
    return rows.filter(user__team_id=scope.team_id) if scope.team_id is not None else rows


def alerts_visible_qs(scope: Scope) -> QuerySet[WellbeingAlert]:
    return _in_scope(WellbeingAlert.objects.all(), scope)


def _seen_by(viewer: User | AnonymousUser, rows: QuerySet[About]) -> QuerySet[About]:
    """Rows about a person that `viewer` may see: team leads their team's, managers all, agents their own
    (someone else's is then as unknown as a row that does not exist: 404, not 403)."""
    try:
        scope = scope_for(viewer)
    except Forbidden:
        if viewer.has_perm("wellbeing.view_own_wellbeing") and viewer.pk is not None:
            return rows.filter(user__pk=viewer.pk)
        raise
    return _in_scope(rows, scope)


def alerts_for(viewer: User | AnonymousUser) -> QuerySet[WellbeingAlert]:
    """The alerts a person may see: team leads their team's, managers all, agents their own."""
    return _seen_by(viewer, WellbeingAlert.objects.all()).select_related("user", "acknowledged_by")


def protections_for(viewer: User | AnonymousUser) -> QuerySet[Protection]:
    """The protections a person may see (and then act on, as far as their role lets them)."""
    return _seen_by(viewer, Protection.objects.all())
