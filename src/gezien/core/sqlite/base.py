"""Django's SQLite backend, with the writers of one process taking turns on a Python lock.

SQLite has one writer at a time. A connection that finds the write lock taken waits in SQLite's busy
handler, which does not wake when the lock is freed: it sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50
and then 100 ms at a time and looks again. In `gezien serve` the requests and the outbox thread share
one database file, so a request that arrives while the outbox writes a batch sleeps in those steps,
and finds the lock taken again by the outbox's next statement as often as not: the tail of the hot path
(docs/performance.md).

Here every write of a process first takes a lock per database file in this process: a write
transaction (`BEGIN IMMEDIATE` up to its `COMMIT` or `ROLLBACK`) and a writing statement outside a
transaction hold it while SQLite's write lock is theirs, and a writer waiting for it is woken as soon
as it is free. Reads never take it (WAL lets them read meanwhile). Other processes (a `gezien worker`,
a command) still meet in SQLite's busy handler with the configured `timeout`, and a writer here waits
for the lock at most that long too, then fails as SQLite would: "database is locked".
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import deque
from typing import Any

from django.db.backends.sqlite3 import base, operations

from gezien.core.files import private_file, private_new_file

# The first word of a statement that never writes; any other statement takes the lock when it runs
# outside a transaction (`BEGIN IMMEDIATE` among them, which then keeps it until the transaction ends).
_READING = frozenset({"SELECT", "PRAGMA", "EXPLAIN", "VALUES"})


class TurnLock:
    """A lock that is handed to the writer that has waited longest when it is released. A plain lock
    lets the releasing thread take it straight back: the request thread, which writes again a moment
    after every commit, would keep it from the outbox thread for as long as requests keep coming."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiting: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._guard:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=timeout):
            return True  # handed over by release()
        with self._guard:
            if turn in self._waiting:
                self._waiting.remove(turn)
                return False
        return True  # handed over just as the wait ran out: it is ours

    def release(self) -> None:
        with self._guard:
            if self._waiting:
                self._waiting.popleft().release()  # stays held: it passes to the next in line
            else:
                self._held = False

    def locked(self) -> bool:
        return self._held


_locks: dict[str, TurnLock] = {}
_locks_guard = threading.Lock()


def write_lock(database: str) -> TurnLock:
    """The lock of this process's writers to `database` (a file path, or an in-memory name)."""
    key = database if database.startswith(("file:", ":memory:")) else os.path.realpath(database)
    with _locks_guard:
        return _locks.setdefault(key, TurnLock())


def _forget_locks() -> None:
    """In a forked child no thread holds a lock of its parent's writers."""
    global _locks_guard
    _locks.clear()
    _locks_guard = threading.Lock()


os.register_at_fork(after_in_child=_forget_locks)


def _writes(sql: str) -> bool:
    word = sql.lstrip()[:8].split(None, 1)
    return not word or word[0].upper() not in _READING


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        """Emptying tables (`flush`, and the tests between transactional tests) deletes every row: a
        table whose triggers refuse DELETE (an append-only log) has them dropped for the DELETE and
        made again after, as SQLite kept them. Nothing else empties such a table."""
        sql = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not sql:
            return sql
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            emptied = set(tables)
            triggers = [(name, sql_text) for name, table, sql_text in cursor.fetchall() if table in emptied]
        drop = [f"DROP TRIGGER {self.quote_name(name)};" for name, _sql in triggers]
        return [*drop, *sql, *(f"{sql_text};" for _name, sql_text in triggers)]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    _write_lock: TurnLock | None = None
    _holds_write_lock = False

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        database = str(conn_params["database"])
        on_disk = not database.startswith(("file:", ":memory:")) and database != ""
        if on_disk:
            private_new_file(database)  # 0600 before SQLite makes the WAL and -shm beside it
        connection = super().get_new_connection(conn_params)
        if on_disk:
            for suffix in ("-wal", "-shm"):
                private_file(database + suffix)
        self._write_lock = write_lock(str(conn_params["database"]))
        self._lock_timeout = float(conn_params.get("timeout", 5.0))
        self._holds_write_lock = False
        return connection

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = self.connection.cursor(factory=SQLiteCursorWrapper)
        cursor.writer = self
        return cursor

    def before_writing(self, sql: str) -> bool:
        """Take this process's write lock for `sql` when it writes and none is held; whether it took it."""
        if self._holds_write_lock or self._write_lock is None or not _writes(sql):
            return False
        if not self._write_lock.acquire(timeout=self._lock_timeout):
            raise sqlite3.OperationalError("database is locked")  # as SQLite says it
        self._holds_write_lock = True
        return True

    def after_writing(self) -> None:
        """Give the write lock back once SQLite's is no longer ours (the transaction ended)."""
        if self._holds_write_lock and (self.connection is None or not self.connection.in_transaction):
            self._holds_write_lock = False
            assert self._write_lock is not None
            self._write_lock.release()

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # not in django-stubs
        finally:
            self.after_writing()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # not in django-stubs
        finally:
            self.after_writing()

    def _set_autocommit(self, autocommit: bool) -> None:
        try:
            super()._set_autocommit(autocommit)  # type: ignore[misc]  # not in django-stubs
        finally:  # turning autocommit on commits what was open
            self.after_writing()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # not in django-stubs
        finally:
            if self._holds_write_lock:  # a closed connection's transaction is over
                self._holds_write_lock = False
                assert self._write_lock is not None
                self._write_lock.release()


# Django turns every statement's "%s" into SQLite's "?" with a regular expression, at every execute; the
# statements are the same few hundred strings over and over (the ORM's and the prepared ones), so each is
# converted once per process. Bounded: a process that makes ever new strings starts over, and a long
# statement (a bulk insert of many rows, whose conversion is little beside its rows) is not kept.
_QMARK: dict[str, str] = {}
_QMARK_KEPT = 4096
_QMARK_LONGEST = 4000


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    writer: DatabaseWrapper

    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is not None or len(query) > _QMARK_LONGEST:  # as Django does it
            return str(super().convert_query(query, param_names=param_names))  # type: ignore[misc]  # not in django-stubs
        found = _QMARK.get(query)
        if found is None:
            if len(_QMARK) >= _QMARK_KEPT:
                _QMARK.clear()
            found = _QMARK[query] = str(super().convert_query(query))  # type: ignore[misc]
        return found

    def execute(self, query: str, params: Any = None) -> Any:
        took = self.writer.before_writing(query)
        try:
            return super().execute(query, params)
        finally:
            if took:
                self.writer.after_writing()

    def executemany(self, query: str, param_list: Any) -> Any:
        took = self.writer.before_writing(query)
        try:
            return super().executemany(query, param_list)
        finally:
            if took:
                self.writer.after_writing()
