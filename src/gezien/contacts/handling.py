"""Writes for what the desk does with a contact once it is open: who handles it (`contact_take`,
`contact_assign`, `contact_transfer`: only to someone with `contacts.handle_contact`), its status, its
reason and summary, and the customer an agent links it to (the channel identity remembered). Each is
atomic, records a `ContactEvent` and notes the change (`changes.contacts_changed`) in its transaction, as
`contacts.services` (opening a contact, its messages) does; it uses that module's shared helpers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import Team
from gezien.contacts import live
from gezien.contacts.changes import CONTACT_ASSIGNED, contacts_changed, happened
from gezien.contacts.models import (
    Author,
    Contact,
    ContactEvent,
    ContactReason,
    Message,
    MessageKind,
    Recognition,
    Status,
)
from gezien.contacts.services import (
    clean_text,
    contact_fields_save,
    event_record,
    moment_or_now,
    one_line,
    status_set,
)
from gezien.core.errors import Conflict, Invalid
from gezien.customers.identities import normalise
from gezien.customers.models import Customer, Identity
from gezien.customers.services import identity_attach

if TYPE_CHECKING:
    from gezien.accounts.models import User


@transaction.atomic
def contact_set_status(
    *, contact: Contact, status: str, actor: User | None = None, at: datetime | None = None
) -> Contact:
    if status not in Status.values:
        raise Invalid(_("Onbekende status: %(s)s") % {"s": str(status)[:20]}, field="status")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status != status:
        status_set(contact, status, actor, moment_or_now(at, "at"))
        contacts_changed([contact.pk])
    return contact


@transaction.atomic
def contact_take(*, contact: Contact, actor: User) -> Contact:
    """The agent picks the contact up from the queue."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.assigned_agent_id != actor.pk:
        contact.assigned_agent = actor
        contact_fields_save(contact, "assigned_agent")
        event_record(contact, ContactEvent.Kind.ASSIGNED, actor, timezone.now(), agent=actor.get_username())
        contacts_changed([contact.pk])
        happened(CONTACT_ASSIGNED, contact, actor=actor)
        live.assigned_told(contact, actor, tell_agent=False)
    return contact


HANDLE_PERMISSION = "contacts.handle_contact"  # who may open and answer a contact (agents and up)


def _check_assignee(person: User, field: str) -> None:
    """A contact goes only to someone who can open it: an active account with a desk role (not a
    department owner, nor an account without a role)."""
    if not person.is_active or not person.has_perm(HANDLE_PERMISSION):
        raise Invalid(
            _("%(name)s kan dit contact niet openen; kies een medewerker.") % {"name": person.display_name},
            field=field,
        )


@transaction.atomic
def contact_assign(
    *,
    contact: Contact,
    agent: User,
    actor: User | None = None,
    why: str = "",
    details: Mapping[str, Any] | None = None,
) -> Contact:
    """Give an open contact to `agent` (routing, or a team lead); `why` (a note) and `details` (data the
    assigning feature words when the history is shown, e.g. routing's reasons) are kept in the event."""
    _check_assignee(agent, "agent")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status == Status.CLOSED:
        raise Conflict(_("Dit contact is al gesloten."), field="status")
    if contact.assigned_agent_id != agent.pk:
        contact.assigned_agent = agent
        contact_fields_save(contact, "assigned_agent")
        event_record(
            contact,
            ContactEvent.Kind.ASSIGNED,
            actor,
            timezone.now(),
            **(details or {}),
            agent=agent.get_username(),
            note=why,
        )
        contacts_changed([contact.pk])
        happened(CONTACT_ASSIGNED, contact, actor=actor)
        live.assigned_told(contact, agent, tell_agent=actor is None or actor.pk != agent.pk)
    return contact


@transaction.atomic
def contact_transfer(
    *,
    contact: Contact,
    actor: User | None,
    to_agent: User | None = None,
    to_team: Team | None = None,
    note: str = "",
) -> Contact:
    """Hand the contact to a colleague or a team, with a note for them; it goes back in their queue."""
    if to_agent is None and to_team is None:
        raise Invalid(_("Kies een collega of een team."), field="to_agent")
    if to_agent is not None:
        _check_assignee(to_agent, "to_agent")
    note = clean_text(note, field="note", allow_empty=True).strip()
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    when = timezone.now()
    reassigned = to_agent is not None and contact.assigned_agent_id != to_agent.pk
    contact.assigned_agent = to_agent
    if to_team is not None:
        contact.team = to_team
    elif to_agent is not None and to_agent.team_id:
        contact.team_id = to_agent.team_id
    if contact.status in (Status.WAITING_CUSTOMER, Status.CLOSED):
        status_set(contact, Status.WAITING_US, actor, when)
    contact_fields_save(contact, "assigned_agent", "team")
    event_record(
        contact,
        ContactEvent.Kind.TRANSFER,
        actor,
        when,
        to_agent=to_agent.get_username() if to_agent else None,
        to_team=to_team.name if to_team else None,
        note=note,
    )
    if note:
        live.message_told(
            Message.objects.create(
                contact=contact, author=Author.SYSTEM, kind=MessageKind.MESSAGE, text=note, sent_at=when
            )
        )
    contacts_changed([contact.pk])
    if reassigned:
        happened(CONTACT_ASSIGNED, contact, actor=actor)
    if to_agent is not None:
        live.assigned_told(contact, to_agent, tell_agent=actor is None or actor.pk != to_agent.pk)
    else:
        live.status_told(contact)
        live.queue_told(contact.pk, "new")  # back in the team's queue, for anyone to take
    return contact


@transaction.atomic
def contact_set_reason(
    *, contact: Contact, reason: ContactReason | None, actor: User | None = None
) -> Contact:
    contact.reason = reason
    contact_fields_save(contact, "reason")
    event_record(
        contact, ContactEvent.Kind.REASON, actor, timezone.now(), reason=reason.code if reason else None
    )
    contacts_changed([contact.pk])
    return contact


@transaction.atomic
def contact_set_summary(*, contact: Contact, summary: str, actor: User | None = None) -> Contact:
    text = clean_text(summary, field="summary", allow_empty=True).strip()
    if len(text) > 300:
        raise Invalid(_("Een samenvatting is één regel (maximaal 300 tekens)."), field="summary")
    contact.summary = one_line(text, 300)
    contact_fields_save(contact, "summary")
    event_record(contact, ContactEvent.Kind.SUMMARY, actor, timezone.now())
    contacts_changed([contact.pk])
    return contact


@transaction.atomic
def contact_link_customer(
    *, contact: Contact, customer: Customer, actor: User | None = None, remember_identity: bool = True
) -> Contact:
    """The agent says who this is. The channel identity is remembered, so next time it is recognised."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.customer = customer
    contact.recognition = Recognition.LINKED
    contact.candidate_ids = []
    contact_fields_save(contact, "customer", "recognition", "candidate_ids")
    if remember_identity and contact.identity_kind and contact.identity_value:
        taken = Identity.objects.filter(kind=contact.identity_kind, value=contact.identity_value).exists()
        if not taken:
            identity = normalise(contact.identity_kind, contact.identity_value)
            identity_attach(customer=customer, identity=identity, actor=actor)
    event_record(contact, ContactEvent.Kind.LINKED, actor, timezone.now(), customer=customer.customer_number)
    contacts_changed([contact.pk])
    return contact
