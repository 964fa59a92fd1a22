"""Erasure (GDPR art. 17): a customer with every kind of data is erased, and then neither the database
nor the data folders hold their name, address, phone number or words; the figures count the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.test import Client

from gezien.audit.models import AuditEntry
from gezien.contacts.models import Attachment, Contact, Message, MessageSignals
from gezien.customers.models import Customer
from gezien.insights.facts import facts_rebuild_all
from gezien.insights.models import ContactFact, DailyRollup
from gezien.insights.rollups import insights_catch_up
from gezien.privacy.files import files_remove_pending
from gezien.privacy.models import ErasureRequest, FileRemoval
from tests.privacy.conftest import Loaded, database_dump, folder_text, found_in

pytestmark = pytest.mark.django_db(transaction=True)


def _figures() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every fact and rollup row, without the moments they were (re)computed at."""

    def rows(model: type[models.Model]) -> list[dict[str, Any]]:
        kept = [
            f.attname
            for f in model._meta.concrete_fields
            if not isinstance(f, models.DateTimeField | models.AutoField)
        ]
        kept += ["opened_at", "closed_at"] if model is ContactFact else []
        return sorted(model._default_manager.values(*kept), key=repr)

    insights_catch_up()
    return rows(ContactFact), rows(DailyRollup)


def test_erase_leaves_nothing_personal_in_the_database_or_the_data_folders(
    loaded: Loaded, api_as: Callable[[str], Any]
) -> None:
    folders = (loaded.files_folder, loaded.mail_folder)
    # What is there before: every needle in the database, files in both folders (the test can fail).
    assert found_in(database_dump()) == found_in("\n".join(found_in(database_dump())))
    assert set(found_in(database_dump())) >= {
        "jansen",
        "a.jansen@ziggo.nl",
        "+31612345678",
        "zwanenbloesemtaart",
    }
    assert "zwanenbloesemtaart" in folder_text(loaded.files_folder)  # the attachments and the recording
    assert "a.jansen@ziggo.nl" in folder_text(loaded.mail_folder)  # the reply, written as a mail file
    assert Attachment.objects.filter(content_type="audio/wav").exists()
    messages_before, contacts_before = Message.objects.count(), Contact.objects.count()
    figures_before = _figures()

    manager = api_as("manager")
    answer = manager.post(f"/api/customers/{loaded.customer.pk}/erase")

    assert answer.status_code == 200, answer.content
    assert answer.json_body["state"] == "done"
    assert answer.json_body["counts"]["recordings"] == 1
    assert answer.json_body["counts"]["attachments"] == 2
    assert found_in(database_dump()) == []
    assert found_in(folder_text(*folders)) == []
    assert [p for p in loaded.files_folder.rglob("*") if p.is_file()] == []
    assert FileRemoval.objects.count() == 0  # every file went after the commit
    # The figures keep their rows and counts: messages and contacts are anonymous, not gone.
    assert (Message.objects.count(), Contact.objects.count()) == (messages_before, contacts_before)
    assert set(Message.objects.values_list("text", flat=True)) == {"[verwijderd]"}
    assert MessageSignals.objects.exclude(data__evidence=[]).count() == 0
    facts_rebuild_all()
    assert _figures() == figures_before
    customer = Customer.objects.get(pk=loaded.customer.pk)
    assert (customer.full_name, customer.customer_number) == ("", f"gewist-{customer.pk}")
    # One audit entry remains, without personal data (the dump above read the audit table too).
    (entry,) = AuditEntry.objects.filter(customer_id=customer.pk, action="customer.erase")
    assert (entry.actor_name, entry.object_id, entry.details["messages"]) == (
        "User-Manager de Vries",
        str(customer.pk),
        messages_before,
    )
    # A second erasure is refused.
    again = manager.post(f"/api/customers/{loaded.customer.pk}/erase")
    assert again.status_code == 409


@pytest.mark.parametrize("role", ["agent", "teamlead"])
def test_only_managers_may_erase(customer: Customer, api_as: Callable[[str], Any], role: str) -> None:
    answer = api_as(role).post(f"/api/customers/{customer.pk}/erase")
    assert answer.status_code == 403
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen"
    assert not ErasureRequest.objects.exists()


