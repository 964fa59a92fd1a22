"""API: the library of good examples, "Zo kan het ook" (issue 19). GET /api/coaching/examples
(`situation`, `q`), GET /api/coaching/examples/{id}, POST /api/coaching/examples (the agent on their own
contact, or their team lead or a manager, marks an agent's turn), DELETE /api/coaching/examples/{id}
(its author, team leads and managers). Every agent may read the library: the excerpts are anonymised for
the customer when they are stored."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gezien.api.auth import require_perm
from gezien.api.coaching import HabitLiteral
from gezien.api.common import DbId
from gezien.api.input import In
from gezien.api.schemas import PersonOut
from gezien.audit.log import audit_from_request
from gezien.coaching import library
from gezien.coaching.models import GoodExample

router = Router(tags=["coaching"])


class ExcerptTurnOut(Schema):
    author: Literal["customer", "agent"]
    text: str = Field(description="anonymised: [naam], [e-mail], [telefoon], [postcode], [adres], ...")


class GoodExampleOut(Schema):
    id: int
    situation: str = Field(description="boos, rouw, vijfde-contact, grof, formele-klacht or a free label")
    situation_label: str
    habit: HabitLiteral | Literal[""]
    why: str
    excerpt: list[ExcerptTurnOut] = Field(description="the customer's turn before, and the marked turn")
    turn: int
    contact_id: int | None = Field(description="null once the contact is gone")
    agent: PersonOut | None
    author: PersonOut | None
    created_at: datetime
    can_remove: bool


class ExamplesQuery(In):
    situation: str = Field("", max_length=library.SITUATION_MAX)
    q: str = Field("", max_length=200, description="words that must each occur in the excerpt or why")


class GoodExampleIn(In):
    contact_id: DbId
    turn: int = Field(ge=0, description="the agent's turn, its index in the conversation (as in a read)")
    situation: str = Field(min_length=1, max_length=library.SITUATION_MAX)
    why: str = Field(min_length=1, max_length=library.WHY_MAX)
    habit: HabitLiteral | Literal[""] = ""


def _out(request: HttpRequest, example: GoodExample) -> dict[str, Any]:
    return {
        **{f: getattr(example, f) for f in ("id", "situation", "habit", "why", "excerpt", "turn")},
        "situation_label": library.situation_label(example.situation),
        "contact_id": example.contact_id,
        "agent": example.agent,
        "author": example.author,
        "created_at": example.created_at,
        "can_remove": library.may_remove(request.user, example),
    }


@router.get("/coaching/examples", response=list[GoodExampleOut])
def examples(request: HttpRequest, query: Query[ExamplesQuery]) -> Any:
    """The library, newest first: by situation and words."""
    found = library.examples_search(request.user, situation=query.situation, q=query.q)
    return [_out(request, e) for e in found.examples]


@router.get("/coaching/examples/{example_id}", response=GoodExampleOut)
def example(request: HttpRequest, example_id: DbId) -> Any:
    return _out(request, library.example_get(request.user, example_id))


@router.post("/coaching/examples", response={201: GoodExampleOut})
def example_mark(request: HttpRequest, body: GoodExampleIn) -> Any:
    """Mark an agent's turn of a closed contact as exemplary; the excerpt is stored anonymised."""
    made = library.example_mark(
        actor=request.user,
        contact_id=body.contact_id,
        turn=body.turn,
        situation=body.situation,
        why=body.why,
        habit=body.habit,
    )
    audit_from_request(
        request,
        action="coaching.example_create",
        object_type="contact",
        object_id=body.contact_id,
        details={"example": made.pk},
    )
    return Status(201, _out(request, made))


@router.delete("/coaching/examples/{example_id}", response={204: None})
def example_remove(request: HttpRequest, example_id: DbId) -> Any:
    """Its author, a team lead or a manager removes an example."""
    require_perm(request, "coaching.view_own_reads")
    library.example_remove(actor=request.user, example_id=example_id)
    audit_from_request(
        request, action="coaching.example_delete", object_type="coaching_example", object_id=example_id
    )
    return Status(204, None)
