"""`gezien backup` and `gezien restore`: data written, an archive made, more written and removed, the
archive restored: the first state is back, in the database and in the data folder's files. On SQLite
always, on PostgreSQL in CI's PostgreSQL run (DATABASE_URL); each through the real commands."""

from __future__ import annotations

import io
import json
import os
import stat
import tarfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from gezien.cli import main
from tests.gezien_server import base_env, gezien_command, postgres_database, sqlite_data_dir

WRITE_FIRST = """
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
Customer.objects.create(customer_number="K-1", last_name="Jansen")
contact_open(channel="chat", text="Mijn internet doet het niet")
"""
WRITE_MORE = """
from gezien.contacts.models import Message
from gezien.contacts.services import contact_open
from gezien.customers.models import Customer
Customer.objects.filter(customer_number="K-1").update(last_name="Gewijzigd")
Customer.objects.create(customer_number="K-2", last_name="Bakker")
contact_open(channel="chat", text="Een tweede bericht, na de backup")
"""
SNAPSHOT = """
import io
import json
from gezien.contacts.models import Message
from gezien.customers.models import Customer
print(json.dumps({
    "customers": sorted(Customer.objects.values_list("customer_number", "last_name")),
    "messages": sorted(Message.objects.values_list("text", flat=True)),
}))
"""
AUDIT = """
import io
import json
from gezien.audit.models import AuditEntry
from gezien.audit.selectors import audit_verify
entries = AuditEntry.objects.filter(object_type="backup").order_by("id")
print(json.dumps({
    "actions": list(entries.values_list("action", "source")),
    "intact": audit_verify()[0],
}))
"""


def _snapshot(env: dict[str, str], data_dir: Path) -> dict[str, Any]:
    state = json.loads(gezien_command(env, "manage", "shell", "-c", SNAPSHOT).strip().splitlines()[-1])
    state["files"] = {
        path.relative_to(data_dir).as_posix(): path.read_text()
        for folder in ("files", "mail")
        for path in sorted((data_dir / folder).rglob("*"))
        if path.is_file()
    }
    return state


def _write_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres_too)])
def test_backup_then_restore_brings_the_first_state_back(
    database: str, tmp_path: Path, migrated_sqlite_template: Any
) -> None:
    data_dir = tmp_path / "data"
    with ExitStack() as stack:
        if database == "postgres":
            if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
                pytest.skip("PostgreSQL's round trip runs in CI's PostgreSQL run (DATABASE_URL)")
            data_dir.mkdir()
            env = base_env(data_dir, DATABASE_URL=stack.enter_context(postgres_database()))
            gezien_command(env, "migrate", "--quiet")
        else:
            env = base_env(sqlite_data_dir(migrated_sqlite_template, data_dir))
        gezien_command(env, "manage", "shell", "-c", WRITE_FIRST)
        _write_file(data_dir / "files" / "2026" / "factuur.pdf", "factuur van Jansen")
        _write_file(data_dir / "mail" / "20261207-1.log", "Subject: Uw vraag")
        first = _snapshot(env, data_dir)
        assert first["customers"] == [["K-1", "Jansen"]] and len(first["messages"]) == 1

        archive = tmp_path / "backup.tar.gz"
        printed = gezien_command(env, "backup", "--out", str(archive))
        assert str(archive) in printed
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # every customer's data: the owner's only
        with tarfile.open(archive) as tar:
            names = set(tar.getnames())
        assert {"manifest.json", "files/2026/factuur.pdf", "mail/20261207-1.log"} <= names
        assert ("database.sqlite3" if database == "sqlite" else "database.pgdump") in names

        gezien_command(env, "manage", "shell", "-c", WRITE_MORE)
        (data_dir / "files" / "2026" / "factuur.pdf").unlink()
        _write_file(data_dir / "files" / "2026" / "later.pdf", "na de backup")
        _write_file(data_dir / "mail" / "20261207-2.log", "Subject: Later")
        assert _snapshot(env, data_dir) != first

        gezien_command(env, "restore", str(archive), "--yes")
        assert _snapshot(env, data_dir) == first
        # The audit log is the backup's (its own backup.create came after the archive was made), with
        # the restore appended, and its chain intact.
        audit = json.loads(gezien_command(env, "manage", "shell", "-c", AUDIT).strip().splitlines()[-1])
        assert audit == {"actions": [["backup.restore", "cli"]], "intact": True}


def test_restore_asks_for_yes_and_changes_nothing_without_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["restore", str(tmp_path / "backup.tar.gz")]) == 2
    assert "--yes" in capsys.readouterr().err


