"""Refuse, for every API input at once, what the API does not know and what no field may hold.

- A name the operation does not declare (docs/api.md): an unknown query parameter, body field or form
  field answers 422 naming it, never silently dropped (`?customer=abc` listed every contact, `turns` for
  `transcript` opened an empty one). Body fields: the `In` base class of every input schema forbids
  extra fields, at every depth. Query parameters, form fields and a body sent to an operation that takes
  none: `refuse_unknown(api)` gives every operation of an API a check against what its signature
  declares, so that an endpoint added later is covered without doing anything.
- NUL characters (PostgreSQL text cannot store them, and no customer types one) and lone surrogates
  (JSON's "\\ud800" without its pair: not a character, and no database or encoder takes it; they gave a
  500 before). Query parameters are checked by the parser, JSON bodies by `In` (ninja turns parser
  errors on bodies into a bare 400). Both answer 422 with the field at fault."""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, model_validator

from gezien.core.errors import Invalid

# A valid pair arrives from JSON as one character above U+FFFF: any surrogate left is a lone one.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _find_bad(value: Any, path: str) -> str | None:
    """The path of the first string (or key) holding a NUL or a lone surrogate, else None."""
    if isinstance(value, str):
        return path if _UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _find_bad(key, path) or _find_bad(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_bad(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _refuse_bad(data: Any) -> None:
    field = _find_bad(data, "")
    if field is not None:
        raise Invalid(_("Dit veld bevat een ongeldig teken."), field=field or None)


class StrictParser(Parser):
    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        _refuse_bad(result)
        return result


class In(Schema):
    """Base of every API input schema: a field it does not know is refused (422 naming it), never
    silently dropped."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_unstorable(cls, data: Any) -> Any:
        # ninja may hand the raw input over wrapped in its DjangoGetter.
        field = _find_bad(data._obj if isinstance(data, DjangoGetter) else data, "")
        if field is not None:
            raise ValueError(
                _("Het veld %(field)s bevat een ongeldig teken (NUL of een losse surrogaat).")
                % {"field": field or "body"}
            )
        return data


# The name the assist's schemas knew `In` by when only bodies forbade unknown fields.
BodyIn = In


# --- names an operation does not declare ---------------------------------------------------------------


def unknown_message(name: str) -> str:
    """What a refused name is told: the same words for a query parameter, a body field, a form field."""
    return _("Onbekend veld: %(name)s. Dit endpoint kent het niet (zie /api/docs).") % {"name": name}


def _declared(operation: Operation, *sources: str) -> set[str]:
    """The names the operation's signature takes from these sources (query, form, file, body)."""
    names: set[str] = set()
    for model in operation.models:
        if model.__ninja_param_source__ not in sources:
            continue
        flat = getattr(model, "__ninja_flatten_map__", None)  # query and form: the flattened names
        multipart = getattr(model, "__ninja_body_params__", None)  # JSON parts of a multipart body
        if flat:
            names.update(flat)
        elif multipart:
            names.update(multipart)
        else:
            names.update(field.alias or name for name, field in model.model_fields.items())
    return names


def _body_declared(operation: Operation) -> bool:
    """Whether the operation reads a body: a body, form or file parameter, or one it reads itself
    (declared in its OpenAPI `requestBody`, as the uploads are, which check their own fields)."""
    if any(m.__ninja_param_source__ in ("body", "form", "file") for m in operation.models):
        return True
    return bool((operation.openapi_extra or {}).get("requestBody"))


def _unknown_body(request: HttpRequest) -> list[str] | None:
    """The field names of a body sent to an operation that takes none (None: no body, or an empty one;
    [] a body that is not an object)."""
    if (request.content_type or "").startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        names = [*request.POST, *request.FILES]
        return names or None
    try:
        raw = request.body
    except RawPostDataException:  # already read as a form by someone before us
        return None
    if not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return []
    if data is None or data == {}:
        return None
    return [str(key) for key in data] if isinstance(data, dict) else []


def unknown_error(where: str, name: str) -> dict[str, Any]:
    """ninja's error for a name the operation does not know, in `where` (query, body, form)."""
    return {"loc": (where, name), "msg": unknown_message(name), "type": "extra_forbidden"}


def _unknown_errors(
    request: HttpRequest, query: frozenset[str], form: frozenset[str] | None, takes_body: bool
) -> list[dict[str, Any]]:
    errors = [unknown_error("query", name) for name in request.GET if name not in query]
    if form is not None:  # form and file parameters: every other field of the form is refused
        fields = [*request.POST, *request.FILES]
        errors += [unknown_error("form", name) for name in fields if name not in form]
    elif not takes_body:
        names = _unknown_body(request)
        if names is not None:
            errors += [unknown_error("body", name) for name in names] or [
                {
                    "loc": ("body",),
                    "msg": _("Dit endpoint neemt geen inhoud aan; laat de body leeg."),
                    "type": "body",
                }
            ]
    return errors


def _strict(operation: Operation) -> None:
    """Wrap the operation's reading of its input (after authentication and throttling, before the
    view) with the check for names it does not declare."""
    extra = {name for auth in operation.auth_callbacks for name in getattr(auth, "query_params", ())}
    query = frozenset(_declared(operation, "query") | extra)
    has_form = any(m.__ninja_param_source__ in ("form", "file") for m in operation.models)
    form = frozenset(_declared(operation, "form", "file", "body")) if has_form else None
    takes_body = _body_declared(operation)
    read = operation._get_values

    def get_values(request: HttpRequest, path_params: Any, temporal_response: HttpResponse) -> Any:
        errors = _unknown_errors(request, query, form, takes_body)
        try:
            values = read(request, path_params, temporal_response)
        except ValidationError as exc:
            raise ValidationError([*errors, *exc.errors]) from exc
        if errors:
            raise ValidationError(errors)
        return values

    get_values.gezien_strict = True  # type: ignore[attr-defined]
    operation._get_values = get_values  # type: ignore[method-assign]


def refuse_unknown(api: NinjaAPI) -> None:
    """Give every operation of `api` the check for query parameters, form fields and bodies it does not
    declare (call it once its routers are bound: after `api.urls`). Beyond the declared names, only what
    an operation's authentication reads from the query is allowed (the widget's `?token=`)."""
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                if not getattr(operation._get_values, "gezien_strict", False):
                    _strict(operation)