def test_a_second_manager_approves(
    customer: Customer, api_as: Callable[[str], Any], make_user: Callable[..., Any], settings: Any
) -> None:
    from gezien.accounts.tokens import token_create
    from tests.conftest import ApiClient

    settings.GEZIEN_ERASE_APPROVERS = 2
    first = api_as("manager")
    second = ApiClient(token_create(user=make_user("tweede", "manager"))[1])

    asked = first.post(f"/api/customers/{customer.pk}/erase")
    assert asked.status_code == 202 and asked.json_body["state"] == "pending"
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen"  # nothing erased yet
    assert first.post(f"/api/customers/{customer.pk}/erase").status_code == 409  # one pending at a time
    assert first.post(f"/api/customers/{customer.pk}/erase/approve").status_code == 403  # not your own
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen"

    approved = second.post(f"/api/customers/{customer.pk}/erase/approve")

    assert approved.status_code == 200 and approved.json_body["state"] == "done"
    assert approved.json_body["approved_by"] == "tweede"
    actions = AuditEntry.objects.filter(customer_id=customer.pk).order_by("pk")
    assert [(e.action, e.actor_name) for e in actions] == [
        ("customer.erase_requested", "User-Manager de Vries"),
        ("customer.erase", "Tweede de Vries"),
    ]
    assert Customer.objects.get(pk=customer.pk).last_name == ""
    assert not customer.identities.exists()


def test_a_pending_request_can_be_withdrawn(
    customer: Customer, api_as: Callable[[str], Any], settings: Any
) -> None:
    settings.GEZIEN_ERASE_APPROVERS = 2
    manager = api_as("manager")
    manager.post(f"/api/customers/{customer.pk}/erase")
    assert manager.post(f"/api/customers/{customer.pk}/erase/cancel").json_body["state"] == "cancelled"
    assert manager.post(f"/api/customers/{customer.pk}/erase/approve").status_code == 404
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen"


def test_a_file_that_cannot_be_removed_yet_is_tried_again_on_the_tick(
    loaded: Loaded, api_as: Callable[[str], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gezien.privacy import files

    removing = files._remove_one

    def refuse_mail_files(removal: FileRemoval) -> None:
        if removal.where == FileRemoval.Where.PATH:
            raise OSError("disk away")
        removing(removal)

    monkeypatch.setattr(files, "_remove_one", refuse_mail_files)
    assert api_as("manager").post(f"/api/customers/{loaded.customer.pk}/erase").status_code == 200
    waiting = FileRemoval.objects.count()
    assert waiting >= 1  # the mails written to the mailbox's folder
    assert set(FileRemoval.objects.values_list("where", "attempts", "last_error")) == {
        ("path", 1, "disk away")
    }
    assert "a.jansen@ziggo.nl" in folder_text(loaded.mail_folder)  # still there: the disk refused
    monkeypatch.undo()

    assert files_remove_pending() == waiting

    assert FileRemoval.objects.count() == 0
    assert found_in(folder_text(loaded.files_folder, loaded.mail_folder)) == []


def test_the_command_line_erases_with_yes_only(
    customer: Customer, capsys: pytest.CaptureFixture[str]
) -> None:
    from gezien.cli import main

    assert main(["privacy", "erase", "--customer", str(customer.pk)]) == 2
    assert Customer.objects.get(pk=customer.pk).last_name == "Jansen"
    assert main(["privacy", "erase", "--customer", str(customer.pk), "--yes"]) == 0
    assert "gewist" in capsys.readouterr().out
    assert AuditEntry.objects.get(action="customer.erase").source == "cli"
    assert Customer.objects.get(pk=customer.pk).last_name == ""
    assert main(["privacy", "erase", "--customer", "999999", "--yes"]) == 2


def test_desk_pages_of_an_erased_customer_still_open(
    loaded: Loaded, api_as: Callable[[str], Any], client: Client, make_user: Callable[..., Any]
) -> None:
    api_as("manager").post(f"/api/customers/{loaded.customer.pk}/erase")
    client.force_login(make_user("kijker", "manager"))
    assert client.get(f"/customers/{loaded.customer.pk}/").status_code == 200
    page = client.get(f"/desk/contacts/{loaded.mail_contact.pk}/")
    assert page.status_code == 200
    assert b"[verwijderd]" in page.content and b"jansen" not in page.content.lower()


def test_sqlite_zeroes_what_is_overwritten_and_the_log_keeps_no_old_page(
    tmp_path: Any, settings: Any
) -> None:
    """The desk's SQLite connections run with `secure_delete`: an erased text is not left in a free part
    of the file, and after the erasure's checkpoint the write-ahead log is empty."""
    import sqlite3

    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "gezien.core.sqlite":
        pytest.skip("the file checks are SQLite's")
    path = tmp_path / "gezien.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA secure_delete=OFF")  # some builds of SQLite (Debian's) have it on already
    db.executescript(options["init_command"])
    assert db.execute("PRAGMA secure_delete").fetchone() == (1,)
    db.execute("CREATE TABLE message (id INTEGER PRIMARY KEY, text TEXT)")
    db.execute("INSERT INTO message (text) VALUES (?)", (f"Annie Jansen {'zwanenbloesemtaart ' * 20}",))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert b"zwanenbloesemtaart" in path.read_bytes()

    db.execute("UPDATE message SET text = '[verwijderd]'")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    assert b"zwanenbloesemtaart" not in path.read_bytes()
    assert (tmp_path / "gezien.sqlite3-wal").stat().st_size == 0
    db.close()
