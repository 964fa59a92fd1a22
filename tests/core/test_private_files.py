"""The database, its WAL and shared-memory files, mails written to disk and kept attachments are the
owner's only: files 0600, their folders 0700, whatever the umask the process was started with
(`gezien` sets 077 at startup, and the code that creates them sets the mode too)."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gezien.core.files import private_new_file
from gezien.mail.transport import file_send
from tests.gezien_server import BIN, GezienServer, base_env, sqlite_data_dir


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask of a shell (022): without the fix every new file was world-readable."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def test_a_new_data_folder_and_database_are_private(tmp_path: Path, open_umask: None) -> None:
    data = tmp_path / "nieuw" / "data"
    subprocess.run(
        [str(BIN / "gezien"), "migrate"],
        env=base_env(data),
        check=True,
        capture_output=True,
        timeout=300,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert mode(data) == 0o700
    assert mode(data / "gezien.sqlite3") == 0o600


def test_a_running_server_makes_its_database_wal_and_shm_private(
    tmp_path: Path, migrated_sqlite_template: Any, open_umask: None
) -> None:
    data = sqlite_data_dir(migrated_sqlite_template, tmp_path / "served")
    (data / "gezien.sqlite3").chmod(0o644)  # as an older version left it
    server = GezienServer(base_env(data), log_path=tmp_path / "server.log")
    server.start()
    try:
        status, _headers, _body = server.request("GET", "/login/")
        assert status == 200
        files = {p.name: mode(p) for p in data.iterdir() if p.name.startswith("gezien.sqlite3")}
    finally:
        server.stop()
    assert files["gezien.sqlite3"] == 0o600
    assert files.get("gezien.sqlite3-wal", 0o600) == 0o600
    assert files.get("gezien.sqlite3-shm", 0o600) == 0o600
    assert "gezien.sqlite3-wal" in files  # WAL mode: the server holds it open


def test_a_mail_written_to_disk_is_private(tmp_path: Path, open_umask: None) -> None:
    written = file_send(str(tmp_path / "uit" / "mail"), "<a1@gezien.example>", b"Subject: x\r\n\r\nHallo")
    assert mode(written) == 0o600
    assert mode(tmp_path / "uit" / "mail") == 0o700
    assert mode(tmp_path / "uit") == 0o700


def test_a_database_file_made_beside_sqlite_is_private(tmp_path: Path, open_umask: None) -> None:
    private_new_file(tmp_path / "x.sqlite3")
    assert mode(tmp_path / "x.sqlite3") == 0o600


@pytest.mark.django_db
def test_a_kept_attachment_is_private(settings: Any, tmp_path: Path, open_umask: None) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "files")
    name = storage.save("2026/12/bon.pdf", ContentFile(b"%PDF-1.4"))
    assert mode(tmp_path / "files" / name) == 0o600
    assert mode(tmp_path / "files" / "2026") == 0o700
