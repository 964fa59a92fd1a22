"""Schemas and helpers shared by the API's resource modules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, Field

from gezien.accounts.models import Team
from gezien.api.input import In
from gezien.contacts.attachments import contacts_visible_to
from gezien.contacts.models import Contact
from gezien.core.errors import Invalid, NotFound
from gezien.core.timebounds import check_moment
from gezien.customers.models import Customer

IdentityKindLiteral = Literal["phone", "email", "chat", "customer_number", "address"]


class IdentityIn(In):
    kind: IdentityKindLiteral
    value: str = Field(min_length=1, max_length=320)


class IdentityOut(Schema):
    id: int
    kind: str
    value: str
    display: str
    created_at: datetime


class CustomerBrief(Schema):
    id: int
    customer_number: str
    first_name: str
    last_name: str
    full_name: str

    @staticmethod
    def resolve_full_name(obj: Customer) -> str:
        return obj.full_name


M = TypeVar("M", bound=Model)


def team_by_name(name: str | None) -> Team | None:
    """A team named in a request (None for none given), or `Invalid` naming the field `team`."""
    if not name:
        return None
    team = Team.objects.filter(name=name).first()
    if team is None:
        raise Invalid(_("Onbekend team: %(t)s") % {"t": name[:100]}, field="team")
    return team


def get_or_404(model: type[M], pk: int) -> M:
    return find_or_404(model._default_manager.all(), pk, _("Niet gevonden."))


def contact_or_404(contact_id: int) -> Contact:
    """A contact with its customer and agent, or a 404."""
    return find_or_404(
        Contact.objects.select_related("customer", "assigned_agent"),
        contact_id,
        _("Dit contact bestaat niet."),
    )


# The largest primary key the databases can hold (signed 64-bit); larger ids cannot exist.
MAX_ID = 2**63 - 1
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]


def visible_contact_or_404(request: HttpRequest, contact_id: int) -> Contact:
    """A contact the requesting person may see (`contacts_visible_to`), or a 404: one they may not see
    is told as not there."""
    return find_or_404(contacts_visible_to(request.user), contact_id, _("Dit contact bestaat niet."))


def find_or_404(queryset: QuerySet[M], pk: int, message: str) -> M:
    """One object of `queryset` by id (a `DbId`, so one a database can hold), or a 404 with `message`."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(message)
    return found


class BoundedLimitOffset(LimitOffsetPagination):
    """Limit/offset paging whose numbers stay inside what a database can count."""

    class Input(In):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=MAX_ID // 2)


def _sane_moment(value: datetime) -> datetime:
    try:
        return check_moment(value, field=None)
    except Invalid as exc:  # pydantic reports ValueErrors with the field's location
        raise ValueError(exc.message) from exc


# A date-time a person could mean: aware (naive ones are read as Amsterdam time), years 1901-2099.
Moment = Annotated[datetime, AfterValidator(_sane_moment)]


def schema_fields(obj: object, schema: type[Schema]) -> dict[str, Any]:
    """The schema's fields read off an object whose attributes carry the same names."""
    return {name: getattr(obj, name) for name in schema.model_fields}
