"""The Gezien REST API (django-ninja): token auth, one router per resource, 4xx for bad input."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from gezien.api import (
    assist,
    churn,
    contacts,
    customers,
    departments,
    insights,
    knowledge,
    messages,
    planning,
    presence,
    reference,
    replies,
    resolution,
    rootcause,
    routing,
    sla,
    surveys,
    tokens,
    wellbeing,
)
from gezien.api.auth import BearerToken
from gezien.api.input import StrictParser
from gezien.core.errors import DomainError

api = NinjaAPI(
    title="Gezien API",
    version="1",
    description=(
        "Contacts, customers and what the desk remembers. Authenticate with `Authorization: Bearer <token>`."
    ),
    auth=BearerToken(),
    docs_decorator=login_required,
    urls_namespace="api",
    parser=StrictParser(),
)
api.add_router("/contacts", contacts.router)
api.add_router("/messages", messages.router)
api.add_router("/customers", customers.router)
api.add_router("/tokens", tokens.router)
api.add_router("/", assist.router)
api.add_router("/", knowledge.router)
api.add_router("/", replies.router)
api.add_router("/", routing.router)
api.add_router("/", reference.router)
# Insights (issue 5)
for _insights in (insights, sla, surveys, resolution, rootcause, departments, churn):
    api.add_router("/", _insights.router)
# Workforce (issue 6)
for _workforce in (presence, planning, wellbeing):
    api.add_router("/", _workforce.router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    loc = ["body", exc.field] if exc.field else ["body"]
    return api.create_response(
        request,
        {"detail": [{"loc": loc, "msg": exc.message, "type": type(exc).__name__}]},
        status=exc.status_code,
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # A path whose id cannot exist (not a number, beyond 64 bits) names nothing: that is a 404.
    if exc.errors and all(error.get("loc", ("",))[0] == "path" for error in exc.errors):
        return api.create_response(request, {"detail": _("Niet gevonden.")}, status=404)
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("Geen geldig API-token.")}, status=401)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": _("Het verzoek is te groot.")}, status=413)
