"""Who did a privacy action, for the audit log (gezien.audit): a person of the desk, or the command
line / the tick when nobody signed in; and the entry written with it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.http import HttpRequest

from gezien.accounts.http import current_user
from gezien.accounts.models import User
from gezien.audit.log import audit_record
from gezien.core.client import client_address


@dataclass(frozen=True)
class Actor:
    user: User | None
    source: str  # the client's address, "cli" or "tick"

    @classmethod
    def of(cls, request: HttpRequest) -> Actor:
        """The signed-in person of a desk or API request, and where the request came from."""
        return cls(current_user(request), client_address(request))

    @property
    def id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def name(self) -> str:
        return self.user.display_name if self.user is not None else self.source


def audit(
    actor: Actor,
    *,
    action: str,
    object_type: str,
    object_id: str | int,
    customer_id: int | None = None,
    details: Mapping[str, str | int | bool | None] | None = None,
) -> None:
    """Write one audit entry (no personal data in `details`: ids and counts), in the caller's
    transaction when there is one."""
    audit_record(
        action=action,
        actor_id=actor.id,
        actor_name=actor.name,
        source=actor.source,
        object_type=object_type,
        object_id=object_id,
        customer_id=customer_id,
        details=details,
    )
