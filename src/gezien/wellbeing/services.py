"""Writes of wellbeing: the policy, each handled contact's load, protections after abuse or a run of heavy
contacts (with a decompression break offered and the team lead told), the alerts a team lead gets when
someone works too long without a break, and what agents and leads do with them.

Everything here is care, never a sanction: no scores, no rankings, and nothing an agent can do wrong.
Load and protection follow contacts as they close and as their signals arrive (on PostgreSQL a worker
analyses after the close); the periodic job (`wellbeing_tick`) catches up what the listeners missed
and raises the alerts (`gezien.wellbeing.alerts`). Every step is idempotent.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.assist.models import Incident
from gezien.assist.services import team_leads_for
from gezien.assist.situation import PRESENT_AT
from gezien.contacts.models import Contact, MessageSignals, Status
from gezien.core.errors import Conflict, Forbidden, Invalid
from gezien.core.prepared import IdsQuery
from gezien.notifications.models import Notification
from gezien.presence.models import BreakKind, State, StateSpan
from gezien.presence.services import state_set
from gezien.wellbeing.alerts import alerts_raise
from gezien.wellbeing.load import load_of
from gezien.wellbeing.models import ContactLoad, Protection, WellbeingPolicy
from gezien.wellbeing.selectors import (
    POLICY_CACHE_KEY,
    SHORTEST_CONTINUOUS_MINUTES,
    policy,
    prompt_break_minutes,
)
from gezien.wellbeing.telling import WELLBEING_KIND, agent_page, in_desk_language

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

logger = logging.getLogger(__name__)
Fn = TypeVar("Fn", bound=Callable[..., Any])

# What a manager may set, with the bounds the form and the API enforce (minutes unless said otherwise).
POLICY_BOUNDS: dict[str, tuple[float, float]] = {
    "continuous_minutes": (SHORTEST_CONTINUOUS_MINUTES, 720),
    "daily_queue_minutes": (60, 1440),
    "min_break_minutes": (1, 60),
    "lunch_only_minutes": (60, 1440),
    "heavy_load_at": (0.05, 1.0),
    "heavy_run": (1, 20),
    "heavy_window_minutes": (5, 1440),
    "protect_minutes": (1, 480),
    "decompression_minutes": (1, 60),
}
# Contacts closed this long ago are still looked at again by the tick (signals that came late).
CATCH_UP = timedelta(hours=24)


# --- the policy ----------------------------------------------------------------------------------------


def policy_save(*, actor: User | AnonymousUser, **values: Any) -> WellbeingPolicy:
    """A manager changes the policy; fields left out keep their value. Bad values change nothing."""
    if not actor.has_perm("wellbeing.manage_wellbeing_policy"):
        raise Forbidden(_("Alleen managers wijzigen het welzijnsbeleid."))
    unknown = set(values) - set(POLICY_BOUNDS) - {"per_agent_views"}
    if unknown:
        raise Invalid(_("Onbekend veld."), field=sorted(unknown)[0])
    for name, value in values.items():
        if name == "per_agent_views":
            if not isinstance(value, bool):
                raise Invalid(_("Kies ja of nee."), field=name)
            continue
        low, high = POLICY_BOUNDS[name]
        number_ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
        if name != "heavy_load_at" and not isinstance(value, int):
            number_ok = False
        if not number_ok or not low <= value <= high:
            raise Invalid(
                _("Kies een waarde van %(low)s tot en met %(high)s.") % {"low": _n(low), "high": _n(high)},
                field=name,
            )
    with transaction.atomic():
        current = WellbeingPolicy.objects.select_for_update().order_by("pk").first()
        if current is None:
            current = WellbeingPolicy.objects.create()
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
    cache.delete(POLICY_CACHE_KEY)
    return current


def _n(value: float) -> str:
    return number_format(int(value) if float(value).is_integer() else value)


# --- load of handled contacts --------------------------------------------------------------------------


# Prepared (`IdsQuery`): both run after every batch of new messages.
_CLOSED_WITH_AGENT = IdsQuery(
    lambda ids: Contact.objects.filter(
        pk__in=ids, status=Status.CLOSED, assigned_agent__isnull=False
    ).values_list("pk", "assigned_agent_id", "closed_at")
)
_AGENTS_OF = IdsQuery(
    lambda ids: Contact.objects.filter(pk__in=ids, assigned_agent__isnull=False).values_list(
        "assigned_agent_id"
    )
)


def contact_loads_refresh(contact_ids: Iterable[int]) -> set[int]:
    """(Re)compute the load of these contacts where they are closed with an agent; returns the agents.
    Three queries for any number of contacts."""
    closed = _CLOSED_WITH_AGENT.rows(contact_ids)
    if not closed:
        return set()
    signals: dict[int, list[MessageSignals]] = defaultdict(list)
    rows = MessageSignals.objects.filter(message__contact_id__in=[c[0] for c in closed], role="customer")
    for row in rows.only("abuse", "life_events", "data", "message__contact_id").select_related("message"):
        signals[row.message.contact_id].append(row)
    now = timezone.now()
    loads = []
    for contact_id, agent_id, closed_at in closed:
        assert closed_at is not None  # closed contacts have it (a database constraint)
        found = load_of(signals.get(contact_id, []))
        loads.append(
            ContactLoad(
                contact_id=contact_id,
                agent_id=agent_id,
                closed_at=closed_at,
                load=found.load,
                abuse=found.abuse,
                anger=found.anger,
                distress=found.distress,
                disappointment=found.disappointment,
                life_event=found.life_event,
                abusive=found.abusive,
                analysed=found.analysed,
                updated_at=now,
            )
        )
    ContactLoad.objects.bulk_create(
        loads,
        update_conflicts=True,
        unique_fields=["contact"],
        update_fields=[
            "agent",
            "closed_at",
            "load",
            "abuse",
            "anger",
            "distress",
            "disappointment",
            "life_event",
            "abusive",
            "analysed",
            "updated_at",
        ],
    )
    return {agent_id for _c, agent_id, _t in closed}


def contacts_follow(contact_ids: list[int]) -> None:
    """Listener (contacts changed, new signals): loads of the closed ones, and protections for their
    agents (abuse is seen as soon as it is analysed, also in a contact still open)."""
    agents = contact_loads_refresh(contact_ids)
    agents |= set(_AGENTS_OF.column(contact_ids))
    if agents:
        protections_check(agents, timezone.now())


# --- protection ----------------------------------------------------------------------------------------


def _abuse_moments(user_ids: list[int], since: datetime) -> dict[tuple[int, int], datetime]:
    """(agent, contact) -> when the agent bore abuse in it: the contact's close, or for one still open,
    the first abusive message."""
    rows = (
        MessageSignals.objects.filter(
            role="customer", abuse__gte=PRESENT_AT, message__contact__assigned_agent_id__in=user_ids
        )
        .filter(Q(message__sent_at__gte=since) | Q(message__contact__closed_at__gte=since))
        .values_list(
            "message__contact__assigned_agent_id", "message__contact_id", "message__contact__closed_at"
        )
        .annotate(first=Min("message__sent_at"))
        .order_by()
    )
    found: dict[tuple[int, int], datetime] = {}
    for agent_id, contact_id, closed_at, first in rows:
        moment = max(first, closed_at) if closed_at is not None else first
        key = (agent_id, contact_id)
        found[key] = max(found.get(key, moment), moment)
    return found


@dataclass
class _Cause:
    """Why someone is protected: one contact (abuse in it, an incident on it), or a run of heavy ones."""

    user_id: int
    contact_id: int | None
    trigger: str
    reason: str
    first: datetime  # the protection starts here
    last: datetime  # and runs `protect_minutes` from here


@in_desk_language
def protections_check(user_ids: Iterable[int], now: datetime) -> list[Protection]:
    """Protect these agents where an abusive contact, an incident or a run of heavy contacts calls for
    it and the protection would still run at `now`. Returns the protections made (idempotent)."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    rules = policy()
    protect = timedelta(minutes=rules.protect_minutes)
    since = now - protect
    existing: dict[int, list[Protection]] = defaultdict(list)
    for row in Protection.objects.filter(
        user_id__in=ids, ends_at__gt=now - protect - timedelta(minutes=rules.heavy_window_minutes)
    ).order_by("starts_at", "id"):
        existing[row.user_id].append(row)
    causes: dict[tuple[int, int], _Cause] = {}
    for (agent_id, contact_id), moment in sorted(_abuse_moments(ids, since).items()):
        reason = _("Grof taalgebruik van de klant.")
        causes[agent_id, contact_id] = _Cause(
            agent_id, contact_id, Protection.Trigger.ABUSE, reason, moment, moment
        )
    incidents = Incident.objects.filter(agent_id__in=ids, created_at__gte=since).order_by("created_at", "id")
    for bearer, contact_id, created_at in incidents.values_list("agent_id", "contact_id", "created_at"):
        if bearer is None:
            continue
        reason = _("Incident: de klant werd grof of bedreigend.")
        found = causes.get((bearer, contact_id))
        first = min(found.first, created_at) if found else created_at
        last = max(found.last, created_at) if found else created_at
        causes[bearer, contact_id] = _Cause(
            bearer, contact_id, Protection.Trigger.INCIDENT, reason, first, last
        )
    wanted = [*causes.values(), *_heavy_runs(ids, now, rules, existing)]
    made = []
    for cause in wanted:
        if cause.last + protect <= now:
            continue
        protection = _protect(cause, rules, existing[cause.user_id])
        if protection is not None:
            existing[cause.user_id].append(protection)
            made.append(protection)
    return made


