"""What sign-in and account changes write to the audit log (gezien.audit): one place, so that every
entry of this part names its actor and source alike."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from gezien.accounts.models import User

logger = logging.getLogger("gezien.accounts")


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
    logger.info(
        "%s by %s from %s on %s %s %s",
        action,
        actor.pk if actor else None,
        source,
        object_type,
        object_id or (about.pk if about else ""),
        dict(details or {}),
    )
