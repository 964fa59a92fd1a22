"""API: who has a contact open in the desk right now (collision detection, issue 15). An integration
(a softphone, another desk) sees the same viewers the desk shows and can say its agent has the contact
open, types on it, or left it."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field, StrictInt

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import DbId, contact_or_404
from gezien.api.input import In
from gezien.contacts.viewing import Viewer, viewer_mark, viewers_of

router = Router(tags=["contacts"])

StateLiteral = Literal["open", "typing", "left"]


class ViewerOut(Schema):
    user_id: int
    name: str = Field(description="the agent's name as the desk shows it")
    state: Literal["open", "typing"]


class ViewersOut(Schema):
    viewers: list[ViewerOut] = Field(description="agents with the contact open now, the longest there first")


class ViewingIn(In):
    state: StateLiteral = Field(description="open (repeat it within 30 s to stay), typing, or left")
    read_up_to: StrictInt | None = Field(
        default=None, ge=1, description="the newest message the agent has read (a chat customer sees it)"
    )


def _out(viewers: list[Viewer]) -> dict[str, object]:
    return {"viewers": [v.event() for v in viewers]}


@router.get("/contacts/{contact_id}/viewers", response=ViewersOut)
def list_viewers(request: HttpRequest, contact_id: DbId) -> dict[str, object]:
    """The agents who have this contact open in the desk (forgotten 30 s after their last word)."""
    require_perm(request, "contacts.handle_contact")
    contact = contact_or_404(contact_id)
    return _out(viewers_of(contact.pk))


@router.post("/contacts/{contact_id}/viewers", response=ViewersOut)
def mark_viewing(request: HttpRequest, contact_id: DbId, payload: ViewingIn) -> dict[str, object]:
    """The token's agent has the contact open, types a reply, or left it; the desks on the contact
    show it at once. Answers who is on the contact now."""
    require_perm(request, "contacts.handle_contact")
    contact = contact_or_404(contact_id)
    viewers = viewer_mark(
        contact=contact, user=current_user(request), state=payload.state, read_up_to=payload.read_up_to
    )
    return _out(viewers)
