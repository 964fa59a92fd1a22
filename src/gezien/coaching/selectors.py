"""Coaching's reads: who may see whose reads, one contact's read, and the coaching queue (per agent over
weeks: each habit's trend, strengths, the one or two habits most worth coaching now with example moments).

Privacy as with wellbeing: an agent sees their own reads; team leads their own team's agents and managers
every team's, each agent by name only while the organisation has per-agent scores on
(`CoachingPolicy.per_agent_scores`); with it off they see the team's figures alone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.accounts.models import User
from gezien.accounts.roles import desk_people
from gezien.coaching.habits import HABITS, Turn
from gezien.coaching.models import CoachingPolicy, CoachingSession, ContactRead, ReadComment
from gezien.contacts.models import Author, Message, MessageKind
from gezien.core.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import _StrPromise

POLICY_CACHE_KEY = "coaching:policy"
POLICY_CACHE_SECONDS = 60
WEEKS = 8  # the trend covers this many weeks, this one included
RECENT_WEEKS = 4  # "now": strengths and what to coach come from these weeks
MIN_READS = 3  # a habit needs this many applicable contacts before it counts as a strength or a focus
STRENGTH_AT = 75
FOCUS_BELOW = 70
BEHIND_AT = 10  # this many points below colleagues on the same reasons makes a habit worth coaching
EXAMPLES = 3

# The habits shown as scores (`collegas` is the comparison with colleagues, shown beside each habit).
SCORED: tuple[str, ...] = tuple(h for h in HABITS if h != "collegas")
LABELS: dict[str, _StrPromise] = {
    "uitpraten": gettext_lazy("Laat de klant uitpraten"),
    "vragen": gettext_lazy("Stel vragen"),
    "rustig": gettext_lazy("Blijf rustig"),
    "terugkoppelen": gettext_lazy("Koppel terug en benoem het gevoel"),
    "collegas": gettext_lazy("Leer van collega's"),
    "eerst_luisteren": gettext_lazy("Eerst luisteren, dan oplossen"),
    "register": gettext_lazy("Volg de aanspreekvorm (u of je)"),
}


def label(habit: str) -> str:
    return str(LABELS.get(habit, habit))


def policy() -> CoachingPolicy:
    """The organisation's policy (the defaults until a manager saves one), cached for a minute."""
    found: CoachingPolicy | None = cache.get(POLICY_CACHE_KEY)
    if found is None:
        found = CoachingPolicy.objects.order_by("pk").first() or CoachingPolicy()
        cache.set(POLICY_CACHE_KEY, found, POLICY_CACHE_SECONDS)
    return found


# --- who may see whom ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose reads a viewer sees: a team lead their own team, managers every team."""

    team_id: int | None  # None: every team
    per_agent: bool  # may see each agent's scores by name

    def people(self) -> QuerySet[User]:
        people = desk_people().filter(is_active=True).select_related("team")
        if self.team_id is not None:
            people = people.filter(team_id=self.team_id)
        return people.order_by("first_name", "last_name", "username")


def leads(viewer: User | AnonymousUser) -> bool:
    return viewer.has_perm("coaching.view_team_reads") or viewer.has_perm("coaching.view_all_reads")


def scope_for(viewer: User | AnonymousUser) -> Scope:
    """Managers every team, team leads their own; per agent only while per-agent scores are on."""
    per_agent = policy().per_agent_scores
    if viewer.has_perm("coaching.view_all_reads"):
        return Scope(None, per_agent)
    team_id = getattr(viewer, "team_id", None)
    if viewer.has_perm("coaching.view_team_reads") and team_id is not None:
        return Scope(team_id, per_agent)
    raise Forbidden(_("De coachingwachtrij is er voor teamleiders en managers."))


