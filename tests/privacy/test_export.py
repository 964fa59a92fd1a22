"""A subject-access request: everything about one customer in one archive, streamed."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from gezien.audit.models import AuditEntry
from gezien.contacts.models import Contact, Message
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
from gezien.privacy.exporting import customer_archive
from tests.privacy.conftest import EMAIL, PHRASE, Loaded

pytestmark = pytest.mark.django_db(transaction=True)


def _get(api: Any, path: str) -> Any:
    """A GET that may answer with a stream (the test client's ApiClient reads `content`)."""
    return api.client.get(path, **api.headers)


def _archive(response: Any) -> zipfile.ZipFile:
    assert response.streaming
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _json(archive: zipfile.ZipFile, name: str) -> Any:
    return json.loads(archive.read(name))


def test_the_archive_holds_every_kind_of_data(loaded: Loaded, api_as: Callable[[str], Any]) -> None:
    response = _get(api_as("manager"), f"/api/customers/{loaded.customer.pk}/export")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="klant-{loaded.customer.pk}.zip"'
    archive = _archive(response)
    manifest = _json(archive, "manifest.json")
    assert manifest["customer_id"] == loaded.customer.pk
    assert (
        manifest["files"]["messages.json"] == Message.objects.count()  # the chat's too (not recognised)
    )
    assert _json(archive, "customer.json")["last_name"] == "Jansen"
    assert {i["value"] for i in _json(archive, "identities.json")} >= {EMAIL, "+31612345678"}
    messages = _json(archive, "messages.json")
    assert any(m["kind"] == "note" and PHRASE in m["text"] for m in messages)  # notes are included
    assert any(m["kind"] == "transcript" and PHRASE in m["text"] for m in messages)
    assert {c["channel"] for c in _json(archive, "contacts.json")} == {"email", "phone", "chat", "webform"}
    assert _json(archive, "signals.json")  # with the evidence spans
    assert [p["text"] for p in _json(archive, "promises.json")] == ["Jansen terugbellen"]
    assert PHRASE in _json(archive, "details.json")[0]["text"]
    assert _json(archive, "surveys.json")[0]["response"]["score"] == 3
    assert _json(archive, "chat_sessions.json")[0]["email"] == EMAIL
    assert _json(archive, "webform_submissions.json")[0]["phone"] == "0612345678"
    (mail,) = _json(archive, "inbound_mails.json")
    assert EMAIL.encode() in archive.read(mail["raw"])  # the mail as it was received
    attachments = _json(archive, "attachments.json")
    assert sorted(a["recording"] for a in attachments) == [False, False, True]
    for attachment in attachments:
        assert PHRASE.encode() in archive.read(attachment["file"])  # the files as they were stored
    assert "churn_risk.json" in archive.namelist() and "matters.json" in archive.namelist()
    entry = AuditEntry.objects.get(action="customer.export")
    assert (entry.customer_id, entry.details["via"], entry.details["messages"]) == (
        loaded.customer.pk,
        "api",
        Message.objects.count(),
    )


@pytest.mark.parametrize("role", ["agent", "teamlead", "department"])
def test_only_managers_and_admins_export(customer: Customer, api_as: Callable[[str], Any], role: str) -> None:
    assert api_as(role).get(f"/api/customers/{customer.pk}/export").status_code == 403
    assert not AuditEntry.objects.filter(action="customer.export").exists()


def test_admins_export_too_and_an_unknown_customer_is_404(
    customer: Customer, api_as: Callable[[str], Any]
) -> None:
    admin = api_as("admin")
    assert _get(admin, f"/api/customers/{customer.pk}/export").status_code == 200
    assert admin.get("/api/customers/999999/export").status_code == 404


def test_the_command_line_writes_the_archive(customer: Customer, tmp_path: Path) -> None:
    from gezien.cli import main

    target = tmp_path / "inzage.zip"
    assert main(["privacy", "export", "--customer", str(customer.pk), "--out", str(target)]) == 0
    assert target.stat().st_mode & 0o077 == 0  # only its owner may read it
    with zipfile.ZipFile(target) as archive:
        assert json.loads(archive.read("customer.json"))["first_name"] == "Annie"
    assert main(["privacy", "export", "--customer", "999999", "--out", str(target)]) == 2


def test_ten_thousand_messages_are_exported_in_bounded_memory(customer: Customer, tmp_path: Path) -> None:
    contact = contact_open(channel="email", identities=[("email", EMAIL)], text="eerste").contact
    now = timezone.now()
    text = "Ik wacht nog steeds op mijn bestelling en ik ben het zat. " * 8  # ~470 characters
    Message.objects.bulk_create(
        [Message(contact=contact, author="customer", text=f"{i} {text}", sent_at=now) for i in range(10_000)],
        batch_size=2000,
    )
    target = tmp_path / "groot.zip"
    tracemalloc.start()
    try:
        with target.open("wb") as out:
            biggest = 0
            for chunk in customer_archive(Customer.objects.get(pk=customer.pk)):
                biggest = max(biggest, len(chunk))
                out.write(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 10,000 messages of ~470 characters are ~5 MB of text; batches of 500 keep the peak far below it.
    assert peak < 4_000_000, peak
    assert biggest < 1_000_000
    with zipfile.ZipFile(target) as archive:
        assert len(json.loads(archive.read("messages.json"))) == 10_001
    assert Contact.objects.filter(customer=customer).count() == 1