def test_restore_refuses_what_is_not_a_backup(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(__file__, arcname="../../escape.py")
    assert main(["restore", str(bogus), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "not a Gezien backup" in err and "nothing was changed" in err
    bogus.write_bytes(b"not a tar file at all")
    assert main(["restore", str(bogus), "--yes"]) == 1
    assert "not a readable backup" in capsys.readouterr().err


def test_restore_refuses_a_damaged_database_and_changes_nothing(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    from django.db import connection

    from gezien.customers.models import Customer

    Customer.objects.create(customer_number="K-9", last_name="Blijft")
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    _write_file(tmp_path / "mail" / "kept.log", "blijft staan")
    vendor = connection.vendor
    member = "database.sqlite3" if vendor == "sqlite" else "database.pgdump"
    manifest = json.dumps({"format": "gezien-backup-1", "database": vendor, "folders": ["mail"]}).encode()
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for name, data in (("manifest.json", manifest), (member, b"SQLite format 3\x00" + b"\x07" * 4000)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    assert main(["restore", str(damaged), "--yes"]) == 1
    err = capsys.readouterr().err
    assert ("damaged" in err or "pg_restore failed" in err) and "nothing was changed" in err
    assert Customer.objects.filter(customer_number="K-9").exists()
    assert (tmp_path / "mail" / "kept.log").read_text() == "blijft staan"


def _rewritten(archive: Path, out: Path, *, drop: str = "", as_file: str = "") -> Path:
    """`archive` written again without the member `drop`, and `as_file` a plain file, not a folder."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as tar:
        for member in source.getmembers():
            if member.name == drop or member.name.startswith(f"{as_file}/"):
                continue
            tar.addfile(member, source.extractfile(member) if member.isfile() else None)
        if as_file:
            info = tarfile.TarInfo(as_file)
            info.size = 4
            tar.addfile(info, io.BytesIO(b"mail"))
    return out


@pytest.mark.parametrize("damage", ["no secret key", "a folder that is a file"])
def test_restore_refuses_an_archive_short_of_its_manifest_and_changes_nothing(
    damage: str, tmp_path: Path, migrated_sqlite_template: Any
) -> None:
    """Review finding: a manifest naming a secret key (or a folder) the archive does not hold as such was
    found out only after the database and the folders had been replaced: half a restore and a traceback."""
    data_dir = tmp_path / "data"
    env = base_env(sqlite_data_dir(migrated_sqlite_template, data_dir))
    del env["GEZIEN_SECRET_KEY"]  # the key kept in the data folder, and so in the archive
    gezien_command(env, "manage", "shell", "-c", WRITE_FIRST)
    _write_file(data_dir / "mail" / "20261207-1.log", "Subject: Uw vraag")
    archive = tmp_path / "backup.tar.gz"
    gezien_command(env, "backup", "--out", str(archive))
    with tarfile.open(archive) as tar:
        assert "secret_key" in tar.getnames()
    gezien_command(env, "manage", "shell", "-c", WRITE_MORE)
    _write_file(data_dir / "mail" / "20261207-2.log", "Subject: Later")
    later = _snapshot(env, data_dir)
    if damage == "no secret key":
        short = _rewritten(archive, tmp_path / "short.tar.gz", drop="secret_key")
    else:
        short = _rewritten(archive, tmp_path / "short.tar.gz", as_file="mail")
    with pytest.raises(RuntimeError) as refused:
        gezien_command(env, "restore", str(short), "--yes")
    assert "nothing was changed" in str(refused.value)
    assert "Traceback" not in str(refused.value)
    assert _snapshot(env, data_dir) == later


def _with_database(archive: Path, out: Path, database: Path) -> Path:
    """`archive` written again with `database` as its database."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as tar:
        for member in source.getmembers():
            if member.name == "database.sqlite3":
                tar.add(database, arcname=member.name)
            else:
                tar.addfile(member, source.extractfile(member) if member.isfile() else None)
    return out


def test_restore_refuses_a_database_that_is_not_this_gezien_s_and_changes_nothing(
    tmp_path: Path, migrated_sqlite_template: Any
) -> None:
    """Review finding: any SQLite file that read whole was restored: an empty or another program's
    database replaced the desk's (every contact gone), and one made by a newer Gezien (migrations this
    code does not know) was put under code that cannot read it."""
    import sqlite3

    data_dir = tmp_path / "data"
    env = base_env(sqlite_data_dir(migrated_sqlite_template, data_dir))
    gezien_command(env, "manage", "shell", "-c", WRITE_FIRST)
    archive = tmp_path / "backup.tar.gz"
    gezien_command(env, "backup", "--out", str(archive))
    before = _snapshot(env, data_dir)
    other = tmp_path / "other.sqlite3"
    made = sqlite3.connect(other)
    made.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    made.close()
    newer = tmp_path / "newer.sqlite3"
    with tarfile.open(archive) as tar:
        newer.write_bytes(tar.extractfile("database.sqlite3").read())  # type: ignore[union-attr]
    made = sqlite3.connect(newer)  # closed, so that a WAL is written back into the file
    with made:
        made.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('contacts', '9999_future', '2027-01-01')"
        )
    made.close()
    for database, reason in ((other, "not a Gezien database"), (newer, "contacts.9999_future")):
        wrong = _with_database(archive, tmp_path / f"{database.stem}.tar.gz", database)
        with pytest.raises(RuntimeError) as refused:
            gezien_command(env, "restore", str(wrong), "--yes")
        assert reason in str(refused.value) and "nothing was changed" in str(refused.value)
        assert _snapshot(env, data_dir) == before


def test_the_archive_and_what_a_restore_writes_are_the_owners_only(
    tmp_path: Path, migrated_sqlite_template: Any
) -> None:
    """Review finding: under an operator's usual umask (022) the archive's members were 0644 and 0755 (a
    `tar x` of it left every customer's data readable by all) and a restore left the mail and files
    folders it put back 0755."""
    data_dir = tmp_path / "data"
    env = base_env(sqlite_data_dir(migrated_sqlite_template, data_dir))
    del env["GEZIEN_SECRET_KEY"]
    gezien_command(env, "manage", "shell", "-c", WRITE_FIRST)
    _write_file(data_dir / "mail" / "2026" / "20261207-1.log", "Subject: Uw vraag")
    _write_file(data_dir / "files" / "2026" / "factuur.pdf", "factuur van Jansen")
    archive = tmp_path / "backup.tar.gz"
    before = os.umask(0o022)
    try:
        gezien_command(env, "backup", "--out", str(archive))
        with tarfile.open(archive) as tar:
            modes = {member.name: member.mode for member in tar.getmembers()}
        assert {name for name, mode in modes.items() if mode & 0o077} == set()
        gezien_command(env, "restore", str(archive), "--yes")
    finally:
        os.umask(before)
    written = [data_dir / "secret_key"]
    for folder in ("mail", "files"):
        written += [data_dir / folder, *(data_dir / folder).rglob("*")]
    assert len(written) == 7
    assert {
        str(path): oct(stat.S_IMODE(path.stat().st_mode)) for path in written if path.stat().st_mode & 0o077
    } == {}


@pytest.mark.slow
def test_a_sqlite_backup_while_the_desk_serves_and_writes_is_whole(live_desk: Any, tmp_path: Path) -> None:
    """SQLite's online backup beside a running `gezien serve` (WAL) and a client still posting."""
    import sqlite3
    import threading

    from tests.gezien_server import request

    live_desk.gezien("createuser", "agent1", "--role", "agent", "--password", "Crash-proef-wachtwoord-2026")
    token = (
        live_desk.gezien("token", "create", "--user", "agent1", "--rate", "100000/min")
        .strip()
        .splitlines()[-1]
    )
    headers = {"Authorization": f"Bearer {token}"}
    stop, answered = threading.Event(), []

    def post(number: int) -> int:
        body = {"channel": "chat", "text": f"Bericht {number}", "external_id": f"b-{number}"}
        return request(live_desk.port, "POST", "/api/contacts", body, headers)[0]

    for number in range(5):
        assert post(number) == 201

    def keep_posting() -> None:
        number = 5
        while not stop.is_set():
            answered.append(post(number))
            number += 1

    writer = threading.Thread(target=keep_posting)
    writer.start()
    try:
        archive = tmp_path / "tijdens.tar.gz"
        live_desk.gezien("backup", "--out", str(archive))
    finally:
        stop.set()
        writer.join(30)
    assert answered and set(answered) == {201}  # the desk went on answering meanwhile
    with tarfile.open(archive) as tar:
        tar.extract("database.sqlite3", tmp_path, filter="data")
    copy = sqlite3.connect(tmp_path / "database.sqlite3")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = {row[0] for row in copy.execute("SELECT text FROM contacts_message")}
    finally:
        copy.close()
    assert {f"Bericht {n}" for n in range(5)} <= texts