def agent_for(viewer: User | AnonymousUser, agent_id: int) -> User:
    """The agent whose reads `viewer` asks for: themselves, someone of their team (team leads), anyone
    (managers); someone else's without a lead's role 403, outside the viewer's teams 404, and anyone
    else's while per-agent scores are off 403."""
    if viewer.pk == agent_id:
        if not viewer.has_perm("coaching.view_own_reads"):
            raise Forbidden(_("Uw rol mag dit niet."))
        return User.objects.select_related("team").get(pk=agent_id)
    if not leads(viewer):
        raise Forbidden(_("U ziet alleen uw eigen beoordelingen."))
    scope = scope_for(viewer)
    found = desk_people().filter(pk=agent_id).select_related("team").first()
    if found is None or (scope.team_id is not None and found.team_id != scope.team_id):
        raise NotFound(_("Deze medewerker bestaat niet of hoort niet bij uw team."))
    if not scope.per_agent:
        raise Forbidden(
            _("De organisatie heeft de scores per medewerker uitgezet; u ziet de cijfers van het team.")
        )
    return found


def read_for(viewer: User | AnonymousUser, contact_id: int) -> ContactRead:
    """One contact's read, for its agent, their team lead or a manager (as `agent_for` decides)."""
    if not (viewer.has_perm("coaching.view_own_reads") or leads(viewer)):
        raise Forbidden(_("Uw rol mag dit niet."))
    read = ContactRead.objects.select_related("contact", "agent").filter(pk=contact_id).first()
    if read is None:
        raise NotFound(_("Dit contact heeft (nog) geen beoordeling."))
    try:
        agent_for(viewer, read.agent_id)
    except NotFound as exc:
        raise NotFound(_("Dit contact heeft (nog) geen beoordeling.")) from exc
    return read


def read_or_none(viewer: User | AnonymousUser, contact_id: int) -> ContactRead | None:
    """The read for the contact page: None where there is none or the viewer may not see it."""
    try:
        return read_for(viewer, contact_id)
    except (NotFound, Forbidden):
        return None


def conversations(contact_ids: Iterable[int]) -> dict[int, list[Turn]]:
    """Each contact's conversation as the habits read it: the customer's and the agent's messages and
    transcript turns in order (a moment's `turn` is an index into this list)."""
    turns: dict[int, list[Turn]] = defaultdict(list)
    rows = (
        Message.objects.filter(
            contact_id__in=list(contact_ids),
            author__in=[Author.CUSTOMER, Author.AGENT],
            kind__in=[MessageKind.MESSAGE, MessageKind.TRANSCRIPT],
        )
        .order_by("contact_id", "sent_at", "id")
        .values_list("contact_id", "author", "text", "start_s", "end_s")
    )
    for contact_id, author, text, start_s, end_s in rows:
        turns[contact_id].append(
            Turn("agent" if author == Author.AGENT else "customer", text, start_s, end_s)
        )
    return turns


def comments_of(read: ContactRead) -> list[ReadComment]:
    return list(read.comments.select_related("author"))


# --- the coaching queue ----------------------------------------------------------------------------------


@dataclass
class Example:
    """A moment from one of the agent's contacts: where, the words, good or to improve, and why."""

    contact_id: int
    closed_at: datetime
    turn: int | None
    at_s: float | None
    quote: str
    good: bool
    why: str


@dataclass
class WeekScore:
    week: date  # the Monday
    score: int | None  # the average over the week's contacts where the habit applied
    contacts: int


@dataclass
class HabitTrend:
    habit: str
    label: str
    weeks: list[WeekScore]
    score: int | None  # the recent weeks' average
    contacts: int  # recent contacts where it applied
    change: int | None  # the last two weeks against the two before, in points
    colleagues: int | None  # colleagues' average on contacts of the same reasons, the same weeks
    certainty: float


@dataclass
class Focus:
    habit: str
    label: str
    score: int | None
    colleagues: int | None
    examples: list[Example] = field(default_factory=list)


@dataclass
class AgentReport:
    agent: User
    weeks: list[date]
    contacts: int
    habits: list[HabitTrend]
    strengths: list[HabitTrend]
    focus: list[Focus]
    comments: list[ReadComment]
    need: float  # how much coaching would help now (the queue's order)


@dataclass
class TeamFigures:
    """The team's figures without names: what stays when per-agent scores are off."""

    weeks: list[date]
    contacts: int
    habits: list[HabitTrend]

    @property
    def themes(self) -> list[HabitTrend]:
        """The habits the whole team finds hard now (below FOCUS_BELOW on enough contacts), weakest first."""
        hard = [
            h
            for h in self.habits
            if h.score is not None and h.score < FOCUS_BELOW and h.contacts >= MIN_READS
        ]
        return sorted(hard, key=lambda h: h.score or 0)


