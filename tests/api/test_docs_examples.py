"""The README's and docs' API examples use the real names (issue 20): every `METHOD /api/...` they
mention is an operation of the OpenAPI schema, with only query parameters it declares, and every curl
example's JSON body has only fields its schema knows (the API refuses the others: docs/api.md)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from gezien.api.main import api
from gezien.api.widget import widget_api

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
METHODS = "GET|POST|PATCH|PUT|DELETE"
REFERENCE = re.compile(rf"`((?:{METHODS})(?:[|/](?:{METHODS}))*) (/(?:api|widget)/[^`\s]*)`")
# Another product's API, measured beside Gezien (docs/performance.md).
FOREIGN = {"/api/tickets/"}


def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    paths: dict[str, Any] = {}
    components: dict[str, Any] = {}
    for ninja_api in (api, widget_api):
        schema = ninja_api.get_openapi_schema()
        paths.update(schema["paths"])
        components.update(schema.get("components", {}).get("schemas", {}))
    return paths, components


def _operation(paths: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    """The operation a documented path means (`{id}`, `NAME` or a number stand for a path parameter)."""
    asked = path.strip("/").split("/")
    for template, operations in paths.items():
        parts = template.strip("/").split("/")
        same = len(parts) == len(asked) and all(
            part == word or part.startswith("{") for part, word in zip(parts, asked, strict=True)
        )
        if same and method.lower() in operations:
            return operations[method.lower()]  # type: ignore[no-any-return]
    return None


def _query_names(operation: dict[str, Any]) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def _references() -> list[tuple[str, str, str]]:
    found = []
    for doc in DOCS:
        for number, line in enumerate(doc.read_text().splitlines(), 1):
            for match in REFERENCE.finditer(line):
                url = match.group(2).replace("[", "").replace("]", "")  # "[?agent=]": optional
                if "|" in url.partition("?")[0] or "…" in url or url in FOREIGN:
                    continue  # "/api/contacts/{id}/survey|priority": several paths in one
                for method in re.split(r"[|/]", match.group(1)):
                    found.append((f"{doc.name}:{number}", method, url))
    return found


def test_every_documented_operation_and_query_parameter_exists() -> None:
    paths, _components = _schemas()
    references = _references()
    wrong = []
    for where, method, url in references:
        path, _sep, query = url.partition("?")
        operation = _operation(paths, method, path)
        if operation is None:
            wrong.append(f"{where}: no operation {method} {path}")
            continue
        names = {pair.split("=")[0] for pair in query.split("&") if pair}
        if names - _query_names(operation):
            wrong.append(
                f"{where}: {method} {path} has no query parameter {sorted(names - _query_names(operation))}"
            )
    assert len(references) > 100  # the docs were read
    assert not wrong, "\n".join(wrong)


def _unknown_fields(value: Any, schema: dict[str, Any], components: dict[str, Any], at: str) -> list[str]:
    """The fields of `value` the schema does not know, with their place."""
    if "$ref" in schema:
        return _unknown_fields(value, components[schema["$ref"].rsplit("/", 1)[-1]], components, at)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [
                _unknown_fields(value, s, components, at) for s in schema[key] if s.get("type") != "null"
            ]
            return min(options, key=len) if options else []
    if isinstance(value, dict) and "properties" in schema:
        wrong = [f"{at}.{name}" for name in value if name not in schema["properties"]]
        for name, item in value.items():
            if name in schema["properties"]:
                wrong += _unknown_fields(item, schema["properties"][name], components, f"{at}.{name}")
        return wrong
    if isinstance(value, list) and "items" in schema:
        return [w for item in value for w in _unknown_fields(item, schema["items"], components, f"{at}[]")]
    return []


def _fenced(text: str) -> list[str]:
    """The text of each fenced block (```) of a Markdown text."""
    blocks: list[str] = []
    inside: list[str] | None = None
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            if inside is None:
                inside = []
            else:
                blocks.append("\n".join(inside))
                inside = None
        elif inside is not None:
            inside.append(line)
    return blocks


def _curls() -> list[tuple[str, str, str, Any]]:
    """(where, method, path, JSON body) of each curl example in a fenced block of the docs."""
    found = []
    for doc in DOCS:
        for block in _fenced(doc.read_text()):
            for command in re.split(r"\n(?=\S)", block.replace("\\\n", " ")):
                if "curl " not in command:
                    continue
                words = shlex.split(command[command.index("curl ") :].replace("$TOKEN", "T"))
                method = words[words.index("-X") + 1] if "-X" in words else "GET"
                url = next(w for w in words if "/api/" in w and not w.startswith(("-", "Authorization")))
                body = json.loads(words[words.index("-d") + 1]) if "-d" in words else None
                path = "/" + url.split("/", 3)[3].partition("?")[0]
                found.append((doc.name, method, path, body))
    return found


def test_every_curl_example_sends_only_fields_the_api_knows() -> None:
    paths, components = _schemas()
    curls = _curls()
    wrong = []
    for where, method, path, body in curls:
        operation = _operation(paths, method, path)
        if operation is None:
            wrong.append(f"{where}: no operation {method} {path}")
            continue
        if body is not None:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            wrong += [
                f"{where}: {method} {path} has no field {f}"
                for f in _unknown_fields(body, schema, components, "")
            ]
    assert curls, "no curl example found: the README has one"
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("body", "unknown"),
    [
        ({"channel": "phone", "turns": []}, [".turns"]),
        ({"channel": "phone", "transcript": [{"who": "x"}]}, [".transcript[].who"]),
    ],
)
def test_the_field_check_finds_an_unknown_field(body: dict[str, Any], unknown: list[str]) -> None:
    paths, components = _schemas()
    schema = paths["/api/contacts"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert _unknown_fields(body, schema, components, "") == unknown
