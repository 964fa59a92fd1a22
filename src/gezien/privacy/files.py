"""Files an erasure removes: named in its transaction (a `FileRemoval` row), removed once it commits,
and tried again on every tick when a file could not be removed then (a full disk, a storage that was
away). A file that is already gone counts as removed."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction

from gezien.privacy.models import FileRemoval

logger = logging.getLogger(__name__)

BATCH = 500
MAX_ATTEMPTS = 100  # about a day and a half of ticks a minute apart; then it stays for an admin to see


def removal_add(where: str, name: str) -> None:
    """Name a file to remove after the surrounding transaction commits (in it: rolled back, kept)."""
    removal = FileRemoval.objects.create(where=where, name=name[:1000])
    transaction.on_commit(lambda: _remove([removal]))


def _remove_one(removal: FileRemoval) -> None:
    if removal.where == FileRemoval.Where.STORAGE:
        default_storage.delete(removal.name)  # FileSystemStorage: no error when already gone
    else:
        Path(removal.name).unlink(missing_ok=True)


def _remove(removals: list[FileRemoval]) -> int:
    removed = []
    for removal in removals:
        try:
            _remove_one(removal)
        except Exception as error:
            logger.warning("Could not remove file removal %s yet: %s", removal.pk, error)
            FileRemoval.objects.filter(pk=removal.pk).update(
                attempts=removal.attempts + 1, last_error=str(error)[:300]
            )
            continue
        removed.append(removal.pk)
    FileRemoval.objects.filter(pk__in=removed).delete()
    return len(removed)


def files_remove_pending(now: datetime | None = None) -> int:
    """Try again to remove the files earlier erasures could not (the tick). Returns how many went."""
    pending = list(FileRemoval.objects.filter(attempts__lt=MAX_ATTEMPTS).order_by("pk")[:BATCH])
    return _remove(pending)
