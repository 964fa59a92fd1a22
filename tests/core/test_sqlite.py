"""The SQLite backend (`gezien.core.sqlite`): the writers of one process take turns on a lock of their own,
so a writer never meets another thread's write in SQLite's sleeping busy handler.

Each test opens its own connections to a database file. The waiting connection is given SQLite's busy
timeout 0: had it reached SQLite while the other thread's write was open, it would have failed at once
with "database is locked". It succeeds only because it waited on this process's lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection

from gezien.core.sqlite.base import DatabaseWrapper, write_lock

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend only")


def _connect(path: Path, *, timeout: float = 5.0, sqlite_busy_ms: int = 0) -> DatabaseWrapper:
    settings = {
        **connection.settings_dict,
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": timeout,
            "init_command": f"PRAGMA journal_mode=WAL; PRAGMA busy_timeout={sqlite_busy_ms};",
        },
    }
    return DatabaseWrapper(settings, alias=f"sqlite-test-{threading.get_ident()}-{time.monotonic_ns()}")


@pytest.fixture
def database(tmp_path: Path, django_db_blocker: Any) -> Iterator[Path]:
    """A database file of its own (not the test database), with one table."""
    path = tmp_path / "writers.sqlite3"
    with django_db_blocker.unblock():
        setup = _connect(path, sqlite_busy_ms=5000)
        setup.cursor().execute("CREATE TABLE said (n INTEGER)")
        setup.close()
        yield path


def _begin(db: DatabaseWrapper) -> None:
    """Start a transaction as `transaction.atomic()` does on SQLite (BEGIN IMMEDIATE)."""
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(db: DatabaseWrapper, *, commit: bool = True) -> None:
    db.commit() if commit else db.rollback()
    db.set_autocommit(True)


def _holding(path: Path, seconds: float, started: threading.Event) -> threading.Thread:
    """A thread that writes in a transaction held open for `seconds`."""

    def run() -> None:
        db = _connect(path)
        _begin(db)
        db.cursor().execute("INSERT INTO said VALUES (1)")
        started.set()
        time.sleep(seconds)
        _end(db)
        db.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _count(db: DatabaseWrapper) -> Any:
    cursor = db.cursor()
    cursor.execute("SELECT count(*) FROM said")
    return cursor.fetchone()[0]


def test_a_write_transaction_waits_for_another_threads_and_goes_on_when_it_commits(database):
    started = threading.Event()
    holder = _holding(database, 0.3, started)
    started.wait(5)
    waiting = _connect(database)  # SQLite would refuse at once: it must wait here instead
    before = time.monotonic()
    _begin(waiting)
    waited = time.monotonic() - before
    waiting.cursor().execute("INSERT INTO said VALUES (2)")
    _end(waiting)
    holder.join()
    assert waited >= 0.2
    assert _count(waiting) == 2
    waiting.close()


def test_a_statement_outside_a_transaction_waits_too_and_gives_the_lock_back(database):
    started = threading.Event()
    holder = _holding(database, 0.2, started)
    started.wait(5)
    waiting = _connect(database)
    waiting.cursor().execute("INSERT INTO said VALUES (2)")
    holder.join()
    assert not write_lock(str(database)).locked()
    assert _count(waiting) == 2
    waiting.close()


def test_a_waiting_writer_gets_the_next_turn_even_when_the_holder_writes_again_at_once(database):
    """The request thread writes again a moment after each commit: the outbox thread, waiting, must
    still get its turn."""
    holder = _connect(database)
    _begin(holder)
    holder.cursor().execute("INSERT INTO said VALUES (1)")

    def wait_and_write() -> None:
        waiting = _connect(database)
        waiting.cursor().execute("INSERT INTO said VALUES (2)")
        waiting.close()

    waiter = threading.Thread(target=wait_and_write)
    waiter.start()
    time.sleep(0.2)  # the waiter waits for the lock by now
    _end(holder)
    holder.cursor().execute("INSERT INTO said VALUES (3)")  # straight back for more
    waiter.join()
    cursor = holder.cursor()
    cursor.execute("SELECT n FROM said ORDER BY rowid")
    assert [n for (n,) in cursor.fetchall()] == [1, 2, 3]
    holder.close()


def test_reading_never_waits_for_a_writer(database):
    started = threading.Event()
    holder = _holding(database, 1.0, started)
    started.wait(5)
    reader = _connect(database, timeout=0.05)
    before = time.monotonic()
    assert _count(reader) == 0  # the open transaction's row is not visible yet, and nothing waited
    assert time.monotonic() - before < 0.5
    holder.join()
    reader.close()


def test_a_writer_that_waits_longer_than_its_timeout_is_told_the_database_is_locked(database):
    started = threading.Event()
    holder = _holding(database, 1.0, started)
    started.wait(5)
    impatient = _connect(database, timeout=0.1)
    with pytest.raises(OperationalError, match="database is locked"):
        impatient.cursor().execute("INSERT INTO said VALUES (2)")
    holder.join()
    impatient.cursor().execute("INSERT INTO said VALUES (3)")  # it holds nothing: it can write now
    assert _count(impatient) == 2
    impatient.close()


@pytest.mark.parametrize("how", ["rollback", "close"])
def test_the_lock_is_given_back_however_the_transaction_ends(database, how):
    db = _connect(database)
    lock = write_lock(str(database))
    _begin(db)
    assert lock.locked()
    if how == "rollback":
        _end(db, commit=False)
    else:
        db.close()
    assert not lock.locked()
    _written_by_another(database)


def test_a_failing_write_gives_the_lock_back(database):
    db = _connect(database)
    with pytest.raises(OperationalError):
        db.cursor().execute("INSERT INTO nowhere VALUES (1)")
    assert not write_lock(str(database)).locked()
    _written_by_another(database)
    db.close()


def _written_by_another(path: Path) -> None:
    other = _connect(path)
    other.cursor().execute("INSERT INTO said VALUES (1)")
    assert _count(other) == 1
    other.close()


def test_the_default_database_uses_it():
    assert connection.settings_dict["ENGINE"] == "gezien.core.sqlite"
