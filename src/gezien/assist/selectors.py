"""Reads of the assist: everything the agent sees beside a contact, the draft check, and the inboxes of
notifications and warm transfers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from gezien.accounts.models import Role
from gezien.analysis import Analysis
from gezien.assist.draft import DraftCheck, check_draft, draft_context
from gezien.assist.hints import Hint, hints_for
from gezien.assist.models import ContactProtocol, HintAction, Incident, WarmTransfer
from gezien.assist.phone import PhoneOpening, listen_check, phone_opening
from gezien.assist.services import on_break_until
from gezien.assist.situation import Situation, contact_situation
from gezien.contacts import selectors as contact_selectors
from gezien.contacts.analysing import analyser
from gezien.contacts.models import Channel, Contact, Message, MessageSignals, Status
from gezien.contacts.selectors import Card
from gezien.customers.models import RememberedDetail

if TYPE_CHECKING:
    from gezien.accounts.models import User

LIVE_TRANSFER = (WarmTransfer.State.ANNOUNCED, WarmTransfer.State.ACKNOWLEDGED)


@dataclass
class Assist:
    """What the desk shows beside an open contact, for one agent."""

    situation: Situation
    hints: list[Hint]
    dismissed: int  # how many hints this agent dismissed here
    phone: PhoneOpening | None
    transfer: WarmTransfer | None  # a warm transfer of this contact under way
    incidents: list[Incident] = field(default_factory=list)
    break_until: datetime | None = None

    @property
    def solutions_open(self) -> bool:
        return self.situation.solutions_open


def _situation(
    contact: Contact,
    card: Card | None,
    user: User,
    now: datetime | None,
    present: frozenset[str] | None = None,
) -> Situation:
    return contact_situation(contact, card, user_id=user.pk, now=now, present=present)


# Plain SQL, one query: which of the assist's own rows exist for a contact and its agent. Most contacts
# have none of them, so the ORM builds only the queries that will find something.
_ROWS_SQL = (
    "SELECT EXISTS(SELECT 1 FROM {protocol} WHERE contact_id = %s),"
    " EXISTS(SELECT 1 FROM {hint} WHERE contact_id = %s AND user_id = %s),"
    " EXISTS(SELECT 1 FROM {transfer} WHERE contact_id = %s AND state IN (%s, %s)),"
    " EXISTS(SELECT 1 FROM {incident} WHERE contact_id = %s),"
    " EXISTS(SELECT 1 FROM {incident} WHERE agent_id = %s AND break_taken_at IS NOT NULL)"
)
_ROWS = ("protocols", "hint_actions", "transfer", "incidents", "breaks")


def assist_rows(contact_id: int, user_id: int) -> frozenset[str]:
    """Which of the contact's protocols, this user's hint actions on it, a live warm transfer, incidents
    in it, and this user's incident breaks exist (names from `_ROWS`)."""
    sql = _ROWS_SQL.format(
        protocol=ContactProtocol._meta.db_table,
        hint=HintAction._meta.db_table,
        transfer=WarmTransfer._meta.db_table,
        incident=Incident._meta.db_table,
    )
    live = [str(state) for state in LIVE_TRANSFER]
    params: list[int | str] = [contact_id, contact_id, user_id, contact_id, *live, contact_id, user_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return frozenset(name for name, there in zip(_ROWS, row or (), strict=False) if there)


def _call_in_progress(contact: Contact) -> bool:
    """The opening checklist guides the start of a call; a closed call is history, read afterwards."""
    return contact.channel == Channel.PHONE and contact.status != Status.CLOSED


def _phone(contact: Contact, situation: Situation, user: User, now: datetime) -> PhoneOpening | None:
    """The opening checklist while the call is on, and afterwards too once its recording is analysed
    (whether the agent let the customer finish is then known)."""
    if contact.channel != Channel.PHONE:
        return None
    listen = listen_check(contact.pk)
    if listen is None and not _call_in_progress(contact):
        return None
    return phone_opening(situation, user, now, listen=listen)


def contact_assist(contact: Contact, card: Card | None, user: User, *, now: datetime | None = None) -> Assist:
    """The assist for `contact` (its thread loaded, see `contacts.selectors.contact_with_thread`)."""
    now = now or timezone.now()
    present = assist_rows(contact.pk, user.pk)
    situation = _situation(contact, card, user, now, present)
    every = hints_for(situation, include_dismissed=True)
    shown = [h for h in every if h.key not in situation.dismissed]
    transfer = None
    if "transfer" in present:
        live = WarmTransfer.objects.filter(contact=contact, state__in=LIVE_TRANSFER)
        transfer = live.select_related("to_agent", "from_agent").first()
    return Assist(
        situation=situation,
        hints=shown,
        dismissed=len(every) - len(shown),
        phone=_phone(contact, situation, user, now),
        transfer=transfer,
        incidents=list(incidents_visible_to(user).filter(contact=contact)) if "incidents" in present else [],
        break_until=on_break_until(user, now) if "breaks" in present else None,
    )


def contact_for_assist(contact_id: int) -> tuple[Contact, Card | None]:
    """A contact with its thread and its customer's card. Raises Contact.DoesNotExist."""
    contact = contact_selectors.contact_with_thread(contact_id)
    card = contact_selectors.customer_card(contact.customer, current=contact) if contact.customer else None
    return contact, card


def analyse_draft(text: str) -> Analysis:
    return analyser().analyze(text, role="agent")


def draft_check(contact: Contact, card: Card | None, user: User, text: str) -> DraftCheck:
    """Check a draft reply against the contact it answers."""
    situation = _situation(contact, card, user, None)
    return check_draft(analyse_draft(text), draft_context(situation), unfolded=situation.unfolded)


DRAFT_CONTEXT_SECONDS = 300


# Plain SQL: this runs on every keystroke, and building it through the ORM cost more than running it.
_STAMP_SQL = (
    "SELECT c.updated_at,"
    " (SELECT MAX(m.id) FROM {message} m WHERE m.contact_id = c.id),"
    " (SELECT COUNT(*) FROM {signals} s JOIN {message} m ON m.id = s.message_id WHERE m.contact_id = c.id),"
    " (SELECT MAX(d.updated_at) FROM {detail} d WHERE d.customer_id = c.customer_id)"
    " FROM {contact} c WHERE c.id = %s"
)


def _stamp(contact_id: int) -> tuple[object, ...]:
    """What changes when the draft context may change: the contact itself (reason, customer, status),
    its messages and their signals, what is remembered about the customer (how to address them). One
    query; raises Contact.DoesNotExist."""
    sql = _STAMP_SQL.format(
        contact=Contact._meta.db_table,
        message=Message._meta.db_table,
        signals=MessageSignals._meta.db_table,
        detail=RememberedDetail._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [contact_id])
        row = cursor.fetchone()
    if row is None:
        raise Contact.DoesNotExist
    return tuple(row)


def draft_context_key(contact_id: int, user_id: int) -> str:
    return f"assist:draft:{contact_id}:{user_id}"


def draft_check_cached(contact_id: int, user: User, text: str) -> DraftCheck:
    """The draft check as the agent types: the contact's context is built once and kept while nothing in
    the contact changes (one query per keystroke to be sure of that), so the answer costs the draft's
    analysis. Raises Contact.DoesNotExist."""
    key, stamp = draft_context_key(contact_id, user.pk), _stamp(contact_id)
    cached = cache.get(key)
    if cached is None or cached[0] != stamp:
        contact, card = contact_for_assist(contact_id)
        situation = _situation(contact, card, user, None)
        cached = (stamp, draft_context(situation), situation.unfolded)
        cache.set(key, cached, DRAFT_CONTEXT_SECONDS)
    _, context, unfolded = cached
    return check_draft(analyse_draft(text), context, unfolded=unfolded)


def transfers_for(user: User) -> QuerySet[WarmTransfer]:
    """Warm transfers under way that `user` announced or is asked to take."""
    return (
        WarmTransfer.objects.filter(Q(to_agent=user) | Q(from_agent=user), state__in=LIVE_TRANSFER)
        .select_related("contact", "from_agent", "to_agent")
        .order_by("announced_at", "id")
    )


def incidents_visible_to(user: User) -> QuerySet[Incident]:
    """Managers and admins see every incident; a team lead their own team's (borne by one of its
    agents, or on one of its contacts) and their own; agents the ones they bore or reported. An
    incident names the agent and quotes the customer's words: no team lead reads another team's."""
    qs = Incident.objects.select_related("contact", "agent", "reported_by")
    if user.role in (Role.MANAGER, Role.ADMIN):
        return qs
    own = Q(agent=user) | Q(reported_by=user)
    if user.has_perm("contacts.supervise_queue") and user.team_id is not None:
        own |= Q(agent__team_id=user.team_id) | Q(contact__team_id=user.team_id)
    return qs.filter(own)
