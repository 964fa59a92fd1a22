"""`gezien backup` and `gezien restore`: the database and the data folder's files in one archive.

The archive is a gzipped tar (readable by the owner only: it holds every customer's data) with
- `manifest.json`: format, when, which database, which folders;
- `database.sqlite3` (SQLite, copied with SQLite's online backup API: a consistent copy while the desk
  keeps serving and writing) or `database.pgdump` (PostgreSQL, `pg_dump --format=custom`: one snapshot);
- `files/` (attachments, when they are kept on disk), `mail/` (mails written to disk), `heads/` (the
  learned layer's refitted heads) and `secret_key` (the stored key that signs survey links and sessions).

A restore checks the whole archive before it changes anything (its manifest, that the database is of the
kind configured, that no member leaves its folder), restores the database (SQLite's backup API into the
database file; `pg_restore --clean --single-transaction`: all or nothing) and then puts each folder back
as it was in the archive, files written since removed. Serving processes and workers are stopped first
(deploy/README.md): a restore under a running desk would mix two states.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections

FORMAT = "gezien-backup-1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
FOLDERS = ("files", "mail", "heads")
KEY_MEMBER = "secret_key"


class BackupError(Exception):
    """A backup or restore that cannot be done (nothing was changed); the message says why."""


@dataclass
class BackupReport:
    path: Path
    database: str
    files: dict[str, int] = field(default_factory=dict)  # folder -> files in the archive
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        counted = ", ".join(f"{name}: {count}" for name, count in self.files.items())
        lines = [f"{self.path} ({self.database}; files {counted or 'none'})", *self.notes]
        return "\n".join(lines)


def _vendor() -> str:
    vendor = connections["default"].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup for a {vendor} database (SQLite and PostgreSQL only)")
    return vendor


def _folders() -> dict[str, Path | None]:
    """Where each archived folder lives here (None: not kept on this machine)."""
    storage = storages["default"]
    files = Path(storage.location) if isinstance(storage, FileSystemStorage) else None
    return {
        "files": files,
        "mail": Path(str(settings.EMAIL_FILE_PATH)),
        "heads": Path(settings.GEZIEN_MODEL_DIR),
    }


def _key_path() -> Path:
    return Path(settings.DATA_DIR) / "secret_key"


def _pg_env() -> tuple[dict[str, str], str]:
    """libpq's variables for the configured database (the password never on a command line)."""
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env, str(db["NAME"])


def _run(argv: list[str], env: dict[str, str]) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupError(
            f"{argv[0]} is not installed (the PostgreSQL client tools: apt-get install postgresql-client)"
        )
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603 -- our argv
    if done.returncode != 0:
        raise BackupError(f"{argv[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def default_archive_path(now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"gezien-{stamp}.tar.gz"


def backup_write(out: Path | None = None) -> BackupReport:
    """Write the archive to `out` (default: DATA_DIR/backups/gezien-<UTC time>.tar.gz), whole or not at
    all: written beside it under a temporary name and renamed when complete."""
    vendor = _vendor()
    out = (out or default_archive_path()).resolve()
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    report = BackupReport(path=out, database=vendor)
    folders = _folders()
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".gezien-backup-") as work:
        dump = Path(work) / (SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER)
        if vendor == "sqlite":
            _sqlite_copy(Path(str(settings.DATABASES["default"]["NAME"])), dump)
        else:
            env, name = _pg_env()
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), name],
                env,
            )
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "database": vendor,
            "folders": sorted(name for name, path in folders.items() if path is not None),
            "secret_key": _key_path().is_file(),
        }
        partial = Path(work) / "archive.tar.gz"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name)
            for name, path in folders.items():
                if path is None:
                    report.notes.append(f"{name}: not on this machine (an S3 bucket): back it up there")
                    continue
                report.files[name] = _add_folder(tar, path, name, skip=(out, Path(work)))
            if manifest["secret_key"]:
                tar.add(_key_path(), arcname=KEY_MEMBER)
        os.replace(partial, out)
    return report


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy while other processes read and write."""
    if not source.is_file():
        raise BackupError(f"{source}: no such database (run `gezien migrate` first)")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=20)
        dst = sqlite3.connect(target)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{source}: {exc}") from exc


def _add_folder(tar: tarfile.TarFile, folder: Path, name: str, skip: tuple[Path, Path]) -> int:
    """The folder's plain files under `name/` (not the archive being written, should it lie inside)."""
    count = 0
    if not folder.is_dir():
        return count
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or path == skip[0] or path.is_relative_to(skip[1]):
            continue
        tar.add(path, arcname=f"{name}/{path.relative_to(folder).as_posix()}", recursive=False)
        count += 1
    return count


