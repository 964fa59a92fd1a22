"""A used `external_id` with the same content is a retry (200, the stored row); with different content
it is refused with 409 and a Dutch message, and nothing of it is dropped silently or stored."""

from __future__ import annotations

import pytest

from gezien.contacts.models import Contact, Message
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_a_message_id_used_again_for_other_words_is_refused(api: ApiClient) -> None:
    contact = api.post("/api/contacts", {"channel": "chat", "text": "Hallo"}).json_body["id"]
    path = f"/api/contacts/{contact}/messages"
    first = api.post(path, {"text": "Waar blijft mijn pakket?", "external_id": "m-1"})
    assert first.status_code == 201
    again = api.post(path, {"text": "Waar blijft mijn pakket?", "external_id": "m-1"})
    assert (again.status_code, again.json_body["id"]) == (200, first.json_body["id"])
    other = api.post(path, {"text": "Ik wil opzeggen.", "external_id": "m-1"})
    assert other.status_code == 409
    assert other.json_body["detail"][0]["loc"][-1] == "external_id"
    assert "andere inhoud" in other.json_body["detail"][0]["msg"]
    note = api.post(
        path, {"author": "agent", "kind": "note", "text": "Waar blijft mijn pakket?", "external_id": "m-1"}
    )
    assert note.status_code == 409  # the same words as another kind of message are another message
    assert list(Message.objects.filter(external_id="m-1").values_list("text", flat=True)) == [
        "Waar blijft mijn pakket?"
    ]


def test_a_contact_id_used_again_for_other_words_is_refused(api: ApiClient) -> None:
    body = {"channel": "email", "text": "Mijn factuur klopt niet.", "external_id": "<a@b.example>"}
    first = api.post("/api/contacts", body)
    assert first.status_code == 201
    assert api.post("/api/contacts", body).status_code == 200
    other = api.post("/api/contacts", {**body, "text": "Graag een terugbelverzoek."})
    assert other.status_code == 409
    assert other.json_body["detail"][0]["loc"][-1] == "external_id"
    assert api.post("/api/contacts", {**body, "channel": "chat"}).status_code == 409
    assert Contact.objects.count() == 1
    assert not Message.objects.filter(text="Graag een terugbelverzoek.").exists()
