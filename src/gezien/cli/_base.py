"""What every command group shares: Django set up on demand, a management command, the audit entry of
an operator's command, a moment read from the command line."""

from __future__ import annotations

import getpass
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")
    import django

    django.setup()


def manage(*args: str) -> None:
    from gezien.manage import main as manage_main

    manage_main(["gezien", *args])


def audit_cli(action: str, object_type: str, object_id: int | str, **details: str | int | None) -> None:
    """An audit entry for what a command did: the actor is the operating-system account that ran it."""
    from gezien.audit.log import audit_record

    audit_record(
        action=action,
        actor_id=None,
        actor_name=getpass.getuser(),
        source="cli",
        object_type=object_type,
        object_id=object_id,
        details=details,
    )


def moment(raw: str, *, end: bool = False) -> datetime | None:
    """A date (YYYY-MM-DD: that day's start, or with `end` the next day's) or an ISO moment; None if empty."""
    from datetime import date, datetime, time, timedelta

    from django.utils import timezone

    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw) + timedelta(days=1 if end else 0)
            return timezone.make_aware(datetime.combine(day, time.min))
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise SystemExit(f"gezien: {raw!r} is geen datum (JJJJ-MM-DD) of tijdstip (ISO 8601)") from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
