"""The API refuses what it does not know (issue 20): a query parameter, body field or form field an
operation does not declare answers 422 naming it, on every operation of both APIs (walked from their
OpenAPI schemas), and nothing is done."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pydantic import BaseModel

from gezien.accounts.models import User
from gezien.accounts.tokens import token_create
from gezien.api.main import api
from gezien.api.widget import widget_api
from gezien.chat.models import ChatWidget
from gezien.chat.services import widget_create
from gezien.contacts.models import Contact
from gezien.customers.models import Customer
from tests.attachment_data import PNG
from tests.chat.conftest import SITE, Visitor
from tests.conftest import ApiClient
from tests.test_endpoint_roles import Multipart, api_operations

pytestmark = pytest.mark.django_db

QUERY = "gezien_onbekend"
FIELD = "gezien_extra"


def _named(response: Any, where: str, name: str) -> bool:
    """Whether a 422's errors name `name` (the last step of its place, under `where`) in their words."""
    return any(
        error["loc"][0] == where and error["loc"][-1] == name and name in error["msg"]
        for error in response.json()["detail"]
    )


def test_an_unknown_filter_is_refused_not_ignored(api: ApiClient, customer: Customer) -> None:
    """`?customer=abc` listed every contact; the filter is `customer_id`."""
    api.post("/api/contacts", {"channel": "chat", "text": "Hallo"})
    response = api.get("/api/contacts?customer=abc")
    assert response.status_code == 422
    assert response.json_body["detail"] == [
        {
            "loc": ["query", "customer"],
            "msg": "Onbekend veld: customer. Dit endpoint kent het niet (zie /api/docs).",
            "type": "extra_forbidden",
        }
    ]
    assert api.get(f"/api/contacts?customer_id={customer.pk}").status_code == 200


def test_declared_parameters_paging_and_format_still_pass(
    api: ApiClient, admin_headers: dict[str, str]
) -> None:
    assert api.get("/api/contacts?status=open&limit=5&offset=0").status_code == 200
    csv = Client().get("/api/insights/summary?format=csv&from=2026-11-01&to=2026-11-30", **admin_headers)
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    not_a_figure = api.get("/api/contacts?status=open&format=csv")  # a list, not a figure: no `format`
    assert [e["loc"] for e in not_a_figure.json_body["detail"]] == [["query", "format"]]


def test_turns_instead_of_transcript_opens_nothing(api: ApiClient) -> None:
    """`turns` for `transcript` answered 201 with an empty contact."""
    response = api.post(
        "/api/contacts", {"channel": "phone", "turns": [{"author": "customer", "text": "Mijn pakket?"}]}
    )
    assert response.status_code == 422
    assert _named(response, "body", "turns")
    assert not Contact.objects.exists()


def test_an_unknown_field_deeper_in_the_body_is_named_with_its_place(api: ApiClient) -> None:
    body = {"channel": "phone", "transcript": [{"author": "customer", "text": "Hoi", "speaker": "Piet"}]}
    response = api.post("/api/contacts", body)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json_body["detail"]] == [
        ["body", "payload", "transcript", 0, "speaker"]
    ]
    assert not Contact.objects.exists()


def test_a_body_to_an_operation_that_takes_none_is_refused(api: ApiClient) -> None:
    response = api.post("/api/notifications/read-all", {"ids": [1]})
    assert response.status_code == 422
    assert _named(response, "body", "ids")
    not_an_object = api.post("/api/notifications/read-all", raw="ids=1")
    assert not_an_object.status_code == 422
    assert not_an_object.json_body["detail"][0]["loc"] == ["body"]
    # No body, an empty one, `{}` and `null` are no body at all.
    for raw in ("", "{}", "null"):
        assert api.post("/api/notifications/read-all", raw=raw).status_code == 200, raw


def test_english_names_the_field_in_english(api: ApiClient) -> None:
    response = api.client.get("/api/contacts?customer=abc", HTTP_ACCEPT_LANGUAGE="en", **api.headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "Unknown field: customer. This endpoint does not know it (see /api/docs)."
    )


def test_an_unknown_field_of_an_upload_is_refused(api: ApiClient, customer: Customer) -> None:
    contact = api.post("/api/contacts", {"channel": "chat", "text": "Hallo"}).json_body
    upload = SimpleUploadedFile("a.txt", b"hallo", "text/plain")
    response = api.client.post(
        f"/api/contacts/{contact['id']}/attachments", {"file": upload, "caption": "x"}, **api.headers
    )
    assert response.status_code == 422
    assert _named(response, "form", "caption")
    assert not Contact.objects.get(pk=contact["id"]).attachments.exists()


