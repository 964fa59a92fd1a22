"""/api/contacts: open a contact (with recognition), add messages, read, list, change."""

from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.accounts.models import Team, User
from gezien.api.attachments import AttachmentOut
from gezien.api.auth import require_perm
from gezien.api.common import BoundedLimitOffset, CustomerBrief, DbId, IdentityIn, Moment, get_or_404
from gezien.api.input import In
from gezien.api.schemas import ChannelLiteral, username_of
from gezien.audit.log import audit_contact, audit_from_request
from gezien.contacts import handling, selectors, services
from gezien.contacts.models import Attachment, Contact, ContactReason, Delivery, Message, MessageSignals
from gezien.core.errors import Invalid, NotFound
from gezien.customers.models import Customer
from gezien.mail.outgoing import delivery_retry, reply_extras

# The API's own renderer (NinjaAPI's default), for the answer the hot path builds without its schema.
_RENDERER = JSONRenderer()
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"

router = Router(tags=["contacts"])

StatusLiteral = Literal["open", "waiting_customer", "waiting_us", "closed"]
AuthorLiteral = Literal["customer", "agent", "system"]


class TurnIn(In):
    author: Literal["customer", "agent"]
    text: str
    start_s: float | None = Field(default=None, ge=0, le=86_400)
    end_s: float | None = Field(default=None, ge=0, le=86_400)


class ContactOpenIn(In):
    channel: ChannelLiteral
    identity: IdentityIn | None = None
    identities: list[IdentityIn] = Field(default_factory=list, max_length=10)
    text: str = ""
    subject: str = Field(default="", max_length=1000)
    external_id: str | None = Field(default=None, max_length=300)
    opened_at: Moment | None = None
    transcript: list[TurnIn] = Field(default_factory=list, max_length=2000)
    team: str | None = None


class MessageIn(In):
    author: AuthorLiteral = "customer"
    kind: Literal["message", "note", "transcript"] = "message"
    text: str
    sent_at: Moment | None = None
    start_s: float | None = Field(default=None, ge=0, le=86_400)
    end_s: float | None = Field(default=None, ge=0, le=86_400)
    external_id: str | None = Field(default=None, max_length=300)
    status_after: StatusLiteral | None = None
    cc: list[str] = Field(
        default_factory=list, max_length=20, description="an agent's e-mail reply: addresses in CC"
    )
    attachment_ids: list[DbId] = Field(
        default_factory=list,
        max_length=20,
        description="an agent's e-mail reply: files uploaded before (POST /api/contacts/{id}/attachments)",
    )


class DeliveryOut(Schema):
    """How an outgoing message is getting to the customer (channels that send: e-mail)."""

    channel: str
    status: str = Field(description="queued, sent, failed or bounced")
    attempts: int
    next_attempt_at: datetime | None = Field(description="when it is tried again (queued)")
    last_error: str = Field(description="the server's answer on the last failure, or the bounce")
    sent_at: datetime | None
    finished_at: datetime | None = Field(description="when it failed for good or bounced")


class SignalsOut(Schema):
    """What gezien.analysis found in a message (null until it has been analysed)."""

    top_emotion: str | None = Field(description="the strongest emotion scoring at least 0.5, if any")
    sentiment: float = Field(description="-1..1")
    abuse: float
    churn: float
    repeat: float
    formality: str = Field(
        alias="register", description="formal, informal, mixed or unknown (the analysis' register)"
    )
    lang: str
    role: str
    layers: str
    version: str
    analysed_at: datetime
    analysis: dict[str, Any] = Field(
        description="the full result: emotions (0..1), life_events, acts, "
        "evidence [[signal, start, end, text, rule], ...] (offsets into the message text), layers"
    )

    @staticmethod
    def resolve_top_emotion(obj: MessageSignals) -> str | None:
        return obj.top_emotion or None

    @staticmethod
    def resolve_analysis(obj: MessageSignals) -> dict[str, Any]:
        return dict(obj.data)


