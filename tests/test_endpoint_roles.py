"""Every endpoint × every role (issue 17): each URL pattern of the desk, each operation of both APIs (from
their OpenAPI schemas) and the admin site, asked by anonymous, a signed-in person without a role, an
agent, a team lead, a manager, an admin and a department owner. Each answers the class the table below
expects from the permission the endpoint declares: the login (302 to the login page, or 401 on the API),
403, or allowed (anything else but a 5xx). A new endpoint that is not in the table fails the test: add it
with the permission it checks.

Reads (GET) are asked by every role. Writes are asked only by the roles that must be refused, and must be
refused before anything changes (403 before the body, the id or the form is looked at); the roles that may
write are not asked, so the test changes nothing. Streams (server-sent events) are asked only by the
refused. Path ids are ids that do not exist: an allowed role gets 404, a refused one 403."""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gezien.accounts.models import User
from gezien.accounts.roles import ROLE_PERMISSIONS
from gezien.accounts.tokens import token_create
from gezien.api.main import api
from gezien.api.widget import widget_api
from tests.endpoint_roles_table import EXPECTED

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "norole", "agent", "teamlead", "manager", "admin", "department")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
NO_ID = "987654"
# Listed in the table but never asked: they end the asking client's session.
NOT_ASKED = frozenset({"logout", "admin:logout", "login_verify"})


def roles_for(rule: str) -> frozenset[str]:
    """The roles a rule of the table lets in: a permission (the roles that have it; an admin has every
    permission), "public", "signed_in", or roles listed with commas."""
    if rule == "public":
        return EVERYONE
    if rule == "signed_in":
        return SIGNED_IN
    if rule == "nobody":
        return frozenset()
    if "." in rule:
        return frozenset({role for role, perms in ROLE_PERMISSIONS.items() if rule in perms} | {"admin"})
    return frozenset(rule.split(","))


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _fill(route: str) -> str:
    """A path for a route: every parameter an id that does not exist (or a word for a text one)."""
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<app_label>(\w+)[^)]*\)", r"\1", route)  # the admin's apps: the first
    route = re.sub(r"\(\?P<\w+>[^)]*\)", NO_ID, route)
    route = re.sub(r"<(?:id|int):\w+>", NO_ID, route)
    route = re.sub(r"<(?:str|slug|path)?:?\w+>", "x", route)
    return "/" + route


def page_routes() -> dict[str, tuple[str, Any]]:
    """The desk's and the admin site's URL patterns (not the APIs': those come from their schemas) by
    key (the URL name, with "admin:" for the admin site's, else the route), with a path to ask."""
    found = {}
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "^api/", "widget/", "^widget/")):
            continue
        name = pattern.name or route
        if route.startswith("admin/"):
            name = f"admin:{pattern.name or route}"
        found[name] = (_fill(route), pattern.callback)
    return found


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A smallest value the schema accepts (enough to get past validation to the permission check)."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], components) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = schema.get("required", [])
        return {name: _example(schema["properties"][name], components) for name in required}
    if kind == "array":
        return [_example(schema.get("items", {}), components) for _ in range(schema.get("minItems", 0))]
    if kind == "integer" or kind == "number":
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        high = schema.get("maximum", schema.get("exclusiveMaximum", low + 2))
        middle = (low + high) / 2
        return int(middle) if kind == "integer" and int(middle) > low else middle
    if kind == "boolean":
        return False
    formats = {
        "date-time": "2026-03-02T10:00:00+01:00",
        "date": "2026-03-02",
        "email": "iemand@voorbeeld.nl",
        "uri": "https://voorbeeld.nl/x",
        "time": "10:00:00",
    }
    if schema.get("format") in formats:
        return formats[schema["format"]]
    return "x" * max(1, schema.get("minLength", 1))


def api_operations(ninja_api: Any, prefix: str) -> dict[str, tuple[str, str, Any]]:
    """Every operation of a NinjaAPI by key "METHOD /path", with the path to ask and a body."""
    schema = ninja_api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    found = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body: Any = None
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = _example(content["application/json"]["schema"], components)
            elif "multipart/form-data" in content:
                form = content["multipart/form-data"]["schema"]
                form = components[form["$ref"].rsplit("/", 1)[-1]] if "$ref" in form else form
                body = Multipart({name: b"datum,aantal\n" for name in form.get("properties", {})})
            asked = path
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    value = _example(parameter["schema"], components)
                    value = NO_ID if isinstance(value, int) else value
                    asked = asked.replace("{" + parameter["name"] + "}", str(value))
            found[f"{method.upper()} {path}"] = (method, asked, body)
    return found


@pytest.fixture
def clients(make_user: Any) -> dict[str, tuple[Client, dict[str, str]]]:
    """One desk client and one API header per role."""
    made: dict[str, tuple[Client, dict[str, str]]] = {"anonymous": (Client(), {})}
    for role in ROLES[1:]:
        if role == "norole":
            user = User.objects.create_user(username="zonder-rol", password="geheim-wachtwoord-1")
        else:
            user = make_user(f"rol-{role}", role)
        client = Client()
        client.force_login(user)
        made[role] = (client, {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)[1]}"})
    return made


def classify(response: Any, *, api_call: bool) -> str:
    if response.status_code >= 500:
        return "error"
    if response.status_code == 401 and api_call:
        return "login"
    if response.status_code == 302 and "/login/" in response.get("Location", ""):
        return "login"
    if response.status_code == 403:
        return "refused"
    return "allowed"