def _heavy_runs(
    ids: list[int], now: datetime, rules: WellbeingPolicy, existing: dict[int, list[Protection]]
) -> list[_Cause]:
    """Runs of `heavy_run` heavy contacts within `heavy_window_minutes`, each counted after the agent's
    latest protection (a protection starts the count again)."""
    window = timedelta(minutes=rules.heavy_window_minutes)
    since = now - window - timedelta(minutes=rules.protect_minutes)
    heavy: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    rows = ContactLoad.objects.filter(agent_id__in=ids, closed_at__gte=since, load__gte=rules.heavy_load_at)
    for agent_id, closed_at, contact_id in rows.order_by("closed_at", "contact_id").values_list(
        "agent_id", "closed_at", "contact_id"
    ):
        heavy[agent_id].append((closed_at, contact_id))
    found: list[_Cause] = []
    for agent_id, contacts in heavy.items():
        after = max((p.starts_at for p in existing[agent_id]), default=None)
        run: list[tuple[datetime, int]] = []
        for closed_at, contact_id in contacts:
            if after is not None and closed_at <= after:
                continue
            run = [c for c in run if closed_at - c[0] <= window] + [(closed_at, contact_id)]
            if len(run) >= rules.heavy_run:
                reason = _("%(n)s zware contacten binnen %(m)s minuten.") % {
                    "n": len(run),
                    "m": rules.heavy_window_minutes,
                }
                found.append(
                    _Cause(agent_id, contact_id, Protection.Trigger.HEAVY_RUN, reason, closed_at, closed_at)
                )
                run = []
    return found