class MessageOut(Schema):
    id: int
    author: str
    kind: str
    agent: str | None
    text: str
    start_s: float | None
    end_s: float | None
    sent_at: datetime
    signals: SignalsOut | None
    attachments: list[AttachmentOut] = Field(description="the files that came or went with the message")
    delivery: DeliveryOut | None = Field(description="an outgoing message's delivery; null for the others")

    @staticmethod
    def resolve_agent(obj: object) -> str | None:
        agent = getattr(obj, "agent", None)
        return agent.get_username() if agent else None

    @staticmethod
    def resolve_signals(obj: Message) -> MessageSignals | None:
        # Only what was loaded with the message (or stored by the inline analysis): never a query each.
        return selectors.loaded_signals(obj)

    @staticmethod
    def resolve_attachments(obj: Message) -> list[Attachment]:
        # Prefetched with the thread (never a query each); a single message reads its own.
        loaded = selectors.loaded_attachments(obj)
        return loaded if loaded is not None else list(obj.attachments.order_by("created_at", "id"))

    @staticmethod
    def resolve_delivery(obj: Message) -> Delivery | None:
        return selectors.message_delivery(obj)


class ContactOut(Schema):
    id: int
    channel: str
    status: str
    recognition: str
    customer: CustomerBrief | None
    candidates: list[int] = Field(alias="candidate_ids")
    identity_kind: str
    identity_value: str
    subject: str
    summary: str
    reason: str | None
    assigned_agent: str | None
    team: str | None
    external_id: str | None
    opened_at: datetime
    waiting_since: datetime | None
    closed_at: datetime | None
    updated_at: datetime = Field(description="when anything about the contact last changed (a message too)")

    @staticmethod
    def resolve_reason(obj: Contact) -> str | None:
        return obj.reason.code if obj.reason else None

    @staticmethod
    def resolve_assigned_agent(obj: Contact) -> str | None:
        return username_of(obj.assigned_agent)

    @staticmethod
    def resolve_team(obj: Contact) -> str | None:
        return obj.team.name if obj.team else None


class ContactDetailOut(ContactOut):
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(obj: Contact) -> list[Message]:
        # A contact just opened carries what was stored with it; reading it back would cost queries.
        stored: list[Message] | None = getattr(obj, "stored_messages", None)
        if stored is None:
            return list(obj.messages.all())
        prefetch_related_objects(stored, "attachments")  # one query for all, not one a message
        return stored


class ContactPatchIn(In):
    status: StatusLiteral | None = None
    reason: str | None = Field(default=None, max_length=60)
    summary: str | None = Field(default=None, max_length=300)
    assigned_agent: str | None = Field(default=None, max_length=150)
    team: str | None = Field(default=None, max_length=100)
    transfer_note: str = Field(default="", max_length=2000)


class LinkIn(In):
    customer_id: DbId
    remember_identity: bool = True


class ContactFilter(In):
    status: StatusLiteral | None = None
    channel: ChannelLiteral | None = None
    customer_id: DbId | None = None
    agent: str | None = None
    team: str | None = None
    recognition: Literal["recognised", "unidentified", "ambiguous", "linked"] | None = None
    opened_after: Moment | None = None
    opened_before: Moment | None = None
    updated_after: Moment | None = Field(
        default=None,
        description="only contacts changed after this moment, oldest change first: for clients that "
        "poll (pass the `updated_at` of the last contact you saw; a contact changed twice comes again)",
    )


def _team(name: str | None) -> Team | None:
    if not name:
        return None
    team = Team.objects.filter(name=name).first()
    if team is None:
        raise Invalid(_("Onbekend team: %(t)s") % {"t": name[:50]}, field="team")
    return team


