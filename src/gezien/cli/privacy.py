"""Customers' data as a whole: `gezien privacy export|erase`, `gezien backup` and `restore`."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from gezien.cli._base import audit_cli, setup

if TYPE_CHECKING:
    from gezien.core.backup import BackupReport


def cmd_privacy_export(args: argparse.Namespace) -> int:
    """The archive of one customer, written to `--out` (default klant-ID.zip; `-` for stdout), readable
    by its owner only, and complete or not there at all."""
    setup()
    import tempfile
    from pathlib import Path

    from gezien.customers.models import Customer
    from gezien.privacy.audited import Actor, audit
    from gezien.privacy.exporting import archive_counts, customer_archive

    customer = Customer.objects.filter(pk=args.customer).first()
    if customer is None:
        print(f"gezien: klant {args.customer} bestaat niet", file=sys.stderr)
        return 2
    audit(
        Actor(None, "cli"),
        action="customer.export",
        object_type="customer",
        object_id=customer.pk,
        customer_id=customer.pk,
        details={"via": "cli", **archive_counts(customer)},
    )
    if args.out == "-":
        for chunk in customer_archive(customer):
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return 0
    target = Path(args.out or f"klant-{customer.pk}.zip").resolve()
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".zip")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in customer_archive(customer):
                out.write(chunk)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    print(f"{target}")
    return 0


def cmd_privacy_erase(args: argparse.Namespace) -> int:
    setup()
    from gezien.core.errors import DomainError
    from gezien.privacy.audited import Actor
    from gezien.privacy.erase import erase_request

    if not args.yes:
        print("gezien: wissen kan niet ongedaan worden gemaakt; bevestig met --yes", file=sys.stderr)
        return 2
    try:
        result = erase_request(customer_id=args.customer, actor=Actor(None, "cli"))
    except DomainError as error:
        print(f"gezien: {error}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{kind} {n}" for kind, n in sorted(result.request.counts.items()))
    print(f"Klant {args.customer} gewist ({counts or 'niets gevonden'}).")
    return 0


def _add_privacy(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    privacy = sub.add_parser("privacy", help="GDPR: export or erase a customer's data")
    privacy_sub = privacy.add_subparsers(dest="action", required=True)
    export = privacy_sub.add_parser("export", help="everything about a customer as one zip archive")
    export.add_argument("--customer", type=int, required=True, metavar="ID")
    export.add_argument("--out", default="", metavar="FILE", help="default klant-ID.zip; - for stdout")
    export.set_defaults(func=cmd_privacy_export)
    erase = privacy_sub.add_parser("erase", help="erase a customer's personal data (cannot be undone)")
    erase.add_argument("--customer", type=int, required=True, metavar="ID")
    erase.add_argument("--yes", action="store_true", help="yes, erase it")
    erase.set_defaults(func=cmd_privacy_erase)


def cmd_backup(args: argparse.Namespace) -> int:
    setup()
    from pathlib import Path

    from gezien.core.backup import BackupError, backup_write

    try:
        report = backup_write(Path(args.out) if args.out else None)
    except BackupError as exc:
        print(f"gezien backup: {exc}", file=sys.stderr)
        return 1
    _audit_backup("backup.create", report)
    print(report.describe())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    if not args.yes:
        print(
            "gezien restore: this replaces the database and the data folder's files with the archive's; "
            "stop the desk and the workers, then run it again with --yes",
            file=sys.stderr,
        )
        return 2
    setup()
    from pathlib import Path

    from gezien.core.backup import BackupError, backup_restore

    try:
        report = backup_restore(Path(args.file))
    except BackupError as exc:
        print(f"gezien restore: {exc} (nothing was changed)", file=sys.stderr)
        return 1
    _audit_backup("backup.restore", report)  # in the restored log, after the entries of the backup
    print(f"restored: {report.describe()}")
    return 0


def _audit_backup(action: str, report: BackupReport) -> None:
    """Every customer's data read (a backup) or replaced (a restore), by the operator's account."""
    files = {f"files_{k}": v for k, v in report.files.items()}
    audit_cli(action, "backup", report.path.name, database=report.database, **files)


def _add_backup(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = sub.add_parser("backup", help="the database and the data folder's files in one archive")
    backup.add_argument(
        "--out", default="", help="the archive (default: DATA_DIR/backups/gezien-TIME.tar.gz)"
    )
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="put an archive of `gezien backup` back")
    restore.add_argument("file")
    restore.add_argument("--yes", action="store_true", help="yes, replace the database and the files")
    restore.set_defaults(func=cmd_restore)


def add(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    _add_privacy(sub)
    _add_backup(sub)
