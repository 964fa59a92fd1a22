"""/api/cti/events: call events from a telephone system or a small bridge script (issue 18), in the
spirit of Zammad's generic CTI. Scope area "cti"."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from gezien.api.auth import require_perm
from gezien.api.input import In
from gezien.core.errors import NotFound
from gezien.phone.models import Call
from gezien.phone.services import EventIn, cti_event

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
