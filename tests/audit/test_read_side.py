"""Reading the audit log: the desk page (admins), its CSV export (itself audited), GET /api/audit and
`gezien audit list` / `gezien audit verify`."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from gezien.audit.chain import audit_seal
from gezien.audit.log import audit_record
from gezien.audit.models import AuditEntry
from gezien.cli import main

pytestmark = pytest.mark.django_db


def _write(n: int, *, customer_id: int | None = 3, actor_id: int = 7, action: str = "contact.view") -> None:
    for i in range(n):
        audit_record(
            action=action,
            actor_id=actor_id,
            actor_name="Sanne de Vries",
            source="127.0.0.1",
            object_type="contact",
            object_id=i,
            customer_id=customer_id,
        )


def _break_entry(entry_id: int) -> None:
    """Change an entry the way only someone with the database owner's rights could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        cursor.execute("UPDATE audit_auditentry SET actor_name = 'Niemand' WHERE id = %s", [entry_id])


@pytest.fixture
def admin_desk(client: Client, make_user: Any) -> Client:
    client.force_login(make_user("beheer", "admin", first_name="Ada", last_name="Beheer"))
    return client


def test_admins_read_the_log_newest_first_with_the_chain_state(admin_desk: Client) -> None:
    _write(3)
    response = admin_desk.get("/beheer/auditlog/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Keten intact" in page
    ids = list(AuditEntry.objects.order_by("-id").values_list("pk", flat=True))
    positions = [page.index(f'data-testid="audit-entry-{pk}"') for pk in ids]
    assert positions == sorted(positions)


def test_the_page_says_where_the_chain_is_broken(admin_desk: Client) -> None:
    _write(3)
    audit_seal()
    second = AuditEntry.objects.get(seq=2)
    _break_entry(second.pk)
    page = admin_desk.get("/beheer/auditlog/").content.decode()
    assert f"Keten verbroken bij #{second.pk}" in page


def test_the_desk_filters_and_pages(admin_desk: Client) -> None:
    _write(55, customer_id=3)
    _write(2, customer_id=4, action="customer.view")
    first = admin_desk.get("/beheer/auditlog/?klant=3").content.decode()
    assert first.count('data-testid="audit-entry-') == 50 and "Pagina 1 van 2" in first
    assert admin_desk.get("/beheer/auditlog/?klant=3&page=2").content.decode().count("audit-entry-") == 5
    only = admin_desk.get("/beheer/auditlog/?actie=customer.view").content.decode()
    assert only.count('data-testid="audit-entry-') == 2
    assert admin_desk.get("/beheer/auditlog/?klant=abc").status_code == 422


def test_the_csv_export_is_itself_audited(admin_desk: Client) -> None:
    _write(2, customer_id=4)
    response = admin_desk.get("/beheer/auditlog/?klant=4&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "at", "actor_id"]
    assert [row[5] for row in rows[1:]] == ["audit.export", "contact.view", "contact.view"]  # itself first
    export = AuditEntry.objects.get(action="audit.export")
    assert (export.actor_name, export.customer_id, export.details) == (
        "Ada Beheer",
        4,
        {"filters": "klant=4"},
    )


def test_only_admins_open_the_page(client: Client, make_user: Any) -> None:
    for role in ("agent", "teamlead", "manager", "department"):
        client.force_login(make_user(f"p-{role}", role))
        assert client.get("/beheer/auditlog/").status_code == 403, role


def test_the_api_lists_filters_and_pages_for_admins_only(api_as: Any) -> None:
    _write(3, customer_id=3)
    _write(2, customer_id=4, actor_id=9)
    admin = api_as("admin")
    body = admin.get("/api/audit?customer_id=4").json_body
    assert body["count"] == 2 and [i["customer_id"] for i in body["items"]] == [4, 4]
    assert body["items"][0]["id"] > body["items"][1]["id"]  # newest first
    assert body["items"][0]["hash"]  # read entries are sealed into the chain
    assert admin.get("/api/audit?actor_id=9&limit=1").json_body["count"] == 2
    assert len(admin.get("/api/audit?limit=1&offset=1").json_body["items"]) == 1
    assert admin.get("/api/audit?action=contact.").json_body["count"] == 5
    assert admin.get("/api/audit?since=2090-01-01T00:00:00Z").json_body["count"] == 0
    assert api_as("manager").get("/api/audit").status_code == 403


def test_the_command_lists_and_verifies(capsys: pytest.CaptureFixture[str]) -> None:
    _write(2, customer_id=3)
    _write(1, customer_id=4)
    assert main(["audit", "list", "--customer", "3", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["customer_id"] for line in lines] == [3, 3]
    assert main(["audit", "list"]) == 0
    assert "contact.view" in capsys.readouterr().out
    assert main(["audit", "verify"]) == 0
    assert "Keten intact" in capsys.readouterr().out
    _break_entry(AuditEntry.objects.order_by("id").first().pk)  # type: ignore[union-attr]
    assert main(["audit", "verify"]) == 1
    assert "Keten verbroken bij #" in capsys.readouterr().err