def _protect(cause: _Cause, rules: WellbeingPolicy, existing: list[Protection]) -> Protection | None:
    """Make the protection (and tell the agent and their team leads), or extend the one this contact
    already gave. Returns the new one, None when there was one."""
    ends_at = cause.last + timedelta(minutes=rules.protect_minutes)
    contact_id = cause.contact_id
    same = next((p for p in existing if contact_id is not None and p.contact_id == contact_id), None)
    if same is None and contact_id is not None:
        same = Protection.objects.filter(user_id=cause.user_id, contact_id=contact_id).first()
    if same is not None:
        if ends_at > same.ends_at and same.ended_early_at is None:
            Protection.objects.filter(pk=same.pk).update(ends_at=ends_at)
            same.ends_at = ends_at
        return None
    try:
        with transaction.atomic():
            protection = Protection.objects.create(
                user_id=cause.user_id,
                contact_id=contact_id,
                trigger=cause.trigger,
                reason=cause.reason[:300],
                starts_at=cause.first,
                ends_at=ends_at,
                decompression_minutes=rules.decompression_minutes,
            )
            _tell_protected(protection)
    except IntegrityError:  # made a moment ago by another process
        return None
    return protection


def _tell_protected(protection: Protection) -> None:
    agent = User.objects.get(pk=protection.user_id)
    minutes = protection.decompression_minutes
    protect = policy().protect_minutes
    to_agent = _(
        "Dat was zwaar. %(reason)s Neem gerust %(minutes)s minuten om even bij te komen; de komende tijd "
        "(%(protect)s minuten na het contact) krijgt u geen zware contacten."
    ) % {"reason": protection.reason, "minutes": minutes, "protect": protect}
    to_lead = _(
        "%(who)s: %(reason)s Gezien biedt %(minutes)s minuten om bij te komen en geeft %(protect)s minuten "
        "na het contact geen zware contacten."
    ) % {"who": agent.display_name, "reason": protection.reason, "minutes": minutes, "protect": protect}
    notes = [
        Notification(
            recipient=agent,
            kind=WELLBEING_KIND,
            text=to_agent[:300],
            contact_id=protection.contact_id,  # "naar het contact": the text names no contact id
            link=reverse("desk:wellbeing_me"),
        )
    ]
    notes += [
        Notification(
            recipient=lead,
            kind=WELLBEING_KIND,
            text=to_lead[:300],
            contact_id=protection.contact_id,
            link=agent_page(agent.pk),
        )
        for lead in team_leads_for(agent)
        if lead.pk != agent.pk
    ]
    for note in notes:
        note.contact_id = protection.contact_id
    Notification.objects.bulk_create(notes)


