"""API tokens: create (shown once), verify (by hash), revoke."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gezien.accounts.models import ApiToken

if TYPE_CHECKING:
    from gezien.accounts.models import User

TOKEN_PREFIX = "gz_"  # noqa: S105 -- a public marker, not a secret
_TOUCH_EVERY = timedelta(minutes=5)
_CACHE_LIMIT = 10_000
# token digest -> (monotonic expiry, user with its permissions loaded). Per process; see token_user.
_recent: dict[str, tuple[float, User]] = {}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the record and the token itself, which is never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, name=name[:100], prefix=token[:10], token_hash=_digest(token))
    return record, token


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    _recent.pop(token.token_hash, None)
    return token


def token_user(token: str) -> User | None:
    """The active user a token belongs to, or None for unknown, revoked or inactive.

    A token seen in the last GEZIEN_TOKEN_CACHE_SECONDS is answered from memory together with its
    user's permissions: looking both up again on every call cost a third of an API request. A revoke
    takes effect at once in the process that revoked it and within that many seconds in the others.
    """
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = _digest(token)
    now = time.monotonic()
    hit = _recent.get(digest)
    if hit is not None and hit[0] > now:
        return hit[1]
    record = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        _recent.pop(digest, None)
        return None
    moment = timezone.now()
    # Record use, but not on every request: a write per call would halve API throughput on SQLite.
    if record.last_used_at is None or moment - record.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=moment)
    user = record.user
    user.get_all_permissions()  # loads the permission cache on this User object
    if len(_recent) >= _CACHE_LIMIT:
        _recent.clear()
    _recent[digest] = (now + settings.GEZIEN_TOKEN_CACHE_SECONDS, user)
    return user
