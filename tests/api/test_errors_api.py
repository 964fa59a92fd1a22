"""Every refusal and failure of the API has one body: `{"detail": [{"loc": [...], "msg": ..., "type": ...}]}`
(gezien.api.schemas.ErrorOut), JSON and never the desk's HTML pages: bad tokens, missing rights, unknown
ids and paths, bodies that are not JSON, wrong types, domain refusals and our own faults (500)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from gezien.accounts.tokens import token_create
from gezien.api.main import api as ninja_api
from gezien.api.schemas import ErrorOut
from gezien.contacts import selectors
from tests.conftest import ApiClient


def assert_error_shape(response: Any, status: int) -> list[dict[str, Any]]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    ErrorOut.model_validate(body)  # detail: a list of {loc, msg, type}
    assert set(body) == {"detail"}
    assert body["detail"], body
    for item in body["detail"]:
        assert set(item) == {"loc", "msg", "type"}
        assert item["msg"]
    detail: list[dict[str, Any]] = body["detail"]
    return detail


def test_a_call_without_a_valid_token_is_refused_in_the_error_shape(db: None) -> None:
    detail = assert_error_shape(ApiClient("wrong-token").get("/api/contacts"), 401)
    assert detail[0]["loc"] == ["header", "Authorization"]
    assert_error_shape(ApiClient(None).get("/api/contacts"), 401)


def test_a_missing_right_is_refused_in_the_error_shape(api: ApiClient) -> None:
    detail = assert_error_shape(api.call("put", "/api/wellbeing/policy", {"continuous_minutes": 90}), 403)
    assert detail[0]["type"] == "Forbidden"


@pytest.mark.parametrize("path", ["/api/contacts/987654", "/api/contacts/abc", f"/api/contacts/{2**70}"])
def test_an_id_that_names_nothing_is_a_404_in_the_error_shape(api: ApiClient, path: str) -> None:
    detail = assert_error_shape(api.get(path), 404)
    assert detail[0]["msg"] == "Niet gevonden."


@pytest.mark.parametrize("path", ["/api/nergens", "/api/contacts/1/nergens", "/api/", "/api/a/b/c/"])
def test_an_unknown_path_under_api_is_a_json_404_not_the_desks_page(api: ApiClient, path: str) -> None:
    detail = assert_error_shape(api.get(path), 404)
    assert detail[0]["loc"] == ["path"]


def test_a_method_the_path_does_not_have_is_a_405_in_the_error_shape(api: ApiClient) -> None:
    response = api.delete("/api/contacts")
    detail = assert_error_shape(response, 405)
    assert detail[0]["loc"] == ["method"]
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_a_body_that_is_not_json_is_refused_in_the_error_shape(api: ApiClient) -> None:
    detail = assert_error_shape(api.post("/api/contacts", raw="{not json"), 400)
    assert detail[0]["loc"] == ["body"]


def test_a_wrong_type_names_the_field_in_the_error_shape(api: ApiClient) -> None:
    detail = assert_error_shape(api.post("/api/contacts", raw='{"channel": "chat", "text": 12}'), 422)
    assert detail[0]["loc"][-1] == "text"


def test_a_domain_refusal_names_the_field_in_the_error_shape(api: ApiClient) -> None:
    response = api.post(
        "/api/contacts", {"channel": "chat", "text": "x", "identity": {"kind": "phone", "value": "onzin"}}
    )
    assert_error_shape(response, 422)


def test_a_fault_of_ours_is_a_logged_json_500_not_an_html_page(
    agent: User, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(contact_id: int) -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr(selectors, "contact_with_thread", broken)
    _record, token = token_create(user=agent, name="test")
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/contacts/1", HTTP_AUTHORIZATION=f"Bearer {token}")
    detail = assert_error_shape(response, 500)
    assert detail[0]["type"] == "ServerError"
    assert "kapot" not in response.content.decode()  # the trace is logged, never shown
    logged = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert logged, "the 500 is logged with its traceback"
    assert "kapot" in str(logged[0].exc_info[1])  # type: ignore[index]


def test_the_openapi_schema_documents_the_error_body_on_every_operation(db: None) -> None:
    schema = ninja_api.get_openapi_schema()
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert len(operations) > 100
    for operation in operations:
        for status in ("4XX", "5XX"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, operation["operationId"]
