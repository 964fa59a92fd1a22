"""What sign-in and account changes write to the audit log (gezien.audit): one place, so that every
entry of this part names its actor and source alike."""

from __future__ import annotations

from collections.abc import Mapping

from gezien.accounts.models import User
from gezien.audit.log import audit_record


def trail(
    *,
    action: str,
    actor: User | None,
    source: str,
    subject: User | None = None,
    object_type: str = "user",
    object_id: str | int = "",
    details: Mapping[str, str | int | bool | None] | None = None,
) -> None:
    """Record `action` by `actor` (None: nobody signed in) from `source` (a client address or "cli")
    about `subject` (the person the action is about; default the actor)."""
    about = subject or actor
    audit_record(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_name=actor.display_name if actor is not None else "",
        source=source,
        object_type=object_type,
        object_id=object_id if object_id != "" else (about.pk if about is not None else ""),
        details=details,
    )
