"""Django's manage.py, inside the package so `gezien` and `python -m gezien.manage` share it."""

from __future__ import annotations

import os
import sys

from gezien.core.files import private_umask


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")
    from django.core.management import execute_from_command_line

    if argv is None:  # this process is the command (not a caller of main(), e.g. a test)
        private_umask()  # the database, its WAL and mails on disk: the owner's only

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
