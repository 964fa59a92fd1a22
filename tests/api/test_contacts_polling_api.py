"""GET /api/contacts?updated_after=...: a client that polls sees what changed since it last looked."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from gezien.accounts.models import User
from gezien.contacts import handling, services
from gezien.contacts.models import Contact
from tests.conftest import ApiClient


def _open(api: ApiClient, text: str) -> int:
    response = api.post("/api/contacts", {"channel": "chat", "text": text})
    assert response.status_code == 201, response.content
    return int(response.json_body["id"])


def _since(moment: str) -> str:
    return f"/api/contacts?updated_after={quote(moment)}"


def test_a_poll_returns_what_changed_after_the_moment_oldest_change_first(
    api: ApiClient, agent: User
) -> None:
    first, second, third = (_open(api, f"Vraag {n}") for n in range(3))
    watermark = api.get(f"/api/contacts/{third}").json_body["updated_at"]
    assert api.get(_since(watermark)).json_body["items"] == []

    # A customer message, a status change: both contacts come back, in the order they changed.
    api.post(f"/api/contacts/{second}/messages", {"author": "customer", "text": "Nog iets"})
    api.patch(f"/api/contacts/{first}", {"status": "closed"})
    body = api.get(_since(watermark)).json_body
    assert [item["id"] for item in body["items"]] == [second, first]
    assert body["count"] == 2
    assert body["items"][1]["status"] == "closed"
    assert body["items"][0]["updated_at"] <= body["items"][1]["updated_at"]
    assert set(body["items"][0]) == set(api.get("/api/contacts").json_body["items"][0])

    # The next poll, from the newest change seen, is empty again.
    assert api.get(_since(body["items"][-1]["updated_at"])).json_body["items"] == []


def test_every_change_of_a_contact_moves_its_update_time(api: ApiClient, agent: User) -> None:
    contact_id = _open(api, "Waar blijft mijn pakket?")
    contact = Contact.objects.get(pk=contact_id)
    seen = [contact.updated_at]

    def moved() -> bool:
        now = Contact.objects.get(pk=contact_id).updated_at
        grew = now > seen[-1]
        seen.append(now)
        return grew

    services.message_add(contact=contact, author="customer", text="Hallo?")  # already waiting: no field moves
    assert moved()
    handling.contact_take(contact=contact, actor=agent)
    assert moved()
    services.message_add(contact=contact, author="agent", agent=agent, text="Ik kijk het na.")
    assert moved()
    handling.contact_set_summary(contact=contact, summary="Pakket zoek", actor=agent)
    assert moved()
    handling.contact_set_status(contact=contact, status="closed", actor=agent)
    assert moved()


def test_a_poll_pages_like_the_list(api: ApiClient, agent: User) -> None:
    before = (timezone.now() - timedelta(seconds=1)).isoformat()
    ids = [_open(api, f"Vraag {n}") for n in range(5)]
    page = api.get(_since(before) + "&limit=2&offset=2").json_body
    assert page["count"] == 5
    assert [item["id"] for item in page["items"]] == ids[2:4]


@pytest.mark.parametrize(
    "value", ["gisteren", "2026-13-01T00:00:00Z", "1700000000x", "", "0001-01-01T00:00:00Z"]
)
def test_a_malformed_moment_is_refused_with_422(api: ApiClient, agent: User, value: str) -> None:
    response = api.get(_since(value))
    assert response.status_code == 422, response.content
    assert response.json_body["detail"][0]["loc"][-1] == "updated_after"
