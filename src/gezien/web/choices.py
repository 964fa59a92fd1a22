"""Reference lists the desk's forms offer, read from a short-lived cache instead of once per page.

The colleagues and teams a contact can be passed to change rarely but are offered on every contact page.
They are kept for `PEOPLE_SECONDS` and forgotten at once, in this process, when a user, a team or a
user's groups are saved or deleted (`people_forget`, connected in `WebConfig.ready`); another process
sees a change within `PEOPLE_SECONDS`. Harmless either way: a posted choice is validated against the
database by the form's own queryset, so an agent who left meanwhile cannot be chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, OuterRef

from gezien.accounts.models import Team, User

PEOPLE_CACHE_KEY = "web:transfer-people"
PEOPLE_SECONDS = 60


@dataclass(frozen=True)
class TransferPeople:
    """(id, label) pairs: a person by their display name, a team by its name."""

    colleagues: list[tuple[int, str]]  # every active user (`TransferForm.to_agent`)
    desk_colleagues: list[tuple[int, str]]  # active users with a role (`WarmTransferForm.to_agent`)
    teams: list[tuple[int, str]]


def transfer_people() -> TransferPeople:
    """The colleagues and teams to pass a contact to: two queries a minute at most."""
    found: TransferPeople | None = cache.get(PEOPLE_CACHE_KEY)
    if found is None:
        has_role = Exists(User.groups.through.objects.filter(user_id=OuterRef("pk")))
        users = list(
            User.objects.filter(is_active=True)
            .annotate(has_role=has_role)
            .order_by("first_name", "last_name", "pk")
        )
        found = TransferPeople(
            colleagues=[(u.pk, u.display_name) for u in users],
            desk_colleagues=[(u.pk, u.display_name) for u in users if u.has_role],
            teams=[(t.pk, t.name) for t in Team.objects.all()],
        )
        cache.set(PEOPLE_CACHE_KEY, found, PEOPLE_SECONDS)
    return found


def people_forget(**_kwargs: object) -> None:
    """Drop the cached colleagues and teams (connected to the signals that change them)."""
    cache.delete(PEOPLE_CACHE_KEY)
