"""A person's permissions and role groups (and what follows from them alone, such as the pages the menu
offers), remembered per process for a few seconds.

Every desk page asks them (the view's `requires`, the navigation's rules, the role in the top bar):
four queries a request and ~3 ms of Python to build and read, for facts that change a few times a year.
`KeptPermissionsBackend` answers them from memory for `GEZIEN_PERMISSION_CACHE_SECONDS`; `kept` keeps
anything else that depends on the person's user row, roles, team and departments only.

Forgotten at once in this process when a user, a group, a permission, a team or a department is saved
or deleted, or a user's groups or permissions, a group's permissions or a department's owners change
(`kept_forget`, connected in `AccountsConfig.ready`):
a role taken away here counts from the next request. Another process (a second `GEZIEN_WORKERS`
process, `gezien worker`) sees such a change within `GEZIEN_PERMISSION_CACHE_SECONDS`, as it sees a
revoked API token (`accounts.tokens`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from gezien.accounts import throttle
from gezien.core.client import client_address

if TYPE_CHECKING:
    from django.contrib.auth.models import Group

    from gezien.accounts.models import User

T = TypeVar("T")

_LIMIT = 10_000  # entries; past it everything is dropped (people x kinds, so a large desk fits)
# (user id, what) -> (monotonic expiry, value). Values are never changed in place: frozensets, tuples.
_kept: dict[tuple[int, str], tuple[float, Any]] = {}
# Bumped by every forget: a value read from the database before a change is not kept after it.
_generation = [0]


def kept(user_id: int, what: str, load: Callable[[], T]) -> T:
    """`load()`'s answer for this person, from memory while it is fresh."""
    now = time.monotonic()
    hit = _kept.get((user_id, what))
    if hit is not None and hit[0] > now:
        return hit[1]  # type: ignore[no-any-return]
    generation = _generation[0]
    value = load()
    seconds = settings.GEZIEN_PERMISSION_CACHE_SECONDS
    if seconds > 0 and generation == _generation[0]:
        if len(_kept) >= _LIMIT:
            _kept.clear()
        _kept[(user_id, what)] = (now + seconds, value)
    return value


def kept_forget(**_kwargs: object) -> None:
    """Forget every kept permission and role (connected to the signals that change them)."""
    _generation[0] += 1
    _kept.clear()


class KeptPermissionsBackend(ModelBackend):
    """Django's `ModelBackend`, with each person's permission sets kept (see the module). A sign-in whose
    account or client address is locked (accounts.throttle) is refused before the password is hashed,
    whichever form asked."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if (
            request is not None
            and username is not None
            and throttle.login_refused(username, client_address(request)) is not None
        ):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self._kept(user_obj, obj, "user", super().get_user_permissions)

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return self._kept(user_obj, obj, "group", super().get_group_permissions)

    @staticmethod
    def _kept(user_obj: Any, obj: Any, kind: str, load: Callable[[Any, Any], set[str]]) -> set[str]:
        attribute = f"_{kind}_perm_cache"  # where ModelBackend keeps them on the user for the request
        if obj is not None or user_obj.is_anonymous or not user_obj.is_active or hasattr(user_obj, attribute):
            return load(user_obj, obj)
        found: frozenset[str] = kept(user_obj.pk, kind, lambda: frozenset(load(user_obj, obj)))
        setattr(user_obj, attribute, set(found))
        return getattr(user_obj, attribute)  # type: ignore[no-any-return]


def groups_kept(user: User) -> None:
    """Give `user` its role groups from memory, as `prefetch_related_objects([user], "groups")` would
    from the database: `user.role` and `user.groups.all()` then ask no query in this request."""
    cache: dict[str, Any] | None = getattr(user, "_prefetched_objects_cache", None)
    if cache is None:  # (by attribute: `request.user` is a lazy object that passes them on)
        cache = {}
        setattr(user, "_prefetched_objects_cache", cache)  # noqa: B010 -- not a field mypy knows
    if "groups" in cache:
        return
    groups: tuple[Group, ...] = kept(user.pk, "groups", lambda: tuple(user.groups.all()))
    queryset = user.groups.all()
    queryset._result_cache = list(groups)
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    cache["groups"] = queryset
