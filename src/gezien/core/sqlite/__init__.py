"""Django's SQLite backend with the writers of one process queued on a lock of their own
(`ENGINE: "gezien.core.sqlite"`; see `base.py` and docs/decisions/0011-sqlite-writers-queue.md)."""
