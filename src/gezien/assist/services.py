"""Writes of the assist: what agents do with hints, protocols, incidents and the team leads told about them,
breaks, taking ownership of a repeat matter, remembering a life event, and warm transfers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.accounts.models import Role, User
from gezien.assist.models import ContactProtocol, HintAction, Incident, Protocol, WarmTransfer
from gezien.contacts import services as contact_services
from gezien.contacts.addressing import Cite
from gezien.contacts.models import EVENT_KINDS, Contact, ContactEvent, MessageSignals, Status
from gezien.contacts.outbox import outbox_rest
from gezien.core.errors import Conflict, Forbidden, Invalid
from gezien.core.prepared import IdsQuery
from gezien.customers import services as customer_services
from gezien.customers.models import DetailKind, RememberedDetail
from gezien.notifications.kinds import kind_register
from gezien.notifications.models import Notification

PROTOCOL_EVENT = EVENT_KINDS.register("protocol", gettext_lazy("Protocol gestart"))
INCIDENT_EVENT = EVENT_KINDS.register("incident", gettext_lazy("Incident vastgelegd"))
WARM_TRANSFER_EVENT = EVENT_KINDS.register("warm_transfer", gettext_lazy("Warm doorverbinden"))

INCIDENT_KIND = kind_register("incident", gettext_lazy("Incident"))
TRANSFER_KIND = kind_register("transfer", gettext_lazy("Doorverbinden"))
HINT_KEY_CHARS = 80
ABUSIVE_AT = 0.5
PROTOCOL_EVENTS = {
    "bereavement": Protocol.BEREAVEMENT,
    "illness": Protocol.ILLNESS,
    "hospital": Protocol.ILLNESS,
}


def _cites_json(cites: Sequence[Cite]) -> list[list[Any]]:
    return [[c.signal, c.words, c.message_id] for c in cites]


# --- hints ---------------------------------------------------------------------------------------------


def hint_act(
    *,
    contact: Contact,
    hint: str,
    action: str,
    user: User,
    note: str = "",
    shown: dict[str, Any] | None = None,
) -> tuple[HintAction, bool]:
    """Store that `user` dismissed, unfolded or used `hint` on `contact`; saying it again updates the note.
    Returns the action and whether it was new (decided by the database's unique constraint, not a look)."""
    hint = (hint or "").strip()
    if not hint or len(hint) > HINT_KEY_CHARS or not hint.isprintable():
        raise Invalid(_("Onbekende hint."), field="hint")
    if action not in HintAction.Action.values:
        raise Invalid(_("Onbekende actie."), field="action")
    note = contact_services.clean_text(note, field="note", allow_empty=True)[:300]
    found, created = HintAction.objects.update_or_create(
        contact=contact, hint=hint, action=action, user=user, defaults={"note": note, "shown": shown or {}}
    )
    cache.delete(f"assist:draft:{contact.pk}:{user.pk}")  # the draft check's context knows "unfolded"
    return found, created


# --- protocols, incidents, notifications ---------------------------------------------------------------


def protocol_start(
    *, contact: Contact, protocol: str, evidence: Sequence[Cite] = (), actor: User | None = None
) -> tuple[ContactProtocol, bool]:
    """Switch `contact` to `protocol` (once; a second start returns the first). Returns the protocol and
    whether this call started it: of two starts at the same moment, the one whose row was stored."""
    if protocol not in Protocol.values:
        raise Invalid(_("Onbekend protocol."), field="protocol")
    found = ContactProtocol.objects.filter(contact=contact, protocol=protocol).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            started = ContactProtocol.objects.create(
                contact=contact,
                protocol=protocol,
                evidence=_cites_json(evidence),
                started_by=actor,
                started_at=timezone.now(),
            )
            contact_services.contact_event_add(
                contact=contact, kind=PROTOCOL_EVENT, actor=actor, protocol=protocol
            )
    except IntegrityError:  # started at the same moment by someone else
        return ContactProtocol.objects.get(contact=contact, protocol=protocol), False
    return started, True


def _told_of_incident(agent: User | None) -> list[User]:
    """Who hears about an incident: the team leads of the agent's team, else the managers (an incident
    names the agent and the customer: no other team's lead is told)."""
    team_id = agent.team_id if agent is not None else None
    if team_id is not None:
        leads = User.objects.filter(is_active=True, groups__name=Role.TEAMLEAD, team_id=team_id)
        if leads.exists():
            return list(leads.distinct())
    return list(User.objects.filter(is_active=True, groups__name=Role.MANAGER).distinct())


def team_leads_for(agent: User | None) -> list[User]:
    """Who hears about an incident: the team leads of the agent's team, else every team lead."""
    users = User.objects.filter(is_active=True, groups__name=Role.TEAMLEAD)
    team_id = getattr(agent, "team_id", None) if agent is not None else None
    if team_id is not None and users.filter(team_id=team_id).exists():
        users = users.filter(team_id=team_id)
    return list(users.distinct())


@transaction.atomic
def incident_log(
    *,
    contact: Contact,
    source: str,
    evidence: Sequence[Cite] = (),
    note: str = "",
    reported_by: User | None = None,
) -> Incident:
    """Log abuse on `contact` and tell the team leads. The desk logs one `detected` incident per contact
    (a second call returns it); agents can report as many as happen."""
    if source not in Incident.Source.values:
        raise Invalid(_("Onbekende bron."), field="source")
    note = contact_services.clean_text(note, field="note", allow_empty=True)
    if len(note) > 2000:
        raise Invalid(_("De toelichting is te lang (hoogstens 2000 tekens)."), field="note")
    if source == Incident.Source.DETECTED:
        existing = Incident.objects.filter(contact=contact, source=source).first()
        if existing is not None:
            return existing
    agent = contact.assigned_agent or reported_by
    incident = Incident.objects.create(
        contact=contact,
        agent=agent,
        source=source,
        note=note,
        evidence=_cites_json(evidence),
        reported_by=reported_by,
    )
    protocol_start(contact=contact, protocol=Protocol.ABUSE, evidence=evidence, actor=reported_by)
    contact_services.contact_event_add(
        contact=contact,
        kind=INCIDENT_EVENT,
        actor=reported_by,
        incident=incident.pk,
        source=source,
    )
    who = agent.display_name if agent is not None else _("een medewerker")
    text = _("Incident in het contact met %(customer)s: %(who)s kreeg te maken met grof taalgebruik.") % {
        "customer": _customer_of(contact),
        "who": who,
    }
    Notification.objects.bulk_create(
        Notification(
            recipient=lead,
            kind=INCIDENT_KIND,
            text=text[:300],
            contact_id=contact.pk,
            incident_id=incident.pk,
        )
        for lead in _told_of_incident(agent)
    )
    return incident


def on_break_until(user: User, now: datetime | None = None) -> datetime | None:
    """When the break `user` took after an incident ends, if it has not yet."""
    now = now or timezone.now()
    latest = (
        Incident.objects.filter(agent=user, break_taken_at__isnull=False)
        .order_by("-break_taken_at")
        .values_list("break_taken_at", "break_minutes")
        .first()
    )
    if latest is None or latest[0] is None:
        return None
    ends: datetime = latest[0] + timedelta(minutes=latest[1])
    return ends if ends > now else None


def _customer_of(contact: Contact) -> str:
    """Who a notification is about, as people know them (never the contact's database id)."""
    customer = contact.customer
    return customer.full_name if customer is not None else str(_("een onbekende klant"))


# --- the listener: protocols and incidents as soon as the customer's words are analysed ---------------------


def _evidence_of(row: MessageSignals, signal: str) -> list[Cite]:
    return [Cite(s, w, row.message_id, r) for s, _a, _b, w, r in row.data.get("evidence", []) if s == signal]


def _calling_for_protocol(ids: list[int]) -> QuerySet[MessageSignals, Any]:
    """The customer's words in these contacts that can start something: most contacts have none."""
    return MessageSignals.objects.filter(message__contact_id__in=ids, role="customer").filter(
        ~Q(life_events="") | Q(abuse__gte=ABUSIVE_AT)
    )


_CALLING_FOR_PROTOCOL = IdsQuery(lambda ids: _calling_for_protocol(ids).values_list("pk")[:1])


def protocols_after_signals(contact_ids: list[int]) -> None:
    """Start the bereavement/illness/abuse protocols the customer's words call for, and log an incident
    when abuse goes on after the first abusive message (R8, R9)."""
    if not _CALLING_FOR_PROTOCOL.rows(contact_ids):  # prepared: most batches have no such words
        return
    rows = list(
        _calling_for_protocol(contact_ids)
        .select_related("message__contact__assigned_agent")
        .order_by("message__contact_id", "message__sent_at", "message_id")
    )
    per_contact: dict[int, list[MessageSignals]] = {}
    for row in rows:
        per_contact.setdefault(row.message.contact_id, []).append(row)
    for signals in per_contact.values():
        contact = signals[0].message.contact
        if contact.status == Status.CLOSED:
            continue
        for event, protocol in PROTOCOL_EVENTS.items():
            cites = [
                c for row in signals if event in row.life_events.split() for c in _evidence_of(row, event)
            ]
            if cites:
                protocol_start(contact=contact, protocol=protocol, evidence=cites)
        abusive = [row for row in signals if row.abuse >= ABUSIVE_AT]
        if abusive:
            cites = [c for row in abusive for c in _evidence_of(row, "abuse")[:1]]
            protocol_start(contact=contact, protocol=Protocol.ABUSE, evidence=cites)
        if len(abusive) >= 2:
            incident_log(contact=contact, source=Incident.Source.DETECTED, evidence=cites)
        outbox_rest()  # between two contacts' protocols: the requests beside the drain get their turn


# --- repeat matters and life events --------------------------------------------------------------------


@transaction.atomic
def ownership_take(*, contact: Contact, agent: User, due_at: datetime, text: str) -> RememberedDetail:
    """R7: "ik houd dit zelf in de gaten": the agent takes the contact and sets a promise with a due date."""
    if contact.customer is None:
        raise Invalid(_("Koppel eerst een klant aan dit contact."), field="contact")
    if due_at <= timezone.now():
        raise Invalid(_("Kies een moment in de toekomst."), field="due_at")
    contact_services.contact_take(contact=contact, actor=agent)
    promise = customer_services.detail_add(
        customer=contact.customer, kind=DetailKind.PROMISE, text=text, due_at=due_at, actor=agent
    )
    contact_services.contact_event_add(
        contact=contact, kind=ContactEvent.Kind.OWNERSHIP, actor=agent, promise=promise.pk, note=promise.text
    )
    return promise


def life_event_remember(*, contact: Contact, text: str, actor: User) -> RememberedDetail:
    """R8: remember a death or illness on the card, so nobody asks again."""
    if contact.customer is None:
        raise Invalid(_("Koppel eerst een klant aan dit contact."), field="contact")
    return customer_services.detail_add(
        customer=contact.customer, kind=DetailKind.LIFE_EVENT, text=text, actor=actor
    )


# --- warm transfer (R10) -------------------------------------------------------------------------------

_connect_hooks: list[Callable[[WarmTransfer], None]] = []


def on_transfer_connect(hook: Callable[[WarmTransfer], None]) -> None:
    """Call `hook(transfer)` inside `transfer_connect`'s transaction, before the contact moves: the phone
    app asks the telephone system to move a call going on (an error it raises undoes the connect)."""
    _connect_hooks.append(hook)


@transaction.atomic
def transfer_announce(*, contact: Contact, from_agent: User, to_agent: User, note: str) -> WarmTransfer:
    """Announce the caller to a colleague: they see who it is and why, and say when they are ready."""
    if to_agent.pk == from_agent.pk:
        raise Invalid(_("Kies een collega, niet uzelf."), field="to_agent")
    if not to_agent.is_active or not to_agent.has_perm("contacts.handle_contact"):
        raise Invalid(_("Deze collega kan geen contacten aannemen."), field="to_agent")
    if contact.status == Status.CLOSED:
        raise Conflict(_("Dit contact is al gesloten."), field="contact")
    note = contact_services.clean_text(note, field="note")
    if len(note) > 500:
        raise Invalid(_("Houd het kort: hoogstens 500 tekens."), field="note")
    if (
        WarmTransfer.objects.select_for_update()
        .filter(contact=contact, state__in=["announced", "acknowledged"])
        .exists()
    ):
        raise Conflict(_("Er loopt al een doorverbinding voor dit contact."), field="contact")
    transfer = WarmTransfer.objects.create(
        contact=contact, from_agent=from_agent, to_agent=to_agent, note=note, announced_at=timezone.now()
    )
    _transfer_event(transfer, from_agent, "announced")
    who = from_agent.display_name
    Notification.objects.create(
        recipient=to_agent,
        kind=TRANSFER_KIND,
        text=(
            _("%(who)s wil %(customer)s aan u doorverbinden: %(note)s")
            % {"who": who, "customer": _customer_of(contact), "note": note}
        )[:300],
        contact_id=contact.pk,
    )
    return transfer


def _transfer_event(transfer: WarmTransfer, actor: User, step: str) -> None:
    contact_services.contact_event_add(
        contact=transfer.contact,
        kind=WARM_TRANSFER_EVENT,
        actor=actor,
        step=step,
        to=transfer.to_agent.get_username(),
        note=transfer.note,
    )


def _live(transfer: WarmTransfer) -> WarmTransfer:
    return WarmTransfer.objects.select_for_update().select_related("contact", "to_agent").get(pk=transfer.pk)


@transaction.atomic
def transfer_acknowledge(*, transfer: WarmTransfer, user: User) -> WarmTransfer:
    """The colleague says they are ready to take the caller."""
    transfer = _live(transfer)
    if transfer.to_agent_id != user.pk:
        raise Forbidden(_("Deze doorverbinding is voor een collega."))
    if transfer.state != WarmTransfer.State.ANNOUNCED:
        raise Conflict(_("Deze doorverbinding is niet meer aangekondigd."), field="state")
    transfer.state = WarmTransfer.State.ACKNOWLEDGED
    transfer.acknowledged_at = timezone.now()
    transfer.save(update_fields=["state", "acknowledged_at"])
    _transfer_event(transfer, user, "acknowledged")
    return transfer


@transaction.atomic
def transfer_connect(*, transfer: WarmTransfer, user: User) -> WarmTransfer:
    """Connect, only after the colleague acknowledged: the contact moves to them."""
    transfer = _live(transfer)
    if transfer.from_agent_id != user.pk:
        raise Forbidden(_("Alleen wie aankondigde, verbindt door."))
    if transfer.state != WarmTransfer.State.ACKNOWLEDGED:
        raise Conflict(_("Wacht tot uw collega heeft bevestigd dat hij of zij klaar is."), field="state")
    transfer.state = WarmTransfer.State.CONNECTED
    transfer.finished_at = timezone.now()
    transfer.save(update_fields=["state", "finished_at"])
    for hook in _connect_hooks:
        hook(transfer)
    contact_services.contact_transfer(
        contact=transfer.contact, actor=user, to_agent=transfer.to_agent, note=transfer.note
    )
    _transfer_event(transfer, user, "connected")
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: WarmTransfer, user: User) -> WarmTransfer:
    transfer = _live(transfer)
    if user.pk not in (transfer.from_agent_id, transfer.to_agent_id):
        raise Forbidden(_("Deze doorverbinding is van collega's."))
    if transfer.state not in (WarmTransfer.State.ANNOUNCED, WarmTransfer.State.ACKNOWLEDGED):
        raise Conflict(_("Deze doorverbinding is al afgerond."), field="state")
    transfer.state = WarmTransfer.State.CANCELLED
    transfer.finished_at = timezone.now()
    transfer.save(update_fields=["state", "finished_at"])
    _transfer_event(transfer, user, "cancelled")
    return transfer
