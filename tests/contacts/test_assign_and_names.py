"""Bad input the security review found accepted: a contact assigned to someone who cannot open it, a
department name with a line break, a digest "address" that is a list. Each is refused with 422 and
leaves nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from gezien.accounts.models import Department, User
from gezien.contacts.handling import contact_assign
from gezien.contacts.models import Contact
from gezien.core.errors import Invalid

pytestmark = pytest.mark.django_db


def test_a_contact_goes_only_to_someone_who_can_open_it(api_as: Any, make_user: Any) -> None:
    lead = api_as("teamlead")
    contact = lead.post("/api/contacts", {"channel": "chat", "text": "Waar blijft mijn pakket?"}).json_body[
        "id"
    ]
    make_user("lisa", "department")  # a department owner: reads figures, never a contact
    nobody = make_user("gast", "agent")
    nobody.groups.clear()  # an account without a role
    make_user("sanne", "agent")
    for username in ("lisa", "gast"):
        refused = lead.call("patch", f"/api/contacts/{contact}", {"assigned_agent": username})
        assert refused.status_code == 422, (username, refused.content)
        assert "kan dit contact niet openen" in refused.json_body["detail"][0]["msg"]
    assert Contact.objects.get(pk=contact).assigned_agent_id is None
    with pytest.raises(Invalid):
        contact_assign(contact=Contact.objects.get(pk=contact), agent=User.objects.get(username="lisa"))
    given = lead.call("patch", f"/api/contacts/{contact}", {"assigned_agent": "sanne"})
    assert given.status_code == 200 and given.json_body["assigned_agent"] == "sanne"


def test_a_department_has_a_one_line_name_and_one_digest_address(api_as: Any) -> None:
    manager = api_as("manager")
    base = {"code": "logistiek", "name": "Logistiek", "digest_email": "team@logistiek.example"}
    for name in ("Logistiek\nBcc: iedereen@example.com", "Logi\r\nstiek", "Logi\u2028stiek", "Logi\tstiek"):
        refused = manager.post("/api/departments", {**base, "name": name})
        assert refused.status_code == 422, name
        assert refused.json_body["detail"][0]["loc"][-1] == "name"
    for address in ("a@logistiek.example, b@logistiek.example", "a@x.example;b@x.example", "geen-adres"):
        refused = manager.post("/api/departments", {**base, "digest_email": address})
        assert refused.status_code == 422, address
        assert refused.json_body["detail"][0]["loc"][-1] == "digest_email"
    assert not Department.objects.exists()
    made = manager.post("/api/departments", base)
    assert made.status_code == 201
    assert Department.objects.get().digest_email == "team@logistiek.example"
    assert (
        manager.post("/api/departments", {**base, "code": "facturatie", "digest_email": ""}).status_code
        == 201
    )


def test_the_desk_refuses_them_too(make_user: Any, client: Any) -> None:
    client.force_login(make_user("meike", "manager"))
    client.post("/insights/reasons/", {"action": "department", "code": "x", "name": "A\nB"})
    client.post(
        "/insights/reasons/",
        {"action": "department", "code": "y", "name": "Y", "digest_email": "a@x.nl,b@x.nl"},
    )
    assert not Department.objects.exists()
    client.post(
        "/insights/reasons/", {"action": "department", "code": "z", "name": "Zuid", "digest_email": "a@x.nl"}
    )
    assert Department.objects.get().name == "Zuid"
