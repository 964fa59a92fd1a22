"""Django's SQLite backend with the writers of one process queued on a lock of their own
(`ENGINE: "gezien.core.sqlite"`; see `base.py` and docs/decisions/0011-sqlite-writers-queue.md), and the
WAL checkpoint a background thread runs so that requests do not."""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper


def wal_checkpoint(connection: BaseDatabaseWrapper) -> None:
    """Copy what SQLite's write-ahead log holds into the database file now, on this thread (PASSIVE:
    it waits for no reader or writer). Otherwise the commit that fills the log past 1,000 pages does it,
    and on a server that is a request, with the eight behind it waiting. Nothing on other databases."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
