"""The demo organisation, loaded once per test run and copied into each worker's test database.

Loading the demo through its loader takes a minute or more (2,000 contacts, their analysis, the
insights and workforce demos). The first test module that asks for it loads it into its own worker's
test database and keeps a copy in the run's shared temporary folder (the parent of every xdist worker's
basetemp); every later module, on any worker, copies that in instead, in about a second:

- SQLite: the loaded database is saved with SQLite's backup API to `demo.sqlite3` and restored the
  same way into the worker's database (in memory or a file).
- PostgreSQL: the loaded database becomes a template database (`CREATE DATABASE <name>_demo TEMPLATE
  <worker db>`); a worker drops its test database and makes it again from that template. The template
  is dropped when the run ends (`drop_template`, from `pytest_sessionfinish` in the conftest), and
  before a new one is made, so a run that was killed leaves nothing behind for the next one.

A file lock (`demo.lock`, fcntl) makes the workers take turns: one loads while the others wait, then
each copies in turn. The demo's clock is the moment it was loaded, at most the length of a run ago.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from gezien.demo.loader import LoadReport, load_demo

PASSWORD = "demo-wachtwoord"
REPORT = "demo.json"
CLOCK = "demo.clock"  # the moment the run's demo was loaded (ISO 8601)


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder all workers of this run share: the parent of a worker's basetemp, or the basetemp."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    with (folder / "demo.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def template_name() -> str:
    """The run's template database on PostgreSQL: the test database's name without the worker suffix."""
    name = str(connection.settings_dict["NAME"])
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and name.endswith(f"_{worker}"):
        name = name[: -len(worker) - 1]
    return f"{name}_demo"


def _sqlite_raw() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _save(folder: Path) -> None:
    """Keep the demo this worker has just loaded, for the other workers and later modules."""
    if _postgres():
        name, template = str(connection.settings_dict["NAME"]), template_name()
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
        (folder / "demo.template").write_text(template, encoding="utf-8")
        return
    partial = folder / "demo.sqlite3.partial"
    target = sqlite3.connect(partial)
    try:
        _sqlite_raw().backup(target)
    finally:
        target.close()
    partial.rename(folder / "demo.sqlite3")


def _restore(folder: Path) -> None:
    """Replace this worker's test database by the saved demo."""
    if _postgres():
        name = str(connection.settings_dict["NAME"])
        template = (folder / "demo.template").read_text(encoding="utf-8")
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return
    source = sqlite3.connect(folder / "demo.sqlite3")
    try:
        source.backup(_sqlite_raw())
    finally:
        source.close()


def demo_into_database(tmp_path_factory: pytest.TempPathFactory) -> LoadReport:
    """Put the demo organisation in this worker's test database (loaded the first time in the run,
    copied after that); returns the report of the load that made it. Call with the database unblocked."""
    folder = shared_dir(tmp_path_factory)
    with _locked(folder):
        saved = folder / REPORT
        if saved.exists():
            _restore(folder)
            return LoadReport(**json.loads(saved.read_text(encoding="utf-8")))
        loaded_at = timezone.now()
        report = load_demo(password=PASSWORD)
        _save(folder)
        (folder / CLOCK).write_text(loaded_at.isoformat(), encoding="utf-8")
        saved.write_text(json.dumps(asdict(report)), encoding="utf-8")
        return report


def demo_loaded_at(tmp_path_factory: pytest.TempPathFactory) -> datetime:
    """When the run's demo was loaded (by the desk's clock): a test of the demo's "right now" (the live
    floor, the last hour's calls) sets the clock back to it, since a later module may copy the demo in
    many minutes after it was loaded."""
    return datetime.fromisoformat((shared_dir(tmp_path_factory) / CLOCK).read_text(encoding="utf-8"))


def empty_database() -> None:
    """Back to an empty migrated database after the demo (the data migrations' rows come back with
    post_migrate, see the conftest)."""
    call_command("flush", interactive=False, verbosity=0)


def drop_template(folder: Path) -> None:
    """At the end of a run on PostgreSQL: drop the template database this run made, if it made one."""
    marker = folder / "demo.template"
    if not marker.exists():
        return
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{marker.read_text(encoding="utf-8")}" WITH (FORCE)')
    marker.unlink()
