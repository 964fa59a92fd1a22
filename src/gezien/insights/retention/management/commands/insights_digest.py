"""`gezien insights digest [--week YYYY-MM-DD] [--dry-run] [--department CODE]`: send the weekly digest."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gezien.accounts.models import Department
from gezien.insights.retention.digest import digest_send, digests_send_week, last_week


def _week(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"Geen geldige datum (JJJJ-MM-DD): {raw}") from None


class Command(BaseCommand):
    help = "Send the weekly digest to every department (default: last week); a week is sent once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--week", type=_week, default=None, help="any day of the week (default: last week)"
        )
        parser.add_argument("--dry-run", action="store_true", help="render and print, send nothing")
        parser.add_argument("--department", default="", help="only this department (its code)")

    def handle(self, *args: Any, **options: Any) -> None:
        week = options["week"]
        dry_run = options["dry_run"]
        if options["department"]:
            department = Department.objects.filter(code=options["department"]).first()
            if department is None:
                raise CommandError(f"Onbekende afdeling: {options['department']}")
            results = [digest_send(department, week or last_week(), dry_run=dry_run)]
        else:
            results = digests_send_week(week, dry_run=dry_run)
        if not results:
            self.stdout.write("Geen afdelingen.")
        for result in results:
            self.stdout.write(result.message)
            if dry_run and result.text:
                self.stdout.write(f"Onderwerp: {result.subject}\n\n{result.text}")
