"""/api/cti/events: call events from a telephone system or a small bridge script (issue 18), in the
spirit of Zammad's generic CTI. Scope area "cti"."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from gezien.accounts.models import User
from gezien.api.auth import require_perm
from gezien.api.input import In
from gezien.core.client import client_address
from gezien.core.errors import Forbidden, Invalid, NotFound
from gezien.phone import calling
from gezien.phone.adapters.webhook import events_from
from gezien.phone.models import Call, Extension
from gezien.phone.services import EventIn, agent_named, cti_event

router = Router(tags=["cti"])


class CallEventIn(In):
    event: Literal["newCall", "answer", "hangup"]
    call_id: str = Field(min_length=1, max_length=200, description="the telephone system's id of the call")
    from_: str = Field(default="", max_length=100, alias="from", description="the calling number, as typed")
    to: str = Field(default="", max_length=100, description="the number called")
    direction: Literal["in", "out"] = "in"
    queue: str = Field(default="", max_length=100)
    user: str = Field(
        default="",
        max_length=254,
        description="the agent (username or e-mail): who answered, or who calls out",
    )
    cause: str = Field(default="", max_length=100, description="why the call ended (hangup)")
    at: datetime | None = Field(
        default=None, description="when it happened; events are ordered by it (else by arrival)"
    )

    def event_in(self) -> EventIn:
        """The event as `phone.services.cti_event` takes it (the API and `gezien cti replay`)."""
        return EventIn(
            event=self.event,
            call_id=self.call_id,
            from_=self.from_,
            to=self.to,
            direction=self.direction,
            queue=self.queue,
            user=self.user,
            cause=self.cause,
            at=self.at,
        )


class CallOut(Schema):
    id: int
    call_id: str
    direction: str
    state: str = Field(description="ringing, answered, ended or abandoned")
    from_raw: str
    to_raw: str
    number: str = Field(description="the customer's side, E.164 ('' when it is no phone number)")
    queue: str
    rang_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    duration_s: int | None
    cause: str
    customer_id: int | None
    agent: str | None
    contact_id: int | None


class EventOut(Schema):
    created: bool = Field(description="false: this event of this call was known already")
    call: CallOut


def call_out(call: Call) -> CallOut:
    return CallOut(
        id=call.pk,
        call_id=call.call_id,
        direction=call.direction,
        state=call.state,
        from_raw=call.from_raw,
        to_raw=call.to_raw,
        number=call.number,
        queue=call.queue,
        rang_at=call.rang_at,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        duration_s=call.duration_s,
        cause=call.cause,
        customer_id=call.customer_id,
        agent=call.agent.get_username() if call.agent else None,
        contact_id=call.contact_id,
    )


@router.post("/cti/events", response={200: EventOut, 201: EventOut})
def post_event(request: HttpRequest, payload: CallEventIn) -> Status[Any]:
    """One event of a call: `newCall` (ringing), `answer` (with the agent in `user`), `hangup` (with
    `cause`). A repeat of an event (same call_id and event) answers 200 and changes nothing; events may
    come in any order and give the same call."""
    require_perm(request, "contacts.handle_contact")
    result = cti_event(payload.event_in())
    return Status(
        201 if result.created else 200, EventOut(created=result.created, call=call_out(result.call))
    )


@router.get("/cti/calls/{call_id}", response=CallOut)
def get_call(request: HttpRequest, call_id: str) -> CallOut:
    """A call as its events made it, by the telephone system's call id."""
    require_perm(request, "contacts.handle_contact")
    call = Call.objects.select_related("agent").filter(call_id=call_id).first()
    if call is None:
        raise NotFound(_("Dit gesprek bestaat niet."), field=None)
    return call_out(call)


# ------------------------------------------------------------------- commands (click-to-call, transfer)

MANAGE_USERS = "accounts.manage_users"


class OriginateIn(In):
    to: str = Field(min_length=1, max_length=100, description="the number to call")
    user: str = Field(
        default="",
        max_length=254,
        description="the agent whose phone rings first (username or e-mail); default: the token's person",
    )


class CallTransferIn(In):
    to_user: str = Field(min_length=1, max_length=254, description="the colleague (username or e-mail)")
    note: str = Field(default="", max_length=2000, description="for the colleague (default: who transferred)")


def _person(name: str, field: str) -> User:
    person = agent_named(name)
    if person is None:
        raise Invalid(_("Geen medewerker met deze gebruikersnaam of dit e-mailadres."), field=field)
    return person


