"""What the desk and the API write to the audit log: reads and changes of customer data, one entry each,
with who and from where; nothing for a refused change, nothing for the widget's customer side."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gezien.audit.models import AuditEntry
from gezien.contacts.services import contact_open

pytestmark = pytest.mark.django_db


def _last_id() -> int:
    """The newest entry before the test's own requests (making a token is itself audited)."""
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


def _entries(after: int = 0, **filters: Any) -> list[tuple[str, str, str, int | None]]:
    return [
        (e.action, e.object_type, e.object_id, e.customer_id)
        for e in AuditEntry.objects.filter(id__gt=after, **filters).order_by("id")
    ]


@pytest.fixture
def contact(customer: Any) -> Any:
    return contact_open(
        channel="email", identities=[("email", "a.jansen@ziggo.nl")], text="Mijn factuur klopt niet"
    ).contact


def test_the_contact_page_is_one_entry_with_the_person_and_address(
    desk: Client, agent: Any, contact: Any
) -> None:
    assert desk.get(f"/desk/contacts/{contact.pk}/", REMOTE_ADDR="192.0.2.7").status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.customer_id) == (
        "contact.view",
        str(contact.pk),
        contact.customer_id,
    )
    assert (entry.actor_id, entry.actor_name, entry.source) == (agent.pk, "Sanne de Vries", "192.0.2.7")


def test_desk_changes_are_recorded_and_a_refused_one_is_not(
    desk: Client, contact: Any, customer: Any
) -> None:
    desk.post(f"/desk/contacts/{contact.pk}/status/", {"status": "waiting_customer"})
    desk.post(f"/desk/contacts/{contact.pk}/status/", {"status": "no-such-status"})  # refused
    desk.post(f"/desk/contacts/{contact.pk}/summary/", {"summary": "Factuur te hoog"})
    desk.post(f"/desk/contacts/{contact.pk}/take/")
    desk.post(f"/customers/{customer.pk}/edit/", {"first_name": "Anna", "last_name": "Jansen"})
    desk.post(f"/customers/{customer.pk}/identities/", {"kind": "phone", "value": "0201234567"})
    assert _entries() == [
        ("contact.update", "contact", str(contact.pk), customer.pk),
        ("contact.update", "contact", str(contact.pk), customer.pk),
        ("contact.assign", "contact", str(contact.pk), customer.pk),
        ("customer.update", "customer", str(customer.pk), customer.pk),
        ("customer.update", "customer", str(customer.pk), customer.pk),
    ]
    fields = [e.details.get("field") for e in AuditEntry.objects.order_by("id")]
    assert fields == ["status", "summary", None, "name", "identity"]


def test_the_customer_page_and_search(desk: Client, customer: Any) -> None:
    desk.get(f"/customers/{customer.pk}/")
    desk.get("/customers/?q=Jansen")
    desk.get("/customers/")  # the empty search page shows nobody: nothing to record
    assert _entries() == [
        ("customer.view", "customer", str(customer.pk), customer.pk),
        ("customer.search", "customer", "", None),
    ]
    search = AuditEntry.objects.get(action="customer.search")
    assert search.details == {"hits": 1}  # how many, never what was searched for


def test_api_reads_and_changes(api: Any, contact: Any, customer: Any) -> None:
    start = _last_id()
    assert api.get(f"/api/contacts/{contact.pk}").status_code == 200
    assert api.get(f"/api/customers/{customer.pk}").status_code == 200
    message_id = contact.messages.get().pk
    assert api.get(f"/api/messages/{message_id}").status_code == 200
    assert api.patch(f"/api/contacts/{contact.pk}", {"status": "waiting_customer"}).status_code == 200
    assert api.patch(f"/api/contacts/{contact.pk}", {"status": "nonsense"}).status_code == 422
    assert (
        api.post(
            f"/api/contacts/{contact.pk}/messages",
            {"author": "agent", "kind": "note", "text": "Factuur nagekeken."},
        ).status_code
        == 201
    )
    assert api.get("/api/contacts").status_code == 200  # a list: not recorded
    assert [a for a, *_ in _entries(start)] == [
        "contact.view", "customer.view", "message.view", "contact.update", "message.add",
    ]  # fmt: skip
    assert {c for *_, c in _entries(start)} == {customer.pk}
    assert AuditEntry.objects.get(action="contact.update").details == {"fields": "status"}


def test_a_read_of_something_missing_or_refused_writes_nothing(api: Any, api_as: Any, contact: Any) -> None:
    refused = api_as("department")
    start = _last_id()
    assert api.get("/api/contacts/999999").status_code == 404
    assert refused.get(f"/api/contacts/{contact.pk}").status_code == 403
    assert _entries(start) == []


def test_the_admin_site_records_its_saves(client: Client, make_user: Any, agent: Any) -> None:
    admin = make_user("beheer", "admin")
    client.force_login(admin)
    response = client.post("/admin/accounts/team/add/", {"name": "Team Zuid"}, REMOTE_ADDR="198.51.100.3")
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.actor_id, entry.source) == (
        "team.create", "accounts.team", admin.pk, "198.51.100.3",
    )  # fmt: skip
    assert entry.details["admin"] is True


def test_a_settings_form_saved_in_the_desk_is_recorded_and_a_refused_one_is_not(
    client: Client, make_user: Any
) -> None:
    client.force_login(make_user("beheer", "admin"))
    client.post("/desk/webhooks/new/", {"url": "niet een adres", "events": ["contact.created"]})  # refused
    response = client.post(
        "/desk/webhooks/new/", {"url": "https://crm.voorbeeld.nl/hooks/gezien", "events": ["contact.created"]}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.details) == (
        "settings.change", "webhook_subscription", {"view": "webhook_new"},
    )  # fmt: skip
