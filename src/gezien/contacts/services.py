"""Writes for contacts: open (with recognition), messages, status, transfer, reason, linking.

Every service is atomic: the customer's words are stored in the same transaction that creates the
contact, so an accepted message is never lost and a refused one leaves nothing behind. Each service
notes what it changed in the same transaction (`changes.contacts_changed`: one outbox row), so new
messages are analysed, and the apps that build on contacts hear of it, once it commits, off the request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import Team
from gezien.analysis.pii import pii_mask
from gezien.contacts import live
from gezien.contacts.changes import (
    CONTACT_ASSIGNED,
    CONTACT_CLOSED,
    CONTACT_CREATED,
    MESSAGE_CREATED,
    contacts_changed,
    happened,
)
from gezien.contacts.models import (
    EVENT_KINDS,
    Author,
    Channel,
    Contact,
    ContactEvent,
    ContactReason,
    Message,
    MessageKind,
    Recognition,
    Status,
)
from gezien.contacts.sending import ReplyExtras, sender_for
from gezien.core.errors import Conflict, Invalid
from gezien.core.prepared import db_values
from gezien.core.timebounds import check_moment
from gezien.customers.identities import NormalisedIdentity, normalise
from gezien.customers.models import Customer, Identity
from gezien.customers.selectors import identity_owners
from gezien.customers.services import identity_attach

if TYPE_CHECKING:
    from gezien.accounts.models import User

SUMMARY_CHARS = 140


@dataclass(frozen=True)
class TranscriptTurn:
    author: str
    text: str
    start_s: float | None = None
    end_s: float | None = None


@dataclass(frozen=True)
class OpenResult:
    contact: Contact
    created: bool  # False when an external id was seen before: the retry gets the same contact
    messages: list[Message] | None = None  # what this call stored, so callers need not read it back


def _now(at: datetime | None, field: str) -> datetime:
    return timezone.now() if at is None else check_moment(at, field=field)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: Any, *, field: str = "text", allow_empty: bool = False) -> str:
    """Validate message text: a string, not too long, no NUL bytes (PostgreSQL refuses them)."""
    if not isinstance(text, str):
        raise Invalid(_("De tekst moet tekst zijn."), field=field)
    if "\x00" in text:
        raise Invalid(_("De tekst bevat een ongeldig teken (NUL)."), field=field)
    if _LONE_SURROGATE.search(text):  # JSON's "\ud800" without its pair: no database stores it
        raise Invalid(_("De tekst bevat een ongeldig teken (een losse surrogaat)."), field=field)
    limit = settings.GEZIEN_MAX_MESSAGE_CHARS
    if len(text) > limit:
        raise Invalid(
            _("Dit bericht is te lang: %(n)d tekens, maximaal %(max)d.") % {"n": len(text), "max": limit},
            field=field,
        )
    if not allow_empty and not text.strip():
        raise Invalid(_("Het bericht is leeg."), field=field)
    return text


def intake_text(text: str) -> str:
    """A customer's words as they are stored: with GEZIEN_REDACT_AT_INTAKE, IBANs, card numbers and BSNs
    masked first (`gezien.analysis.pii`), on every channel that stores text through these services."""
    return pii_mask(text) if settings.GEZIEN_REDACT_AT_INTAKE else text


def one_line(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first line of a text, shortened at a word boundary: the default summary of a contact."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    line = " ".join(line.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


_INSERT_ROWS = 500
_INSERT_SQL: dict[type[Model], tuple[list[Field[Any, Any]], str, str]] = {}


def _insert(objects: Sequence[Model]) -> None:
    """Insert new rows of one model in one statement and set their primary keys, as `save()` or
    `bulk_create` would (`pre_save` with `add`, so `auto_now_add` fields are set; no model of contacts
    has save signals or a `save` of its own). The ORM builds and compiles the same INSERT anew every
    time: 0.1-0.2 ms of Python per open on the hot path (of ~0.8 ms in `contact_open`)."""
    if not objects:
        return
    model = type(objects[0])
    if not connection.features.can_return_rows_from_bulk_insert or any(
        f.has_db_default()  # type: ignore[attr-defined]
        for f in model._meta.concrete_fields
    ):  # a database without INSERT ... RETURNING of many rows, or defaults the database fills in
        model._default_manager.bulk_create(objects)
        return
    if model not in _INSERT_SQL:
        meta, quote = model._meta, connection.ops.quote_name
        fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]
        columns = ", ".join(quote(f.column) for f in fields)
        returning = f" RETURNING {quote(meta.pk.column)}"
        head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608 -- names only
        _INSERT_SQL[model] = (fields, head, returning)
    fields, head, returning = _INSERT_SQL[model]
    row = f"({', '.join(['%s'] * len(fields))})"
    for start in range(0, len(objects), _INSERT_ROWS):  # a long transcript: within the parameter limit
        chunk = objects[start : start + _INSERT_ROWS]
        params = [value for obj in chunk for value in db_values(fields, obj, add=True)]
        with connection.cursor() as cursor:
            cursor.execute(head + ", ".join([row] * len(chunk)) + returning, params)
            pks = [pk for (pk,) in cursor.fetchall()]
        for obj, pk in zip(chunk, pks, strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, connection.alias


rows_insert = _insert  # for the other modules of contacts (attachments.py): the same prepared INSERT


def _recognise(identities: list[NormalisedIdentity]) -> tuple[str, Customer | None, list[int]]:
    owners = {customer.pk: customer for customer in identity_owners(identities).values()}
    if not owners:
        return Recognition.UNIDENTIFIED, None, []
    if len(owners) > 1:
        # Two identities of one contact point at different customers: show both, never guess.
        return Recognition.AMBIGUOUS, None, sorted(owners)
    (customer,) = owners.values()
    return Recognition.RECOGNISED, customer, []


def _event(contact: Contact, kind: str, actor: User | None, at: datetime, **data: Any) -> None:
    ContactEvent.objects.create(contact=contact, kind=kind, actor=actor, at=at, data=data)


def contact_event_add(*, contact: Contact, kind: str, actor: User | None, **data: Any) -> None:
    """Record something that happened to a contact in its history (for apps that build on contacts)."""
    if kind not in EVENT_KINDS:
        raise Invalid(_("Onbekend soort gebeurtenis."), field="kind")
    _event(contact, kind, actor, timezone.now(), **data)
    contacts_changed([contact.pk])


def _check_turn(turn: TranscriptTurn, index: int) -> None:
    field = f"transcript[{index}]"
    if turn.author not in (Author.CUSTOMER, Author.AGENT):
        raise Invalid(_("Een gespreksbeurt is van de klant of de medewerker."), field=f"{field}.author")
    for name, value in (("start_s", turn.start_s), ("end_s", turn.end_s)):
        if value is not None and (value < 0 or value != value or value > 86_400):
            raise Invalid(
                _("Een tijd in het gesprek ligt tussen 0 en 86400 seconden."), field=f"{field}.{name}"
            )
    if turn.start_s is not None and turn.end_s is not None and turn.end_s < turn.start_s:
        raise Invalid(_("Een gespreksbeurt eindigt niet voor zij begint."), field=f"{field}.end_s")


def contact_arrived_as(contact: Contact, *, name: str, address: str = "") -> None:
    """Note who an unrecognised customer said they are ("Naam <adres>", as typed in a chat or a form),
    shown to the agent as "Binnengekomen als" until the contact is linked to a customer."""
    shown = f"{name} <{address}>" if name and address else (name or address)
    if contact.customer_id is not None or not shown:
        return
    contact.identity_raw = shown[:320]
    Contact.objects.filter(pk=contact.pk).update(identity_raw=contact.identity_raw)


def contact_open(
    *,
    channel: str,
    identities: Iterable[tuple[str, str]] = (),
    text: str = "",
    subject: str = "",
    at: datetime | None = None,
    external_id: str | None = None,
    transcript: Iterable[TranscriptTurn] = (),
    actor: User | None = None,
    team: Team | None = None,
    savepoint: bool = True,
) -> OpenResult:
    """Open a contact with its first message, recognising the customer from the channel identities.

    Phone contacts may start empty (the agent logs the call as it comes in) or with transcript turns.
    A known `external_id` returns the contact it opened before (idempotent retries).

    `savepoint=False`: the caller holds a transaction (or savepoint) of its own that fails whole with this
    one (the mail intake: each mail in its savepoint); no savepoint of its own is opened inside it.
    """
    with transaction.atomic(savepoint=savepoint):
        if channel not in Channel.values:
            raise Invalid(_("Onbekend kanaal: %(c)s") % {"c": str(channel)[:20]}, field="channel")
        turns = list(transcript)
        allow_empty = channel == Channel.PHONE
        body = intake_text(clean_text(text, allow_empty=allow_empty or bool(turns)))
        subject = one_line(intake_text(clean_text(subject, field="subject", allow_empty=True)), 300)
        for index, turn in enumerate(turns):
            clean_text(turn.text, field=f"transcript[{index}].text")
            _check_turn(turn, index)
        if settings.GEZIEN_REDACT_AT_INTAKE:
            turns = [
                TranscriptTurn(t.author, intake_text(t.text), t.start_s, t.end_s)
                if t.author == Author.CUSTOMER
                else t
                for t in turns
            ]
        if external_id is not None:
            external_id = clean_text(external_id, field="external_id").strip()[:300]
            existing = Contact.objects.filter(external_id=external_id).first()
            if existing is not None:
                return OpenResult(_opened_before(existing, channel, body, turns), created=False)
        given = list(identities)  # may be a one-shot iterable; it is read twice below
        normalised = [normalise(kind, raw) for kind, raw in given]
        recognition, customer, candidates = _recognise(normalised)
        when = _now(at, "opened_at")
        first = normalised[0] if normalised else None
        raw_first = given[0][1] if given else ""
        contact = Contact(
            customer=customer,
            channel=channel,
            status=Status.OPEN,
            recognition=recognition,
            identity_kind=first.kind if first else "",
            identity_value=first.value if first else "",
            identity_raw=str(raw_first)[:320],
            candidate_ids=candidates,
            subject=subject,
            # Shown in lists, titles and notices: never an IBAN, card number or BSN (gezien.analysis.pii).
            summary=pii_mask(subject or one_line(body) or one_line(turns[0].text if turns else "")),
            opened_at=when,
            waiting_since=when,
            external_id=external_id,
            team=team,
        )
        if external_id is None:
            _insert([contact])
        else:
            try:
                with transaction.atomic():  # a savepoint, only where a duplicate delivery can collide
                    _insert([contact])
            except IntegrityError:
                # Two deliveries of one e-mail raced; the other one won. Return its contact.
                existing = Contact.objects.filter(external_id=external_id).first()
                if existing is None:
                    raise
                return OpenResult(_opened_before(existing, channel, body, turns), created=False)
        messages = []
        if body.strip():
            messages.append(Message(contact=contact, author=Author.CUSTOMER, text=body, sent_at=when))
        for turn in turns:
            messages.append(
                Message(
                    contact=contact,
                    author=turn.author,
                    kind=MessageKind.TRANSCRIPT,
                    agent=actor if turn.author == Author.AGENT else None,
                    text=turn.text,
                    start_s=turn.start_s,
                    end_s=turn.end_s,
                    sent_at=when,
                )
            )
        _insert(messages)
        contacts_changed([contact.pk], analyse=messages)
        happened(CONTACT_CREATED, contact, message=messages[0] if messages else None, actor=actor)
        live.queue_told(contact.pk, "new")
        return OpenResult(contact, created=True, messages=messages)


def _opened_before(existing: Contact, channel: str, body: str, turns: list[TranscriptTurn]) -> Contact:
    """The contact an `external_id` opened before, when this delivery is a retry of that one: the same
    channel and the same words. A different text under a used id is refused (409), never dropped."""
    texts = [body] if body.strip() else []
    texts += [turn.text for turn in turns]
    stored = list(
        Message.objects.filter(contact=existing).order_by("pk").values_list("text", flat=True)[: len(texts)]
    )
    if existing.channel != channel or stored != texts:
        raise Conflict(
            _("Dit contact-id is al gebruikt voor een contact met een andere inhoud."), field="external_id"
        )
    return existing


def message_add(
    *,
    contact: Contact,
    author: str,
    text: str,
    kind: str = MessageKind.MESSAGE,
    agent: User | None = None,
    at: datetime | None = None,
    start_s: float | None = None,
    end_s: float | None = None,
    external_id: str | None = None,
    status_after: str | None = None,
    extras: ReplyExtras | None = None,
) -> Message:
    """Add a message, call note or transcript turn (see `message_deliver`); the message only."""
    message, _created = message_deliver(
        contact=contact,
        author=author,
        text=text,
        kind=kind,
        agent=agent,
        at=at,
        start_s=start_s,
        end_s=end_s,
        external_id=external_id,
        status_after=status_after,
        extras=extras,
    )
    return message


def message_deliver(
    *,
    contact: Contact,
    author: str,
    text: str,
    kind: str = MessageKind.MESSAGE,
    agent: User | None = None,
    at: datetime | None = None,
    start_s: float | None = None,
    end_s: float | None = None,
    external_id: str | None = None,
    status_after: str | None = None,
    extras: ReplyExtras | None = None,
    locked: bool = False,
    savepoint: bool = True,
) -> tuple[Message, bool]:
    """Add a message, call note or transcript turn; keep the contact's waiting state honest. Returns the
    message and whether it was stored now (False: its `external_id` was delivered before, also when two
    deliveries raced and the other one's row won).

    A customer writing again reopens a closed contact and puts it back in the queue. An agent's
    reply stops the waiting clock; `status_after` lets the agent say what happens next. An agent's reply
    on a channel that sends (`contacts.sending`) is handed to its sender, with `extras` (CC,
    attachments), in this transaction: a reply that cannot leave is refused and nothing is stored.
    `locked`: the caller read `contact` in its transaction with select_for_update (e.g. the mail
    intake, which found it while threading): it is not read again.

    `savepoint=False`: the caller holds a transaction (or savepoint) of its own that fails whole with this
    one (the mail intake: each mail in its savepoint); no savepoint of its own is opened inside it.
    """
    with transaction.atomic(savepoint=savepoint):
        if author not in Author.values:
            raise Invalid(_("Onbekende afzender: %(a)s") % {"a": str(author)[:20]}, field="author")
        if kind not in MessageKind.values:
            raise Invalid(_("Onbekende soort bericht: %(k)s") % {"k": str(kind)[:20]}, field="kind")
        if kind == MessageKind.NOTE and author != Author.AGENT:
            raise Invalid(_("Gespreksnotities schrijft de medewerker."), field="kind")
        if author == Author.AGENT and agent is None:
            raise Invalid(_("Een bericht van een medewerker heeft een medewerker."), field="agent")
        body = clean_text(text)
        if author == Author.CUSTOMER:
            body = intake_text(body)
        if kind == MessageKind.TRANSCRIPT:
            _check_turn(TranscriptTurn(author, body, start_s, end_s), 0)
        elif start_s is not None or end_s is not None:
            raise Invalid(_("Alleen transcriptbeurten hebben tijden."), field="start_s")
        sender = (
            sender_for(contact.channel) if author == Author.AGENT and kind == MessageKind.MESSAGE else None
        )
        if extras is not None and (extras.cc or extras.attachments) and sender is None:
            raise Invalid(_("CC en bijlagen kunnen alleen met een antwoord op dit kanaal mee."), field="cc")
        if status_after is not None and status_after not in Status.values:
            raise Invalid(_("Onbekende status: %(s)s") % {"s": str(status_after)[:20]}, field="status")
        if external_id is not None:
            external_id = clean_text(external_id, field="external_id").strip()[:300]
            existing = _delivered_before(external_id, contact, author, kind, body)
            if existing is not None:
                return existing, False
        when = _now(at, "sent_at")
        if not locked:
            contact = Contact.objects.select_for_update().get(pk=contact.pk)
        touched = contact.updated_at  # every save below moves it; a message alone moves it at the end
        message = Message(
            contact=contact,
            author=author,
            kind=kind,
            agent=agent if author == Author.AGENT else None,
            text=body,
            start_s=start_s,
            end_s=end_s,
            external_id=external_id,
            sent_at=when,
        )
        if external_id is None:
            _insert([message])
        else:
            try:
                with transaction.atomic():  # a savepoint, only where a duplicate delivery can collide
                    message.save()
            except IntegrityError:
                existing = _delivered_before(external_id, contact, author, kind, body)
                if existing is None:
                    raise
                return existing, False
        contacts_changed([contact.pk], analyse=[message])
        happened(MESSAGE_CREATED, contact, message=message, actor=agent)
        if author == Author.CUSTOMER and kind == MessageKind.MESSAGE:
            if contact.status in (Status.CLOSED, Status.WAITING_CUSTOMER):
                _set_status(contact, Status.OPEN, None, when)
            if contact.waiting_since is None:
                contact.waiting_since = when
                _contact_save(contact, "waiting_since")
        elif author == Author.AGENT and kind == MessageKind.MESSAGE:
            contact.waiting_since = None
            first_answer = contact.assigned_agent_id is None
            if first_answer:
                contact.assigned_agent = agent
            _contact_save(contact, "waiting_since", "assigned_agent")
            if first_answer:
                happened(CONTACT_ASSIGNED, contact, actor=agent)
            if sender is not None:
                sender(message, extras or ReplyExtras())
        if status_after is not None and status_after != contact.status:
            _set_status(contact, status_after, agent, when)
        elif contact.status in (Status.OPEN, Status.WAITING_US) and contact.waiting_since is None:
            # The agent answered but left it open for us: it is in the queue again, from now.
            contact.waiting_since = when
            _contact_save(contact, "waiting_since")
        if contact.updated_at == touched:  # a new message changes the contact (GET ?updated_after= sees it)
            _contact_save(contact)
        live.message_told(message)
        return message, True


_UPDATE_SQL: dict[tuple[str, ...], tuple[list[Field[Any, Any]], str]] = {}


def _contact_save(contact: Contact, *names: str) -> None:
    """`contact.save(update_fields=[*names, "updated_at"])` as one UPDATE whose SQL is built once per set
    of fields: the ORM builds and compiles it anew every time (~0.3 ms of Python on this machine, several
    times per message; no model of contacts has save signals or a `save` of its own)."""
    if names not in _UPDATE_SQL:
        meta, quote = Contact._meta, connection.ops.quote_name
        fields: list[Field[Any, Any]] = [meta.get_field(n) for n in (*names, "updated_at")]  # type: ignore[misc]
        sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        where = f"{quote(meta.pk.column)} = %s"
        _UPDATE_SQL[names] = (fields, f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {where}")  # noqa: S608
    fields, sql = _UPDATE_SQL[names]
    params = db_values(fields, contact, add=False)  # auto_now: set
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, contact.pk])


def _delivered_before(
    external_id: str, contact: Contact, author: str, kind: str, text: str
) -> Message | None:
    """The message stored earlier under this external id, if any: it must belong to `contact` and say
    the same (a retry); a different message under a used id is refused (409), never dropped."""
    existing = Message.objects.filter(external_id=external_id).first()
    if existing is None:
        return None
    if existing.contact_id != contact.pk:
        raise Conflict(_("Dit bericht-id hoort bij een ander contact."), field="external_id")
    if (existing.author, existing.kind, existing.text) != (author, kind, text):
        raise Conflict(
            _("Dit bericht-id is al gebruikt voor een bericht met een andere inhoud."), field="external_id"
        )
    return existing


def _set_status(contact: Contact, status: str, actor: User | None, at: datetime) -> None:
    previous = contact.status
    contact.status = status
    contact.closed_at = at if status == Status.CLOSED else None
    if status in (Status.OPEN, Status.WAITING_US):
        contact.waiting_since = contact.waiting_since or at
    else:
        contact.waiting_since = None
    _contact_save(contact, "status", "closed_at", "waiting_since")
    _event(contact, ContactEvent.Kind.STATUS, actor, at, previous=previous, status=status)
    if status == Status.CLOSED and previous != Status.CLOSED:
        happened(CONTACT_CLOSED, contact, actor=actor)
    live.status_told(contact, previous)


@transaction.atomic
def contact_set_status(
    *, contact: Contact, status: str, actor: User | None = None, at: datetime | None = None
) -> Contact:
    if status not in Status.values:
        raise Invalid(_("Onbekende status: %(s)s") % {"s": str(status)[:20]}, field="status")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status != status:
        _set_status(contact, status, actor, _now(at, "at"))
        contacts_changed([contact.pk])
    return contact


@transaction.atomic
def contact_take(*, contact: Contact, actor: User) -> Contact:
    """The agent picks the contact up from the queue."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.assigned_agent_id != actor.pk:
        contact.assigned_agent = actor
        _contact_save(contact, "assigned_agent")
        _event(contact, ContactEvent.Kind.ASSIGNED, actor, timezone.now(), agent=actor.get_username())
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
        _contact_save(contact, "assigned_agent")
        _event(
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
        _set_status(contact, Status.WAITING_US, actor, when)
    _contact_save(contact, "assigned_agent", "team")
    _event(
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
    _contact_save(contact, "reason")
    _event(contact, ContactEvent.Kind.REASON, actor, timezone.now(), reason=reason.code if reason else None)
    contacts_changed([contact.pk])
    return contact


@transaction.atomic
def contact_set_summary(*, contact: Contact, summary: str, actor: User | None = None) -> Contact:
    text = clean_text(summary, field="summary", allow_empty=True).strip()
    if len(text) > 300:
        raise Invalid(_("Een samenvatting is één regel (maximaal 300 tekens)."), field="summary")
    contact.summary = one_line(text, 300)
    _contact_save(contact, "summary")
    _event(contact, ContactEvent.Kind.SUMMARY, actor, timezone.now())
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
    _contact_save(contact, "customer", "recognition", "candidate_ids")
    if remember_identity and contact.identity_kind and contact.identity_value:
        taken = Identity.objects.filter(kind=contact.identity_kind, value=contact.identity_value).exists()
        if not taken:
            identity = normalise(contact.identity_kind, contact.identity_value)
            identity_attach(customer=customer, identity=identity, actor=actor)
    _event(contact, ContactEvent.Kind.LINKED, actor, timezone.now(), customer=customer.customer_number)
    contacts_changed([contact.pk])
    return contact