@router.post("/cti/calls", response={201: CallOut})
def post_call(request: HttpRequest, payload: OriginateIn) -> Status[Any]:
    """Click-to-call through the telephone system: the agent's phone rings and, picked up, dials `to`.
    503 when no telephone system is configured or it refuses; 409 when the agent has no extension."""
    require_perm(request, "contacts.handle_contact")
    me = request.user
    assert isinstance(me, User)
    agent = _person(payload.user, "user") if payload.user else me
    if agent.pk != me.pk and not me.has_perm(MANAGE_USERS):
        raise Forbidden(_("U mag alleen uw eigen toestel laten bellen."), field="user")
    call = calling.call_originate(agent=agent, to=payload.to, actor=me, source=client_address(request))
    return Status(201, call_out(call))


@router.post("/cti/calls/{call_id}/transfer", response=CallOut)
def post_transfer(request: HttpRequest, call_id: str, payload: CallTransferIn) -> CallOut:
    """Warm transfer of a call that is going on: its agent consults `to_user` (attended transfer) and the
    contact goes to them. 409 when the call is not going on or someone has no extension; 503 as above."""
    require_perm(request, "contacts.handle_contact")
    me = request.user
    assert isinstance(me, User)
    call = calling.call_by_call_id(call_id)
    if call.agent_id not in (None, me.pk) and not me.has_perm(MANAGE_USERS):
        raise Forbidden(_("Alleen wie het gesprek heeft, verbindt het door."), field="call")
    to_agent = _person(payload.to_user, "to_user")
    call = calling.call_transfer(
        call=call, to_agent=to_agent, actor=me, source=client_address(request), note=payload.note
    )
    return call_out(call)


# --------------------------------------------------------------------------- extensions


class ExtensionIn(In):
    extension: str = Field(min_length=1, max_length=40, description="the phone's extension, e.g. 201")
    interface: str = Field(
        default="",
        max_length=100,
        description="the device as the system names it (default PJSIP/<extension>)",
    )


class ExtensionOut(Schema):
    user: str
    extension: str
    interface: str


def _extension_out(found: Extension) -> ExtensionOut:
    return ExtensionOut(user=found.user.get_username(), extension=found.extension, interface=found.interface)


def _user(username: str) -> User:
    person = User.objects.filter(username=username).first()
    if person is None:
        raise NotFound(_("Deze gebruiker bestaat niet."), field=None)
    return person


@router.get("/cti/extensions", response=list[ExtensionOut])
def list_extensions(request: HttpRequest) -> list[ExtensionOut]:
    """Who answers which phone: the telephone system's extension and interface per desk person."""
    require_perm(request, "contacts.handle_contact")
    return [_extension_out(e) for e in Extension.objects.select_related("user")]


@router.put("/cti/extensions/{username}", response=ExtensionOut)
def put_extension(request: HttpRequest, username: str, payload: ExtensionIn) -> ExtensionOut:
    """Give a person their phone (administrators). 409 when another person has it."""
    require_perm(request, MANAGE_USERS)
    found = calling.extension_set(
        user=_user(username),
        extension=payload.extension,
        interface=payload.interface,
        actor=request.user if isinstance(request.user, User) else None,
        source=client_address(request),
    )
    return _extension_out(found)


@router.delete("/cti/extensions/{username}", response={204: None})
def delete_extension(request: HttpRequest, username: str) -> Status[None]:
    require_perm(request, MANAGE_USERS)
    calling.extension_remove(
        user=_user(username),
        actor=request.user if isinstance(request.user, User) else None,
        source=client_address(request),
    )
    return Status(204, None)


# --------------------------------------------------------------------------- a hosted provider's webhooks


class ProviderEventIn(In):
    type: str = Field(max_length=40, description="call.ringing, call.answered, call.ended or call.missed")
    id: str = Field(min_length=1, max_length=200)
    from_: str = Field(default="", max_length=100, alias="from")
    to: str = Field(default="", max_length=100)
    direction: Literal["inbound", "outbound"] = "inbound"
    extension: str = Field(default="", max_length=40)
    queue: str = Field(default="", max_length=100)
    reason: str = Field(default="", max_length=100)


@router.post("/cti/webhook", response=list[EventOut])
def post_webhook(request: HttpRequest, payload: ProviderEventIn) -> list[EventOut]:
    """The example hosted provider's webhook (phone/adapters/webhook.py): its event as generic events."""
    require_perm(request, "contacts.handle_contact")
    body = payload.model_dump(by_alias=True)
    found = events_from(body, lambda ext: calling.username_of(calling.agent_for_extension(ext)))
    results = [cti_event(event) for event in found]
    return [EventOut(created=r.created, call=call_out(r.call)) for r in results]
