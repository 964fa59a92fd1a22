"""A lone surrogate ("\\ud800": JSON's escape of half a character pair) is no character, and no database
stores it: every endpoint that takes a JSON body answers 422 naming the field, as for a NUL, instead
of a 500; the chat widget's customer API too. Nothing is stored."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gezien.api.main import api as ninja_api
from gezien.contacts.models import Contact, Message
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

LONE = "\ud800"


def _json_operations() -> list[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((method, re.sub(r"\{[^}]+\}", "1", path)))
    return found


def test_every_json_endpoint_refuses_a_lone_surrogate_with_422(api_as: Any) -> None:
    admin = api_as("admin")
    operations = _json_operations()
    assert len(operations) > 40
    for method, path in operations:
        for body in ({"text": LONE}, {"note": f"a{LONE}b", "name": "x"}, {"items": [{"x": LONE}]}):
            answer = admin.call(method, path, body)
            assert answer.status_code == 422, (method, path, answer.status_code, answer.content[:300])


def test_a_message_with_a_lone_surrogate_is_refused_and_not_stored(api: ApiClient) -> None:
    opened = api.post("/api/contacts", {"channel": "chat", "text": f"Hallo {LONE}"})
    assert opened.status_code == 422
    assert "Het veld text bevat een ongeldig teken" in opened.json_body["detail"][0]["msg"]
    assert not Contact.objects.exists()
    contact = api.post("/api/contacts", {"channel": "chat", "text": "Hallo \U0001f600"})  # a valid pair
    assert contact.status_code == 201
    added = api.post(f"/api/contacts/{contact.json_body['id']}/messages", {"text": f"x{LONE}"})
    assert added.status_code == 422
    assert Message.objects.count() == 1


def test_the_chat_widget_refuses_it_too(api_as: Any) -> None:
    origin = "https://winkel.example"
    widget = api_as("admin").post("/api/widgets", {"name": "Winkel", "allowed_origins": [origin]}).json_body
    visitor = ApiClient(None)
    visitor.headers["HTTP_ORIGIN"] = origin
    session = visitor.post(f"/widget/api/v1/{widget['key']}/sessions", {"name": "Piet"})
    assert session.status_code == 201, session.content
    visitor.headers["HTTP_AUTHORIZATION"] = f"Bearer {session.json_body['token']}"
    sent = visitor.post("/widget/api/v1/messages", {"text": f"Mijn modem {LONE}"})
    assert sent.status_code == 422
    assert visitor.post(f"/widget/api/v1/{widget['key']}/sessions", {"name": LONE}).status_code == 422
    assert not Message.objects.exists()


def test_the_contact_services_refuse_it_for_the_desk_and_the_cli_too() -> None:
    from gezien.contacts.services import contact_open
    from gezien.core.errors import Invalid

    with pytest.raises(Invalid) as refused:
        contact_open(channel="chat", text=f"Hallo {LONE}")
    assert refused.value.field == "text"
    assert not Contact.objects.exists()
