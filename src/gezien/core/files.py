"""Files only their owner reads: the database, its WAL and shared-memory files, mails written to disk,
kept attachments. Each process that writes them (`gezien serve`, `gezien worker`, every `gezien` and
`python -m gezien.manage` command) starts with `private_umask()`, so whatever it creates is 0600 (files)
or 0700 (folders); the places that create them also set the mode themselves (`private_file`,
`private_folder`), so a server started by other means (a WSGI server of one's own) keeps them private
too."""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_umask() -> None:
    """New files and folders of this process: readable by their owner only."""
    os.umask(0o077)


def private_folder(path: str | os.PathLike[str]) -> Path:
    """Make `path` (and missing parents) as 0700 folders; a folder that was there keeps its mode (it
    may be shared on purpose, e.g. a system temp folder)."""
    folder = Path(path)
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    for made in missing:
        _chmod(made, FOLDER_MODE)
    return folder


def private_file(path: str | os.PathLike[str]) -> None:
    """Set an existing file of ours to 0600 (nothing when it is not there or not ours)."""
    _chmod(Path(path), FILE_MODE)


def private_new_file(path: str | os.PathLike[str]) -> None:
    """Create `path` empty as 0600 if it is not there yet (so what SQLite makes beside it, the WAL and
    shared-memory files, takes the same mode), else make sure of its mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        private_file(path)
    except OSError:
        return  # a folder we may not write: SQLite will say so in its own words


def _chmod(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:  # gone meanwhile, or owned by someone else: leave it
        return