def test_an_unknown_field_of_a_declared_form_is_refused(admin_headers: dict[str, str]) -> None:
    """The planning's CSV uploads declare their file: the check of every operation reads the form."""
    csv = SimpleUploadedFile("acd.csv", b"datum,aantal\n", "text/csv")
    response = Client().post("/api/planning/history/csv", {"file": csv, "team": "x"}, **admin_headers)
    assert response.status_code == 422
    assert _named(response, "form", "team")


@pytest.fixture
def chat_widget(team: Any) -> ChatWidget:
    return widget_create(name="Winkel", allowed_origins=[SITE], team=team).widget


def test_the_widget_event_stream_refuses_an_unknown_parameter(chat_widget: ChatWidget) -> None:
    visitor = Visitor(chat_widget)
    visitor.start()
    visitor.say("Hallo")
    response = visitor.call("get", f"/events?token={visitor.token}&since=3")
    assert response.status_code == 422
    assert _named(response, "query", "since")
    assert response["Access-Control-Allow-Origin"] == SITE  # the page can read why


def test_the_widget_upload_refuses_an_unknown_field_and_takes_its_text(chat_widget: ChatWidget) -> None:
    visitor = Visitor(chat_widget)
    visitor.start()
    visitor.say("Hallo")

    def send(**form: str) -> Any:
        upload = SimpleUploadedFile("foto.png", PNG, "image/png")
        return visitor.client.post(
            "/widget/api/v1/attachments", {"file": upload, **form}, **visitor.headers()
        )

    refused = send(text="Zie foto", caption="x")
    assert refused.status_code == 422
    assert _named(refused, "form", "caption")
    assert send(text="Zie foto").status_code == 201


def test_every_input_schema_forbids_unknown_fields_at_every_depth() -> None:
    """Each model an operation reads a body or its query from, and each model inside one, is an `In`
    (which forbids fields it does not know): a bare `Schema` would drop them silently."""
    lax = set()

    def walk(model: type[BaseModel], seen: set[type[BaseModel]]) -> None:
        if model in seen:
            return
        seen.add(model)
        if model.model_config.get("extra") != "forbid":
            lax.add(f"{model.__module__}.{model.__qualname__}")
        for field in model.model_fields.values():
            for inner in _models_in(field.annotation):
                walk(inner, seen)

    for ninja_api in (api, widget_api):
        for bound in ninja_api._get_bound_routers():
            for path_view in bound.path_operations.values():
                for operation in path_view.operations:
                    for model in operation.models:
                        if model.__ninja_param_source__ in ("body", "query"):
                            for field in model.model_fields.values():
                                for inner in _models_in(field.annotation):
                                    walk(inner, set())
    assert not lax, f"input schemas that are not an `In` (gezien.api.input): {sorted(lax)}"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


@pytest.fixture
def admin_headers(make_user: Any) -> dict[str, str]:
    admin: User = make_user("beheerder", "admin")
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=admin, rate='100000/min')[1]}"}


def _ask(client: Client, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    path = f"{path}{'&' if '?' in path else '?'}{QUERY}=1"
    if isinstance(body, Multipart):
        form: dict[str, Any] = {n: SimpleUploadedFile(f"{n}.csv", d, "text/csv") for n, d in body.items()}
        return getattr(client, method)(path, data=form, **headers)
    if isinstance(body, dict):
        data = json.dumps({**body, FIELD: 1})
        return getattr(client, method)(path, data=data, content_type="application/json", **headers)
    return getattr(client, method)(path, **headers)


def test_every_operation_refuses_an_unknown_query_parameter_and_body_field(
    admin_headers: dict[str, str], chat_widget: ChatWidget
) -> None:
    """One request per operation, by someone allowed to call it (an admin; a widget session for the
    widget's API): an unknown query parameter, and for an operation with a JSON body a valid-enough
    body plus an unknown field. Each answers 422 naming both, before the operation does anything. (An
    upload's form is read by the upload itself, after the query was refused: its unknown fields are
    asked above.)"""
    visitor = Visitor(chat_widget)
    assert visitor.start().status_code == 201 and visitor.say("Hallo").status_code == 201
    asked = [(op, Client(), admin_headers) for op in api_operations(api, "/api").items()]
    asked += [(op, visitor.client, visitor.headers()) for op in api_operations(widget_api, "").items()]
    failures = []
    for (key, (method, path, body)), client, headers in asked:
        response = _ask(client, method, path, body, headers)
        if response.status_code != 422:
            failures.append(f"{key}: {response.status_code} {response.content[:200]!r}")
        elif not _named(response, "query", QUERY) or (
            body is not None and not isinstance(body, Multipart) and not _named(response, "body", FIELD)
        ):
            failures.append(f"{key}: 422 without naming both: {response.json()['detail']}")
    assert len(asked) > 150  # the walk found the operations (191 on 7 December 2026)
    assert not failures, "\n".join(failures)