@dataclass
class Queue:
    scope: Scope
    weeks: list[date]
    agents: list[AgentReport]  # empty while per-agent scores are off
    team: TeamFigures


def weeks_until(now: datetime, count: int = WEEKS) -> list[date]:
    today = timezone.localtime(now).date()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=count - 1 - n) for n in range(count)]


def _start(weeks: list[date]) -> datetime:
    return timezone.make_aware(datetime.combine(weeks[0], datetime.min.time()))


def _week(moment: datetime) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


_COLUMNS = ("contact_id", "agent_id", "closed_at", "contact__reason_id", *HABITS)


def _rows(reads: QuerySet[ContactRead]) -> list[dict[str, Any]]:
    return list(reads.values(*_COLUMNS))


def _mean(values: Iterable[int]) -> int | None:
    values = list(values)
    return round(sum(values) / len(values)) if values else None


def _trends(rows: list[dict[str, Any]], weeks: list[date], others: list[dict[str, Any]]) -> list[HabitTrend]:
    recent = set(weeks[-RECENT_WEEKS:])
    reasons = {r["contact__reason_id"] for r in rows}
    same = [o for o in others if o["contact__reason_id"] in reasons]
    found = []
    for habit in SCORED:
        by_week: dict[date, list[int]] = defaultdict(list)
        for r in rows:
            if r[habit] is not None:
                by_week[_week(r["closed_at"])].append(r[habit])
        now_scores = [s for w in recent for s in by_week.get(w, [])]
        last2 = [s for w in weeks[-2:] for s in by_week.get(w, [])]
        before2 = [s for w in weeks[-4:-2] for s in by_week.get(w, [])]
        a, b = _mean(last2), _mean(before2)
        found.append(
            HabitTrend(
                habit=habit,
                label=label(habit),
                weeks=[WeekScore(w, _mean(by_week.get(w, [])), len(by_week.get(w, []))) for w in weeks],
                score=_mean(now_scores),
                contacts=len(now_scores),
                change=None if a is None or b is None else a - b,
                colleagues=_mean(o[habit] for o in same if o[habit] is not None),
                certainty=round(min(1.0, len(now_scores) / 10), 2),
            )
        )
    return found


def _examples(agent_id: int, habit: str, since: datetime) -> list[Example]:
    """Up to three moments of `habit` from the agent's recent contacts: one that went well, the rest to
    improve, each from a different contact, the newest first."""
    good: list[Example] = []
    bad: list[Example] = []
    reads = (
        ContactRead.objects.filter(agent_id=agent_id, closed_at__gte=since, **{f"{habit}__isnull": False})
        .order_by("-closed_at", "-pk")
        .values_list("contact_id", "closed_at", "data")[:200]
    )
    for contact_id, closed_at, data in reads:
        entry = next((h for h in (data or {}).get("habits", []) if h.get("habit") == habit), None)
        if entry is None:
            continue
        for m in entry.get("moments", []):
            if not m.get("quote"):
                continue
            pile = good if m.get("good") else bad
            if any(e.contact_id == contact_id for e in pile):
                continue
            pile.append(
                Example(
                    contact_id, closed_at, m.get("turn"), m.get("at_s"), m["quote"], bool(m["good"]), m["why"]
                )
            )
        if len(good) >= 1 and len(bad) >= EXAMPLES - 1:
            break
    return bad[: EXAMPLES - 1] + good[:1] if good else bad[:EXAMPLES]


