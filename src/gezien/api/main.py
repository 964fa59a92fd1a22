"""The Gezien REST API (django-ninja): token auth, one router per resource, 4xx for bad input."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from gezien.accounts.tokens import scope_areas_register
from gezien.api import (
    assist,
    attachments,
    audit,
    churn,
    coaching,
    coaching_calibration,
    coaching_examples,
    contacts,
    cti,
    customers,
    departments,
    incidents,
    insights,
    knowledge,
    mail,
    messages,
    planning,
    practice,
    presence,
    privacy,
    promises,
    recordings,
    reference,
    replies,
    resolution,
    rootcause,
    routing,
    settings,
    sla,
    surveys,
    tokens,
    transfers,
    users,
    viewers,
    webform,
    webhooks,
    wellbeing,
    widgets,
)
from gezien.api.auth import BearerToken, ScopedBearer
from gezien.api.input import StrictParser, refuse_unknown, unknown_message
from gezien.api.schemas import ErrorOut, error_body
from gezien.core.errors import DomainError, TooMany

logger = logging.getLogger("django.request")

# The assist's endpoints moved into modules of their own (promises, incidents, transfers); their OpenAPI
# operation ids stay what clients generated from the schema know.
_ASSIST_MODULES = {f"gezien.api.{name}" for name in ("promises", "incidents", "transfers")}


class GezienAPI(NinjaAPI):
    """ninja's API with every operation's errors documented: 4xx and 5xx answers carry `ErrorOut`."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        found = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(found.pop("$defs", {}))
        components["ErrorOut"] = found
        error = {
            "description": "refused or failed: what and where, in the desk's language",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault("4XX", error)
                responses.setdefault("5XX", error)
        return schema

    def get_openapi_operation_id(self, operation: Operation) -> str:
        module = operation.view_func.__module__
        if module in _ASSIST_MODULES:
            return f"gezien_api_assist_{operation.view_func.__name__}"
        return super().get_openapi_operation_id(operation)


api = GezienAPI(
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
api.add_router("/", users.router)  # issue 17: sign-in state, unlock, two-factor reset
api.add_router("/", attachments.router)  # issue 14: /contacts/{id}/attachments and /attachments/{id}
# The assist (issue 3): beside a contact, promises, incidents and notifications, warm transfers
for _assist in (assist, promises, incidents, transfers):
    api.add_router("/", _assist.router)
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
api.add_router("/", coaching.router)  # issue 19: the habit reads and the coaching queue
api.add_router("/", coaching_calibration.router)  # issue 19: calibration by team leads
api.add_router("/", coaching_examples.router)  # issue 19: the library of good examples
# E-mail (issue 14)
api.add_router("/", mail.router)
# Chat (issue 15): the widgets; the widget's own customer API is gezien.api.widget
api.add_router("/", widgets.router)
# Live and events out (issue 15)
api.add_router("/", webform.router)
api.add_router("/", webhooks.router)
api.add_router("/", viewers.router)  # who has a contact open in the desk
# Phone (issue 18): call events from a telephone system
api.add_router("/", cti.router)
api.add_router("/", recordings.router)  # call recordings and their voice analysis
# Privacy (issue 17): export, erasure, redaction
api.add_router("/", privacy.router)
api.add_router("/", audit.router)  # issue 17: the audit log
api.add_router("/", practice.router)  # issue 19: the practice room
api.add_router("/", settings.router)  # issue 20: the desk's settings


# --- errors: one body shape for every refusal and failure (gezien.api.schemas.ErrorOut) -------------------


def _error(request: HttpRequest, status: int, msg: str, *, loc: list[str | int], kind: str) -> HttpResponse:
    return api.create_response(request, error_body(msg, loc=loc, kind=kind), status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    loc: list[str | int] = ["body", exc.field] if exc.field else ["body"]
    return _error(request, exc.status_code, exc.message, loc=loc, kind=type(exc).__name__)


@api.exception_handler(TooMany)
def too_many(request: HttpRequest, exc: TooMany) -> HttpResponse:
    response = _error(request, 429, exc.message, loc=["header", "Authorization"], kind="TooMany")
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # A path whose id cannot exist (not a number, beyond 64 bits) names nothing: that is a 404.
    if exc.errors and all(error.get("loc", ("",))[0] == "path" for error in exc.errors):
        return _error(request, 404, _("Niet gevonden."), loc=["path"], kind="NotFound")
    errors = [
        {"loc": list(e.get("loc", ())), "msg": _message(e), "type": str(e.get("type", "invalid"))}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=422)


def _message(error: dict[str, Any]) -> str:
    """pydantic's message, in the desk's language for a field the schema does not know."""
    loc = error.get("loc") or ("",)
    if error.get("type") == "extra_forbidden" and loc[-1] != "body":
        return unknown_message(str(loc[-1]))
    return str(error.get("msg", ""))


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, _("Geen geldig API-token."), loc=["header", "Authorization"], kind="Unauthenticated"
    )


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, _("Het verzoek is te groot."), loc=["body"], kind="TooBig")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Niet gevonden."), loc=["path"], kind="NotFound")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's only 400: a body that is not JSON (or not the form it expects)
        return _error(
            request,
            400,
            _("De inhoud van het verzoek kon niet gelezen worden."),
            loc=["body"],
            kind="ParseError",
        )
    return _error(request, exc.status_code, str(exc.message), loc=[], kind=type(exc).__name__)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A fault of ours: logged with its traceback (and reported as Django reports one, so that the test
    client raises it), answered as JSON in the same shape as every other error."""
    logger.error(
        "Internal Server Error: %s",
        request.path,
        exc_info=exc,
        extra={"status_code": 500, "request": request},
    )
    got_request_exception.send(sender=None, request=request)
    return _error(
        request,
        500,
        _("Er ging iets mis aan onze kant; probeer het later opnieuw."),
        loc=[],
        kind="ServerError",
    )


def _json_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """ninja answers a method no operation of the path has with a bare text 405: give it the error body."""

    @functools.wraps(view)  # keeps ninja's csrf_exempt mark
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        answer = _error(
            request, 405, _("Deze methode kan hier niet."), loc=["method"], kind="MethodNotAllowed"
        )
        answer["Allow"] = response.get("Allow", "")
        return answer

    return wrapped


def _scope_operations() -> None:
    """Every operation's token must hold the scope of its area (its router's tag) for reading or writing;
    the areas are the scopes tokens may name (accounts.tokens)."""
    areas = set()
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                if not any(isinstance(callback, BearerToken) for callback in operation.auth_callbacks):
                    continue  # an operation with an authentication of its own (a signed link)
                area = (operation.tags or ["api"])[0]
                areas.add(area)
                operation.auth_callbacks = [ScopedBearer(area)]
    scope_areas_register(areas)


def api_urls() -> tuple[list[URLResolver | URLPattern], str, str]:
    """The API's URL patterns (`api.urls`), each answering a wrong method with the error body, each
    operation's token checked for the scope of its area, and each refusing names it does not declare."""
    patterns, app_name, namespace = api.urls
    _scope_operations()
    refuse_unknown(api)
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _json_not_allowed(pattern.callback)
    return patterns, app_name, namespace


def not_found_under_api(request: HttpRequest) -> HttpResponse:
    """Any path under /api/ that no endpoint has: the same JSON 404 as an unknown id, not the desk's page."""
    return _error(request, 404, _("Niet gevonden."), loc=["path"], kind="NotFound")
