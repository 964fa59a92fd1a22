"""Reads for routing: skills, who may set whose skills, who is available for a contact's needs, and what
routing decided for a contact (for the contact view, the queue and the API)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Prefetch, Q

from gezien.accounts.models import User
from gezien.accounts.roles import desk_people
from gezien.assist.models import ContactProtocol, Incident
from gezien.assist.situation import HIGH_ANGER_AT, PRESENT_AT, SENSITIVE_EVENTS
from gezien.contacts.models import Author, Channel, Contact, Message, MessageSignals, Status
from gezien.contacts.selectors import QUEUE_STATUSES
from gezien.core.prepared import IdsQuery
from gezien.desksettings.store import desk_setting
from gezien.presence.selectors import current_states
from gezien.routing.models import RoutingDecision, RoutingProfile, Skill
from gezien.routing.needs import REPEAT_FROM

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# The longest break an Incident can hold (break_minutes is a small positive integer): older incidents
# cannot keep anyone on a break now.
_LONGEST_BREAK = timedelta(minutes=32767)
_NEVER = datetime(1900, 1, 1, tzinfo=UTC)


def _maybe_needing_sql(count: int) -> str:
    contact, message = Contact._meta.db_table, Message._meta.db_table
    signals, protocol, incident = (
        MessageSignals._meta.db_table,
        ContactProtocol._meta.db_table,
        Incident._meta.db_table,
    )
    customer_words = f"FROM {message} m JOIN {signals} s ON s.message_id = m.id WHERE m.author = %s"
    sensitive = " OR ".join(["s.life_events LIKE %s"] * len(SENSITIVE_EVENTS))
    earlier = f"FROM {contact} e WHERE e.customer_id = c.customer_id AND e.id <> c.id"
    return (
        f"SELECT c.id FROM {contact} c "  # noqa: S608 -- no input in the text, only placeholders
        f"WHERE c.id IN ({', '.join(['%s'] * count)}) AND c.status IN (%s, %s) "
        f"AND c.assigned_agent_id IS NULL "
        f"AND (EXISTS (SELECT 1 {customer_words} AND m.contact_id = c.id "
        f"  AND (s.abuse >= %s OR s.top_score >= %s OR {sensitive})) "
        f"OR EXISTS (SELECT 1 FROM {protocol} p WHERE p.contact_id = c.id) "
        f"OR (c.customer_id IS NOT NULL AND ("
        f"  EXISTS (SELECT 1 {earlier} AND EXISTS (SELECT 1 {customer_words} AND m.contact_id = e.id "
        f"    AND s.abuse >= %s)) "
        f"  OR EXISTS (SELECT 1 {earlier} AND EXISTS (SELECT 1 FROM {incident} i WHERE i.contact_id = e.id)) "
        f"  OR ((c.reason_id IS NOT NULL OR EXISTS (SELECT 1 {customer_words} AND m.contact_id = c.id "
        f"      AND s.repeat >= %s)) "
        f"    AND (SELECT COUNT(*) {earlier} AND e.opened_at >= %s) >= %s)))) "
        f"ORDER BY c.id"
    )


def maybe_needing(contact_ids: Iterable[int], now: datetime) -> list[int]:
    """Which of these contacts are open, held by nobody and could need a skill, in one query: a cheap
    necessary condition for the rules in `needs`, so that routing builds the full picture of a contact
    (~15 queries) only for the few that could need one, not for every incoming message.

    Could: a customer message with a sensitive life event, abuse or any emotion as strong as
    HIGH_ANGER_AT; a protocol; a customer with abuse or an incident in an earlier contact; or enough
    earlier contacts within the repeat window for a third about one matter, when this contact has a
    matter (a reason, or the customer's words say it is a repeat). Plain SQL: the ORM took ~15 times
    as long to build this query (14 ms against 0.9 ms a call, measured on a busy 2-core machine) as
    SQLite takes to answer it, and it runs for every incoming message."""
    ids = list(contact_ids)
    if not ids:
        return []
    window = now - timedelta(days=settings.GEZIEN_REPEAT_WINDOW_DAYS)
    customer = str(Author.CUSTOMER)
    params: list[Any] = [*ids, *QUEUE_STATUSES, customer, PRESENT_AT, HIGH_ANGER_AT]
    params += [f"%{event}%" for event in SENSITIVE_EVENTS]
    params += [customer, PRESENT_AT, customer, PRESENT_AT]
    params += [connection.ops.adapt_datetimefield_value(window), REPEAT_FROM - 1]
    with connection.cursor() as cursor:
        cursor.execute(_maybe_needing_sql(len(ids)), params)
        return [row[0] for row in cursor.fetchall()]


def skills() -> list[Skill]:
    return list(Skill.objects.all())


def skills_by_code(codes: Iterable[str]) -> list[Skill]:
    """The skills with these codes, in the order given (unknown codes are left out)."""
    found = {s.code: s for s in Skill.objects.filter(code__in=list(codes))}
    return [found[code] for code in codes if code in found]


def can_manage_skills(actor: User | AnonymousUser, user: User) -> bool:
    """Team leads set the skills of their own team's people; managers and admins everyone's."""
    if not actor.has_perm("routing.manage_skills"):
        return False
    if actor.has_perm("routing.manage_skills_all_teams"):
        return True
    own = getattr(actor, "team_id", None)
    theirs = getattr(user, "team_id", None)
    return own is not None and own == theirs


def manageable_people(actor: User | AnonymousUser) -> list[User]:
    """The active people whose skills `actor` may set, by team and name, with their profiles loaded."""
    if not actor.has_perm("routing.manage_skills"):
        return []
    people = (
        desk_people()
        .filter(is_active=True)
        .select_related("team", "routing")
        .prefetch_related(Prefetch("routing__skills", queryset=Skill.objects.order_by("name")))
        .order_by("team__name", "first_name", "last_name", "username")
    )
    if not actor.has_perm("routing.manage_skills_all_teams"):
        team_id = getattr(actor, "team_id", None)
        if team_id is None:
            return []
        people = people.filter(team_id=team_id)
    return list(people)


def profile_of(user: User) -> RoutingProfile | None:
    return RoutingProfile.objects.filter(user=user).prefetch_related("skills").first()


def open_contacts(user_ids: Iterable[int]) -> dict[int, int]:
    """How many contacts in the queue (open, or waiting for us) each person holds: one query."""
    rows = (
        Contact.objects.filter(assigned_agent_id__in=list(user_ids), status__in=QUEUE_STATUSES)
        .values_list("assigned_agent_id")
        .annotate(n=Count("id"))
        .values_list("assigned_agent_id", "n")
    )
    return {user_id: n for user_id, n in rows if user_id is not None}


def on_break(user_ids: Iterable[int], now: datetime) -> set[int]:
    """Who is on a break after an abusive contact right now (R9): one query."""
    rows = Incident.objects.filter(
        agent_id__in=list(user_ids), break_taken_at__isnull=False, break_taken_at__gt=now - _LONGEST_BREAK
    ).values_list("agent_id", "break_taken_at", "break_minutes")
    return {
        agent_id
        for agent_id, taken_at, minutes in rows
        if agent_id is not None and taken_at is not None and taken_at + timedelta(minutes=minutes) > now
    }


def seen_since(now: datetime) -> datetime:
    """People seen in the desk after this moment count as present."""
    return now - timedelta(minutes=settings.GEZIEN_ROUTING_SEEN_MINUTES)


def default_capacity() -> dict[str, int]:
    """The organisation's capacity per channel (`GEZIEN_CAPACITY`, e.g. "phone=1,chat=3,email=3")."""
    return parse_capacity(desk_setting("capacity"))


def parse_capacity(text: str) -> dict[str, int]:
    """ "phone=1,chat=3" -> {"phone": 1, "chat": 3}; a malformed entry is a configuration error."""
    found: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        channel, _eq, number = part.partition("=")
        if channel.strip() not in Channel.values or not number.strip().isdigit():
            raise ValueError(f"GEZIEN_CAPACITY: cannot read {part!r} (expected e.g. phone=1,chat=3)")
        found[channel.strip()] = int(number)
    return found


def capacity(profile: RoutingProfile, channel: str, defaults: dict[str, int] | None = None) -> int:
    """How many contacts of `channel` one person holds at once before routing passes them by: their own
    capacity for the channel (set by their team lead), else the organisation's (`GEZIEN_CAPACITY`), else
    `GEZIEN_ROUTING_CAPACITY`. 0: they do not take this channel."""
    own = profile.capacity.get(channel) if isinstance(profile.capacity, dict) else None
    if isinstance(own, int) and not isinstance(own, bool) and own >= 0:
        return own
    defaults = default_capacity() if defaults is None else defaults
    return defaults.get(channel, int(desk_setting("routing_capacity")))


def capacities(profile: RoutingProfile) -> dict[str, int]:
    """A person's capacity for every channel (for the skills page and the API)."""
    defaults = default_capacity()
    return {channel: capacity(profile, channel, defaults) for channel in Channel.values}


def holding(user_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """What each person holds per channel, as capacity counts it: chats until they close (a chat waiting
    for the customer's next line is still a chat at hand), other channels (calls too: one parked waiting
    for the customer is over) while open or waiting for us. One query."""
    rows = (
        Contact.objects.filter(assigned_agent_id__in=list(user_ids))
        .filter(Q(channel=Channel.CHAT, status=Status.WAITING_CUSTOMER) | Q(status__in=QUEUE_STATUSES))
        .values_list("assigned_agent_id", "channel")
        .annotate(n=Count("id"))
        .values_list("assigned_agent_id", "channel", "n")
    )
    found: dict[int, dict[str, int]] = {}
    for user_id, channel, n in rows:
        found.setdefault(user_id, {})[channel] = n
    return found


@dataclass(frozen=True)
class Candidate:
    profile: RoutingProfile
    open_contacts: int  # in the queue, every channel
    capacity: int  # for the contact's channel
    on_channel: int = 0  # held on the contact's channel

    @property
    def user_id(self) -> int:
        return self.profile.user_id

    @property
    def has_room(self) -> bool:
        return self.on_channel < self.capacity and self.open_contacts < desk_setting("routing_capacity")

    def order(self) -> tuple[int, int, datetime, int]:
        """Fewest contacts on the channel first, then fewest in all, then the one routing gave a contact
        longest ago (or never)."""
        return (
            self.on_channel,
            self.open_contacts,
            self.profile.last_routed_at or _NEVER,
            self.profile.pk,
        )


def available(
    *,
    skills: Iterable[str],
    experience: int,
    channel: str,
    now: datetime,
    lock: bool = False,
    heavy: bool = False,
) -> list[Candidate]:
    """Who could take a contact with these needs now, best first: active, with a role, every skill and
    at least `experience`, seen in the desk lately, available or in contact (not on a break, in
    after-contact work or signed off; someone who never set a state counts as available), not on a break
    after an abusive contact, with room on the contact's channel (per-channel capacity) and in all
    (`GEZIEN_ROUTING_CAPACITY`). A heavy contact (`heavy`: abuse, anger, grief) also passes by people
    wellbeing protects after an abusive contact or a run of heavy ones.

    With `lock` (inside a transaction) the candidates' profiles are locked before their open contacts
    are counted, so two contacts routed at the same moment cannot both take one person's last place."""
    profiles = RoutingProfile.objects.filter(
        user__is_active=True,
        user__in=desk_people(),
        experience__gte=experience,
        last_seen_at__gte=seen_since(now),
    )
    for code in sorted(set(skills)):
        profiles = profiles.filter(skills__code=code)
    ids = list(profiles.values_list("pk", flat=True).distinct())
    if not ids:
        return []
    chosen = RoutingProfile.objects.filter(pk__in=ids).select_related("user").order_by("pk")
    if lock:
        chosen = chosen.select_for_update(of=("self",))
    found = list(chosen)
    user_ids = [p.user_id for p in found]
    counts, held, resting = open_contacts(user_ids), holding(user_ids), on_break(user_ids, now)
    states = current_states(user_ids)
    resting |= {user_id for user_id, state in states.items() if not state.routable}
    if heavy:
        resting |= protected(user_ids, now)
    defaults = default_capacity()
    candidates = [
        Candidate(
            p,
            counts.get(p.user_id, 0),
            capacity(p, channel, defaults),
            held.get(p.user_id, {}).get(channel, 0),
        )
        for p in found
        if p.user_id not in resting
    ]
    return sorted((c for c in candidates if c.has_room), key=Candidate.order)


Protection = Callable[[list[int], datetime], set[int]]
_protections: list[Protection] = []


def protect_with(rule: Protection) -> None:
    """Have routing pass by, for heavy contacts, the people `rule(user_ids, now)` returns (wellbeing
    registers its protection after an abusive contact or a run of heavy ones; routing does not know it)."""
    if rule not in _protections:
        _protections.append(rule)


def protected(user_ids: Iterable[int], now: datetime) -> set[int]:
    """People routing keeps heavy contacts from right now."""
    ids = list(user_ids)
    found: set[int] = set()
    for rule in _protections:
        found |= rule(ids, now)
    return found


@dataclass(frozen=True)
class Routing:
    """What routing decided for one contact, with the skills it needed (for the contact view and API)."""

    decision: RoutingDecision
    skills: list[Skill]

    @property
    def skill_names(self) -> list[str]:
        known = {s.code: s.name for s in self.skills}
        return [known.get(code, code) for code in self.decision.skills]

    @property
    def can_route_again(self) -> bool:
        """Flagged and still in the queue with nobody on it: routing again may find someone now."""
        contact = self.decision.contact
        return (
            self.decision.flagged and contact.status in QUEUE_STATUSES and contact.assigned_agent_id is None
        )


def routing_for_contact(contact: Contact | int) -> Routing | None:
    """The routing decision for a contact (None when routing never saw a need), for the contact view's
    `web/_routing.html` (as `routing`) and the API: two queries (the decision, its skills). Given the
    contact itself, the decision points at it instead of loading it again (one decision per contact: no
    order to build), read by a prepared query, its agent by a second only when it is not the contact's."""
    if isinstance(contact, int):
        found = RoutingDecision.objects.select_related("agent", "contact").filter(contact_id=contact)
        decision = next(iter(found.order_by()[:1]), None)
    else:  # the contact page: prepared, and the agent read only when there is one
        decision = next(iter(_DECISION.objects([contact.pk])), None)
        if decision is not None:
            decision.contact = contact
            if decision.agent_id is not None:
                given = contact.assigned_agent if decision.agent_id == contact.assigned_agent_id else None
                decision.agent = given or User.objects.get(pk=decision.agent_id)
    if decision is None:
        return None
    return Routing(decision, skills_by_code(decision.skills))


_DECISION = IdsQuery(lambda ids: RoutingDecision.objects.filter(contact_id__in=ids))


def decisions_for(contact_ids: Iterable[int]) -> dict[int, RoutingDecision]:
    """The routing decisions of these contacts by contact id (for the queue): one query."""
    ids = list(contact_ids)
    if not ids:
        return {}
    return {d.contact_id: d for d in RoutingDecision.objects.filter(contact_id__in=ids)}


def last_seen(user_ids: list[int]) -> dict[int, datetime | None]:
    """When these people were last seen in the desk (one query)."""
    return dict(RoutingProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "last_seen_at"))