# --- restore -------------------------------------------------------------------------------------------


def backup_restore(archive: Path) -> BackupReport:
    """Put the database and the folders back as they are in `archive` (checked whole first)."""
    vendor = _vendor()
    archive = archive.resolve()
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    folders = _folders()
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    report = BackupReport(path=archive, database=vendor)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".gezien-restore-") as work:
        manifest = _unpack(archive, Path(work))
        if manifest["database"] != vendor:
            raise BackupError(
                f"the archive holds a {manifest['database']} database, this desk uses {vendor}: "
                "restore it on a desk configured alike"
            )
        _database_check(Path(work), vendor)
        connections.close_all()
        if vendor == "sqlite":
            _sqlite_restore(Path(work) / SQLITE_MEMBER, Path(str(settings.DATABASES["default"]["NAME"])))
        else:
            env, name = _pg_env()
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                 "--single-transaction", "--exit-on-error", "--dbname", name, str(Path(work) / PG_MEMBER)],
                env,
            )  # fmt: skip
        for name in manifest.get("folders", []):
            target = folders.get(name)
            if target is None:
                report.notes.append(f"{name}: kept elsewhere on this desk (an S3 bucket); not restored")
                continue
            report.files[name] = _folder_replace(Path(work) / name, target)
        if manifest.get("secret_key") and not os.environ.get("GEZIEN_SECRET_KEY"):
            os.replace(Path(work) / KEY_MEMBER, _key_path())
    return report


def _unpack(archive: Path, work: Path) -> dict[str, Any]:
    """Extract into `work` after checking every member: plain files and folders inside it only."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            members = tar.getmembers()
            names = {member.name for member in members}
            if MANIFEST not in names:
                raise BackupError(f"{archive}: not a Gezien backup (no {MANIFEST})")
            for member in members:
                parts = PurePosixPath(member.name).parts
                if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in parts:
                    raise BackupError(f"{archive}: refused member {member.name!r}")
            manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
            if manifest.get("format") != FORMAT:
                raise BackupError(f"{archive}: unknown format {manifest.get('format')!r}")
            if not set(manifest.get("folders", [])) <= set(FOLDERS):
                raise BackupError(f"{archive}: unknown folders {manifest.get('folders')!r}")
            database = SQLITE_MEMBER if manifest.get("database") == "sqlite" else PG_MEMBER
            if database not in names:
                raise BackupError(f"{archive}: the database ({database}) is missing")
            tar.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive}: not a readable backup ({exc})") from exc
    return dict(manifest)


def _database_check(work: Path, vendor: str) -> None:
    """The archived database reads whole (before anything is changed)."""
    if vendor == "sqlite":
        try:
            check = sqlite3.connect(f"file:{work / SQLITE_MEMBER}?mode=ro", uri=True)
            try:
                verdict = check.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                check.close()
        except sqlite3.Error as exc:
            verdict = str(exc)
        if verdict != "ok":
            raise BackupError(f"the archive's database is damaged ({verdict})")
    else:
        env, _name = _pg_env()
        _run(["pg_restore", "--list", str(work / PG_MEMBER)], env)


def _sqlite_restore(copy: Path, database: Path) -> None:
    """Copy the archived database into the database file page by page (one transaction, WAL kept)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        dst = sqlite3.connect(database, timeout=20)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as exc:  # the copy in the archive is damaged, or the database is locked
        raise BackupError(f"{database}: {exc}") from exc
    database.chmod(0o600)


def _folder_replace(restored: Path, target: Path) -> int:
    """`target` becomes `restored` (an empty folder where the archive had none): moved aside, then in."""
    if not restored.is_dir():
        restored.mkdir(mode=0o700)
    count = sum(1 for path in restored.rglob("*") if path.is_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = target.with_name(f".{target.name}.before-restore")
    shutil.rmtree(aside, ignore_errors=True)
    if target.exists():
        os.replace(target, aside)
    try:
        shutil.move(str(restored), str(target))
    except OSError:
        if aside.exists():
            os.replace(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)
    return count
