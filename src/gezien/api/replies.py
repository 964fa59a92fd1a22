"""/api/macros: standaardantwoorden (own and shared), and one written out for a contact."""

from datetime import datetime
from typing import Annotated, Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import BoundedLimitOffset, DbId, get_or_404
from gezien.api.input import In
from gezien.api.schemas import username_of
from gezien.contacts.models import Contact, ContactReason
from gezien.core.errors import Forbidden, Invalid
from gezien.replies import selectors, services
from gezien.replies.models import Macro
from gezien.replies.wording import placeholders_in

router = Router(tags=["replies"])

# Generous bounds that keep absurd input out before the services say, in Dutch, what fits.
Body = Annotated[str, Field(max_length=50_000)]
Tag = Annotated[str, Field(max_length=200)]
Code = Annotated[str, Field(max_length=60)]


class MacroIn(In):
    title: str = Field(max_length=1000)
    body_u: Body = Field(default="", description="the text for customers addressed with u")
    body_je: Body = Field(default="", description="the text for customers addressed with je")
    tags: list[Tag] = Field(default_factory=list, max_length=50)
    reasons: list[Code] = Field(default_factory=list, max_length=100, description="contact reason codes")
    shared: bool = Field(default=False, description="for everyone (team leads and up) instead of your own")


class MacroPatchIn(In):
    title: str | None = Field(default=None, max_length=1000)
    body_u: Body | None = None
    body_je: Body | None = None
    tags: list[Tag] | None = Field(default=None, max_length=50)
    reasons: list[Code] | None = Field(default=None, max_length=100)
    shared: bool | None = None


class MacroOut(Schema):
    id: int
    title: str
    body_u: str
    body_je: str
    tags: list[str]
    reasons: list[str] = Field(description="contact reason codes")
    placeholders: list[str] = Field(description="the placeholders the texts use, e.g. naam, ordernummer")
    shared: bool
    owner: str | None
    archived: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_reasons(obj: Macro) -> list[str]:
        return [reason.code for reason in obj.reasons.all()]

    @staticmethod
    def resolve_placeholders(obj: Macro) -> list[str]:
        return list(dict.fromkeys([*placeholders_in(obj.body_u), *placeholders_in(obj.body_je)]))

    @staticmethod
    def resolve_owner(obj: Macro) -> str | None:
        return username_of(obj.owner)


class MacroFilter(In):
    q: str = Field(default="", max_length=500, description="words in the title, labels or texts")
    reason: Code | None = Field(
        default=None, description="only macros for this contact reason (or its parent)"
    )
    archived: bool = False


class RenderIn(In):
    contact_id: DbId


class RenderOut(Schema):
    text: str
    variant: str = Field(description="u or je")
    why: str = Field(description="why this variant, in Dutch")
    missing: list[str] = Field(description="placeholders without a value, left in the text as [name]")


def _visible(request: HttpRequest, macro_id: int) -> Macro:
    require_perm(request, "replies.view_macro")
    macro = get_or_404(Macro, macro_id)
    if not selectors.can_see(macro, request.user):
        raise Forbidden(_("Dit standaardantwoord is van een collega."))
    return macro


def _reason(code: str | None) -> ContactReason | None:
    if not code:
        return None
    reason = ContactReason.objects.filter(code=code).first()
    if reason is None:
        raise Invalid(_("Onbekende contactreden: %(r)s") % {"r": code[:60]}, field="reason")
    return reason


@router.get("/macros", response=list[MacroOut])
@paginate(BoundedLimitOffset)
def list_macros(request: HttpRequest, filters: Query[MacroFilter]) -> object:
    """Your own macros and the shared ones, by title; `q` and `reason` narrow the list."""
    require_perm(request, "replies.view_macro")
    return selectors.macros_for(
        request.user, query=filters.q, reason=_reason(filters.reason), archived=filters.archived
    )


@router.post("/macros", response={201: MacroOut})
def create_macro(request: HttpRequest, payload: MacroIn) -> Status[Any]:
    require_perm(request, "replies.add_macro")
    macro = services.macro_create(
        actor=current_user(request),
        title=payload.title,
        body_u=payload.body_u,
        body_je=payload.body_je,
        tags=payload.tags,
        reasons=payload.reasons,
        shared=payload.shared,
    )
    return Status(201, macro)


@router.get("/macros/{macro_id}", response=MacroOut)
def read_macro(request: HttpRequest, macro_id: DbId) -> Macro:
    return _visible(request, macro_id)


@router.patch("/macros/{macro_id}", response=MacroOut)
def change_macro(request: HttpRequest, macro_id: DbId, payload: MacroPatchIn) -> Macro:
    """Change the fields given. Only your own macros; shared ones only as team lead or higher."""
    require_perm(request, "replies.change_macro")
    macro = _visible(request, macro_id)
    with transaction.atomic():
        return services.macro_update(
            macro=macro,
            actor=current_user(request),
            title=payload.title,
            body_u=payload.body_u,
            body_je=payload.body_je,
            tags=payload.tags,
            reasons=payload.reasons,
            shared=payload.shared,
        )


@router.post("/macros/{macro_id}/archive", response=MacroOut)
def archive_macro(request: HttpRequest, macro_id: DbId) -> Macro:
    require_perm(request, "replies.change_macro")
    return services.macro_archive(macro=_visible(request, macro_id), actor=current_user(request))


@router.post("/macros/{macro_id}/restore", response=MacroOut)
def restore_macro(request: HttpRequest, macro_id: DbId) -> Macro:
    require_perm(request, "replies.change_macro")
    return services.macro_archive(
        macro=_visible(request, macro_id),
        actor=current_user(request),
        archived=False,
    )


@router.post("/macros/{macro_id}/render", response=RenderOut)
def render_macro(request: HttpRequest, macro_id: DbId, payload: RenderIn) -> selectors.RenderedMacro:
    """The macro written out for a contact: the u or je variant that fits the customer, placeholders
    filled in (those without a value stay visible as [name] and are listed in `missing`)."""
    require_perm(request, "contacts.view_contact")
    macro = _visible(request, macro_id)
    contact = Contact.objects.select_related("customer", "reason").filter(pk=payload.contact_id).first()
    if contact is None:
        raise Invalid(_("Onbekend contact: %(id)s") % {"id": payload.contact_id}, field="contact_id")
    return selectors.render_for_contact(macro, contact, request.user)