# --- breaks the desk offers ----------------------------------------------------------------------------


def break_take(*, user: User, now: datetime | None = None) -> StateSpan:
    """The agent takes the break the prompt offered ("Pauze nemen"): a short break of the prompt's length."""
    return state_set(
        user=user,
        state=State.BREAK,
        break_kind=BreakKind.SHORT,
        minutes=prompt_break_minutes(policy()),
        actor=user,
        now=now,
    )


def decompression_take(*, protection: Protection, user: User, now: datetime | None = None) -> Protection:
    """The agent takes the decompression break their protection offered ("Even bijkomen")."""
    if protection.user_id != user.pk:
        raise Forbidden(_("Deze pauze is voor een collega."))
    now = now or timezone.now()
    if protection.break_taken_at is not None:
        raise Conflict(_("U heeft deze pauze al genomen."), field="protection")
    with transaction.atomic():
        state_set(
            user=user,
            state=State.BREAK,
            break_kind=BreakKind.DECOMPRESSION,
            minutes=protection.decompression_minutes,
            actor=user,
            now=now,
        )
        protection.break_taken_at = now
        protection.save(update_fields=["break_taken_at"])
    return protection


def protection_end(*, protection: Protection, actor: User, now: datetime | None = None) -> Protection:
    """The agent ("het gaat weer") or their team lead ends a protection early."""
    if actor.pk != protection.user_id and not _leads(actor, protection.user_id):
        raise Forbidden(_("Alleen de medewerker zelf of de teamleider beëindigt deze bescherming."))
    now = now or timezone.now()
    if protection.ended_early_at is not None or protection.ends_at <= now:
        raise Conflict(_("Deze bescherming is al afgelopen."), field="protection")
    protection.ended_early_at = max(now, protection.starts_at)
    protection.ended_early_by = actor
    protection.save(update_fields=["ended_early_at", "ended_early_by"])
    return protection


def _leads(actor: User, user_id: int) -> bool:
    """Whether `actor` is a manager, or a team lead of this person's team."""
    if actor.has_perm("wellbeing.view_all_wellbeing"):
        return True
    team_id = getattr(actor, "team_id", None)
    return (
        team_id is not None
        and actor.has_perm("wellbeing.view_team_wellbeing")
        and User.objects.filter(pk=user_id, team_id=team_id).exists()
    )


# --- the periodic job -----------------------------------------------------------------------------------


def loads_catch_up(now: datetime) -> int:
    """Contacts closed in the last day whose load is missing or older than their signals (analysed in a
    worker after the close): computed again. Returns how many."""
    stale = (
        Contact.objects.filter(
            status=Status.CLOSED, assigned_agent__isnull=False, closed_at__gte=now - CATCH_UP
        )
        .filter(Q(load__isnull=True) | Q(messages__signals__analysed_at__gt=F("load__updated_at")))
        .values_list("pk", flat=True)
        .distinct()
    )
    ids = list(stale[:5000])
    if ids:
        contact_loads_refresh(ids)
    return len(ids)


def wellbeing_tick(now: datetime) -> dict[str, int]:
    """On the periodic tick: loads that came late, protections, and the alerts. Idempotent."""
    refreshed = loads_catch_up(now)
    rules = policy()
    recent = now - timedelta(minutes=rules.protect_minutes + rules.heavy_window_minutes)
    agents = set(
        ContactLoad.objects.filter(closed_at__gte=recent).values_list("agent_id", flat=True).distinct()
    )
    agents |= set(
        Incident.objects.filter(created_at__gte=recent, agent__isnull=False).values_list(
            "agent_id", flat=True
        )
    )
    agents |= set(
        MessageSignals.objects.filter(
            role="customer",
            abuse__gte=PRESENT_AT,
            message__sent_at__gte=recent,
            message__contact__assigned_agent__isnull=False,
        ).values_list("message__contact__assigned_agent_id", flat=True)
    )
    protections = protections_check(agents, now)
    alerts = alerts_raise(now)
    return {"loads": refreshed, "protections": len(protections), "alerts": len(alerts)}