def api_keys() -> dict[str, tuple[str, str, Any]]:
    return {
        **api_operations(api, "/api"),
        **{f"WIDGET {k}": v for k, v in api_operations(widget_api, "").items()},
    }


class Multipart(dict[str, bytes]):
    """A form with files, for an operation that takes an upload."""


def _ask(role: str, clients: Any, method: str, path: str, body: Any = None) -> Any:
    client, headers = clients[role]
    if body is None:
        return getattr(client, method)(path, **headers)
    if isinstance(body, Multipart):
        files = {name: SimpleUploadedFile(f"{name}.csv", data, "text/csv") for name, data in body.items()}
        return getattr(client, method)(path, data=files, **headers)
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", **headers)


def _split(key: str) -> tuple[str, str, bool]:
    """(method, name or path, whether it is an API operation) of a key of the table."""
    widget = key.startswith("WIDGET ")
    method, name = key.removeprefix("WIDGET ").split(" ", 1)
    return method, name, widget or name.startswith("/")


def test_every_endpoint_is_in_the_table() -> None:
    """A URL pattern or an API operation the table does not know fails here: add it to
    tests/endpoint_roles_table.py with the permission it checks."""
    pages = set(page_routes())
    operations = set(api_keys())
    known_pages = {name for key in EXPECTED for _m, name, is_api in [_split(key)] if not is_api}
    missing = sorted(pages - known_pages) + sorted(operations - set(EXPECTED))
    assert not missing, (
        "Endpoints missing from tests/endpoint_roles_table.py (add each with the permission it checks; "
        f"GET for a page, POST for a form that changes something): {missing}"
    )
    gone = sorted(
        key
        for key in EXPECTED
        if (_split(key)[1] not in pages if not _split(key)[2] else key not in operations)
    )
    assert not gone, f"In tests/endpoint_roles_table.py but no longer an endpoint (remove them): {gone}"
    for key, rule in EXPECTED.items():
        if "." in rule:
            assert any(rule in perms for perms in ROLE_PERMISSIONS.values()), f"{key}: no role has {rule}"


def test_desk_views_check_the_permission_the_table_names() -> None:
    """Where a desk view declares its permission (`@requires`), the table names that permission."""
    routes = page_routes()
    wrong = []
    for key, rule in EXPECTED.items():
        _method, name, is_api = _split(key)
        declared = getattr(routes[name][1], "required_perms", ()) if not is_api else ()
        if declared and "." in rule and rule not in declared:
            wrong.append(f"{key}: table {rule}, view {declared}")
    assert not wrong, wrong


def expected_class(name: str, is_api: bool, widget: bool, role: str, allowed: frozenset[str]) -> str:
    if role in allowed:
        return "allowed"
    if role == "anonymous" or widget:
        return "login"  # the desk's login page, 401 on the API, 401 without a widget session
    if name.startswith("admin:") and role != "admin":
        return "login"  # the admin site sends everyone but staff to its own login
    return "refused"


@pytest.mark.slow  # ~2,000 requests: a minute on a loaded machine; CI runs it
def test_every_endpoint_answers_every_role_as_the_table_says(clients: Any) -> None:
    pages = page_routes()
    operations = api_keys()
    failures = []
    for key, rule in sorted(EXPECTED.items()):
        method, name, is_api = _split(key)
        if name in NOT_ASKED:
            continue
        widget = key.startswith("WIDGET ")
        allowed = roles_for(rule)
        if is_api:
            http_method, path, body = operations[key]
        else:
            http_method, path, body = ("post" if method == "POST" else "get"), pages[name][0], None
        reads = method == "GET"
        for role in ROLES:
            if role in allowed and not reads:
                continue  # a write by a role that may: not asked, so that nothing changes
            expected = expected_class(name, is_api, widget, role, allowed)
            got = classify(_ask(role, clients, http_method, path, body), api_call=is_api)
            if got != expected:
                failures.append(f"{key} as {role}: {got}, expected {expected}")
    assert not failures, "\n".join(failures)


@pytest.mark.skipif(
    not os.environ.get("GEZIEN_ROLES_PROBE"), reason="writes the table: GEZIEN_ROLES_PROBE=FILE"
)
def test_probe_write_table(clients: Any) -> None:
    """Not a test: asks everything as every role (writes too) and writes what answered to a file, as a
    starting point for the table. Run with GEZIEN_ROLES_PROBE=/tmp/table.py."""
    lines = []
    for key, (path, callback) in sorted(page_routes().items()):
        if key in NOT_ASKED:
            continue
        stream = asyncio.iscoroutinefunction(callback)
        method = "get"
        if not stream and _ask("admin", clients, "get", path).status_code == 405:
            method = "post"
        observed = {}
        for role in ROLES:
            if stream and role == "admin":
                observed[role] = "allowed"
                continue
            observed[role] = classify(_ask(role, clients, method, path), api_call=False)
        lines.append(((("STREAM" if stream else method.upper()) + " " + key), observed))
    for key, (method, path, body) in sorted(api_keys().items()):
        observed = {role: classify(_ask(role, clients, method, path, body), api_call=True) for role in ROLES}
        lines.append((key if key.startswith("WIDGET") else f"{key}", observed))
    with open(os.environ["GEZIEN_ROLES_PROBE"], "w") as out:
        for key, observed in lines:
            allowed = ",".join(r for r in ROLES if observed[r] == "allowed")
            odd = {r: o for r, o in observed.items() if o not in ("allowed", "refused", "login")}
            out.write(f"{key!r}: {allowed!r},  # {odd if odd else ''}\n")