def _agent(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Invalid(_("Onbekende medewerker: %(u)s") % {"u": username[:50]}, field="assigned_agent")
    return user


def _reloaded(contact: Contact) -> Contact:
    return selectors.contact_with_thread(contact.pk)


@router.post("", response={200: ContactDetailOut, 201: ContactDetailOut})
def open_contact(request: HttpRequest, payload: ContactOpenIn) -> Status[Any] | HttpResponse:
    """Open a contact with its first message; the customer is recognised from the identities.

    Retrying with the same `external_id` (an e-mail Message-ID) returns the same contact with 200.
    """
    require_perm(request, "contacts.handle_contact")
    identities = [payload.identity, *payload.identities] if payload.identity else payload.identities
    result = services.contact_open(
        channel=payload.channel,
        identities=[(i.kind, i.value) for i in identities],
        text=payload.text,
        subject=payload.subject,
        at=payload.opened_at,
        external_id=payload.external_id,
        transcript=[
            services.TranscriptTurn(t.author, t.text, t.start_s, t.end_s) for t in payload.transcript
        ],
        team=_team(payload.team),
    )
    if not result.created:
        return Status(200, _reloaded(result.contact))
    opened = _opened_out(result.contact, result.messages or [])
    if opened is not None:
        body = _RENDERER.render(request, opened, response_status=201)  # the API's renderer, as for any answer
        return HttpResponse(body, status=201, content_type=_CONTENT_TYPE)
    result.contact.stored_messages = result.messages  # type: ignore[attr-defined]
    return Status(201, result.contact)


def _opened_out(contact: Contact, messages: list[Message]) -> dict[str, Any] | None:
    """`ContactDetailOut` of a contact just opened, built directly from what was stored: the hot path
    of the API, where validating the answer through its schema cost ~0.3 ms of the ~2.5 ms. The same
    fields in the same order as the schema's (tests/api/test_contacts_api.py holds them equal); None
    where the schema has to do it (a message with signals already loaded, an agent's turn)."""
    if contact.reason_id is not None or contact.assigned_agent_id is not None or contact.closed_at:
        return None
    out_messages = []
    for message in messages:
        if message.agent_id is not None or selectors.loaded_signals(message) is not None:
            return None
        out_messages.append({
            "id": message.pk,
            "author": str(message.author),
            "kind": str(message.kind),
            "agent": None,
            "text": message.text,
            "start_s": None if message.start_s is None else float(message.start_s),
            "end_s": None if message.end_s is None else float(message.end_s),
            "sent_at": message.sent_at,
            "signals": None,
            "attachments": [],  # none yet: files are stored after the message they come with
            "delivery": None,
        })  # fmt: skip
    customer = contact.customer
    return {
        "id": contact.pk,
        "channel": str(contact.channel),
        "status": str(contact.status),
        "recognition": str(contact.recognition),
        "customer": None if customer is None else {
            "id": customer.pk,
            "customer_number": customer.customer_number,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "full_name": customer.full_name,
        },
        "candidates": list(contact.candidate_ids),
        "identity_kind": contact.identity_kind,
        "identity_value": contact.identity_value,
        "subject": contact.subject,
        "summary": contact.summary,
        "reason": None,
        "assigned_agent": None,
        "team": contact.team.name if contact.team is not None else None,
        "external_id": contact.external_id,
        "opened_at": contact.opened_at,
        "waiting_since": contact.waiting_since,
        "closed_at": None,
        "updated_at": contact.updated_at,
        "messages": out_messages,
    }  # fmt: skip


@router.get("", response=list[ContactOut])
@paginate(BoundedLimitOffset)
def list_contacts(request: HttpRequest, filters: Query[ContactFilter]) -> object:
    require_perm(request, "contacts.view_contact")
    agent_id = None
    if filters.agent:
        agent_id = User.objects.filter(username=filters.agent).values_list("pk", flat=True).first() or -1
    team = _team(filters.team)
    return selectors.contacts_filtered(
        status=filters.status,
        channel=filters.channel,
        customer_id=filters.customer_id,
        agent_id=agent_id,
        team_id=team.pk if team else None,
        recognition=filters.recognition,
        opened_after=filters.opened_after,
        opened_before=filters.opened_before,
        updated_after=filters.updated_after,
    )


@router.get("/{contact_id}", response=ContactDetailOut)
def read_contact(request: HttpRequest, contact_id: DbId) -> Contact:
    require_perm(request, "contacts.view_contact")
    try:
        contact = selectors.contact_with_thread(contact_id)
    except Contact.DoesNotExist as exc:
        raise NotFound(_("Niet gevonden.")) from exc
    audit_contact(request, "contact.view", contact)
    return contact


@router.post("/{contact_id}/messages", response={201: MessageOut, 200: MessageOut})
def add_message(request: HttpRequest, contact_id: DbId, payload: MessageIn) -> Status[Any]:
    require_perm(request, "contacts.handle_contact")
    contact = get_or_404(Contact, contact_id)
    extras = None
    if payload.cc or payload.attachment_ids:
        extras = reply_extras(contact=contact, cc=payload.cc, attachment_ids=payload.attachment_ids)
    message, created = services.message_deliver(
        contact=contact,
        author=payload.author,
        text=payload.text,
        kind=payload.kind,
        agent=current_user(request) if payload.author == "agent" else None,
        at=payload.sent_at,
        start_s=payload.start_s,
        end_s=payload.end_s,
        external_id=payload.external_id,
        status_after=payload.status_after,
        extras=extras,
    )
    if not created:  # a retry: answer with what was stored (and found) the first time
        message = selectors.message_with_signals(message.pk) or message
    else:
        audit_contact(request, "message.add", contact, kind=str(payload.kind), author=str(payload.author))
    return Status(201 if created else 200, message)


@router.post("/{contact_id}/messages/{message_id}/resend", response=MessageOut)
def resend_message(request: HttpRequest, contact_id: DbId, message_id: DbId) -> Message:
    """Send a reply whose delivery failed again ("Opnieuw versturen"): 409 unless it failed."""
    require_perm(request, "contacts.handle_contact")
    message = Message.objects.filter(pk=message_id, contact_id=contact_id).first()
    if message is None:
        raise NotFound(_("Niet gevonden."))
    delivery_retry(message=message, actor=current_user(request))
    audit_from_request(
        request,
        action="message.resend",
        object_type="message",
        object_id=message.pk,
        details={"contact_id": contact_id},
    )
    return selectors.message_with_signals(message.pk) or message


@router.patch("/{contact_id}", response=ContactDetailOut)
def change_contact(request: HttpRequest, contact_id: DbId, payload: ContactPatchIn) -> Contact:
    """Change status, reason or summary, or transfer to a colleague or team (with a note)."""
    require_perm(request, "contacts.handle_contact")
    contact = get_or_404(Contact, contact_id)
    actor = current_user(request)
    fields = payload.model_fields_set
    # Resolve every name first, then write everything in one transaction: a refused change writes nothing.
    reason = None
    if "reason" in fields and payload.reason:
        reason = ContactReason.objects.filter(code=payload.reason, active=True).first()
        if reason is None:
            raise Invalid(_("Onbekende contactreden: %(r)s") % {"r": payload.reason}, field="reason")
    to_agent = _agent(payload.assigned_agent) if payload.assigned_agent else None
    to_team = _team(payload.team)
    with transaction.atomic():
        if "reason" in fields:
            contact = handling.contact_set_reason(contact=contact, reason=reason, actor=actor)
        if "summary" in fields and payload.summary is not None:
            contact = handling.contact_set_summary(contact=contact, summary=payload.summary, actor=actor)
        if to_agent is not None or to_team is not None:
            contact = handling.contact_transfer(
                contact=contact,
                actor=actor,
                to_agent=to_agent,
                to_team=to_team,
                note=payload.transfer_note,
            )
        if payload.status:
            contact = handling.contact_set_status(contact=contact, status=payload.status, actor=actor)
        changed = sorted(fields & {"reason", "summary", "status", "assigned_agent", "team"})
        audit_contact(request, "contact.update", contact, fields=",".join(changed))
    return _reloaded(contact)


@router.post("/{contact_id}/link", response=ContactDetailOut)
def link_customer(request: HttpRequest, contact_id: DbId, payload: LinkIn) -> Contact:
    """Say who an unidentified or ambiguous contact is; the channel identity is remembered."""
    require_perm(request, "contacts.handle_contact")
    contact = get_or_404(Contact, contact_id)
    customer = Customer.objects.filter(pk=payload.customer_id).first()
    if customer is None:
        raise Invalid(_("Onbekende klant: %(id)s") % {"id": payload.customer_id}, field="customer_id")
    handling.contact_link_customer(
        contact=contact,
        customer=customer,
        actor=current_user(request),
        remember_identity=payload.remember_identity,
    )
    audit_contact(request, "contact.link", contact)
    return _reloaded(contact)