def _report(
    agent: User,
    rows: list[dict[str, Any]],
    others: list[dict[str, Any]],
    weeks: list[date],
    *,
    examples: bool,
) -> AgentReport:
    habits = _trends(rows, weeks, others)
    counted = [h for h in habits if h.score is not None and h.contacts >= MIN_READS]
    strengths = sorted(
        (h for h in counted if h.score is not None and h.score >= STRENGTH_AT), key=lambda h: -(h.score or 0)
    )
    worth = []
    for h in counted:
        assert h.score is not None
        behind = max(0, h.colleagues - h.score) if h.colleagues is not None else 0
        if h.score >= FOCUS_BELOW and behind < BEHIND_AT:
            continue
        # What sets this agent apart from colleagues on the same reasons weighs most; a habit the
        # whole team finds hard is the team's theme (the queue shows it once, above the agents).
        gap = 2.0 * behind + 0.5 * max(0, FOCUS_BELOW - h.score)
        worth.append((gap * min(1.0, 0.4 + h.contacts / 10), h))
    worth.sort(key=lambda item: -item[0])
    since = _start(weeks[-RECENT_WEEKS:])
    focus = [
        Focus(
            habit=h.habit,
            label=h.label,
            score=h.score,
            colleagues=h.colleagues,
            examples=_examples(agent.pk, h.habit, since) if examples else [],
        )
        for _w, h in worth[:2]
    ]
    comments = list(
        ReadComment.objects.filter(read__agent=agent, created_at__gte=_start(weeks))
        .select_related("author")
        .order_by("-created_at")[:20]
    )
    return AgentReport(
        agent=agent,
        weeks=weeks,
        contacts=len({r["contact_id"] for r in rows if _week(r["closed_at"]) in set(weeks[-RECENT_WEEKS:])}),
        habits=habits,
        strengths=strengths[:2],
        focus=focus,
        comments=comments,
        need=sum(w for w, _h in worth[:2]),
    )


def agent_report(agent: User, now: datetime | None = None) -> AgentReport:
    """One agent's coaching page: their habits over the weeks against colleagues on the same reasons,
    their strengths and the one or two habits most worth coaching now, with example moments."""
    weeks = weeks_until(now or timezone.now())
    reads = ContactRead.objects.filter(closed_at__gte=_start(weeks))
    rows = _rows(reads.filter(agent=agent))
    others = _rows(reads.exclude(agent=agent))
    return _report(agent, rows, others, weeks, examples=True)


def coaching_queue(viewer: User | AnonymousUser, now: datetime | None = None) -> Queue:
    """The team lead's queue: the agents in scope, the ones most worth coaching first, each with their
    focus habits and examples; the team's figures always (only those while per-agent scores are off)."""
    scope = scope_for(viewer)
    weeks = weeks_until(now or timezone.now())
    people = [p for p in scope.people() if p.pk != viewer.pk]  # the lead's own contacts are not coached here
    reads = ContactRead.objects.filter(closed_at__gte=_start(weeks))
    rows = _rows(reads.filter(agent_id__in=[p.pk for p in people]))
    team = TeamFigures(weeks=weeks, contacts=len(rows), habits=_trends(rows, weeks, []))
    agents: list[AgentReport] = []
    if scope.per_agent:
        everyone = _rows(reads)
        by_agent: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            by_agent[r["agent_id"]].append(r)
        for person in people:
            mine = by_agent.get(person.pk, [])
            if not mine:
                continue
            others = [r for r in everyone if r["agent_id"] != person.pk]
            agents.append(_report(person, mine, others, weeks, examples=True))
        agents.sort(key=lambda a: (-a.need, a.agent.display_name))
    return Queue(scope=scope, weeks=weeks, agents=agents, team=team)


# --- coaching sessions ----------------------------------------------------------------------------------

MOVE_WEEKS = 4  # a habit's score in this many weeks before the session against the time since


@dataclass
class HabitMove:
    habit: str
    label: str
    before: int | None  # the average in the weeks before the session
    after: int | None  # the average since (None: no contact yet)
    contacts_after: int

    @property
    def change(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass
class SessionView:
    session: CoachingSession
    moves: list[HabitMove]


def sessions_of(agent: User, now: datetime | None = None) -> list[SessionView]:
    """An agent's coaching sessions, newest first, each with whether its habits moved since it was held."""
    now = now or timezone.now()
    found = []
    for session in CoachingSession.objects.filter(agent=agent).select_related("lead")[:50]:
        moves = []
        if session.held_at is not None:
            start = session.held_at - timedelta(weeks=MOVE_WEEKS)
            reads = ContactRead.objects.filter(agent=agent, closed_at__gte=start, closed_at__lte=now)
            for habit in session.habits:
                rows = list(reads.filter(**{f"{habit}__isnull": False}).values_list("closed_at", habit))
                before = [s for at, s in rows if at < session.held_at]
                after = [s for at, s in rows if at >= session.held_at]
                moves.append(HabitMove(habit, label(habit), _mean(before), _mean(after), len(after)))
        found.append(SessionView(session, moves))
    return found
