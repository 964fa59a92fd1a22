"""API tokens: create (shown once), verify (by hash), limit (scopes, expiry, rate), revoke.

A token acts as its owner and never beyond: every endpoint still checks the owner's permissions, and the
token's scopes narrow that further. A scope is "<area>:read" or "<area>:write" (write includes read) for
an area of the API (its routers' tags, registered by the API: `scope_areas_register`), or "*" for all
that the owner may do.

Verifying is on the hot path of every API call, so a token seen lately is answered from memory
(`GEZIEN_TOKEN_CACHE_SECONDS`) with its owner's permissions, and only whether it was revoked (or its
owner made inactive) is asked again, by primary key, when its last check is older than `REVOKE_CHECK_S`
(a quarter second): a token revoked in one server process stops working in every other within a second.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import secrets
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import ApiToken
from gezien.audit.log import audit_record
from gezien.core.errors import Forbidden, Invalid, TooMany
from gezien.core.rates import rate_parse, window_count

if TYPE_CHECKING:
    from gezien.accounts.models import User

TOKEN_PREFIX = "gz_"  # noqa: S105 -- a public marker, not a secret
SCOPE_ALL = "*"
REVOKE_CHECK_S = 0.25  # a remembered token is asked again after this long: revoked within a second, with room
# (settings.GEZIEN_TOKEN_RECHECK_SECONDS overrides it: the tests that count queries per request set it high)
MAX_DAYS = 3650
_TOUCH_EVERY = timedelta(minutes=5)
_CACHE_LIMIT = 10_000
_areas: set[str] = set()


@dataclass(frozen=True)
class TokenGrant:
    """What a verified token may do: act as `user`, within `scopes`, at `limit` requests a `window_s`."""

    token_id: int
    key: str  # what its requests are counted under (a part of its hash: ids are reused in tests)
    user: User
    scopes: frozenset[str]
    expires: float | None  # epoch seconds; None: never
    limit: int  # 0: no limit
    window_s: int

    def allows(self, area: str, *, write: bool) -> bool:
        return scope_allows(self.scopes, area, write=write)


class _Kept:
    """A token seen lately, in this process: until when it is kept, and when revocation was last asked."""

    __slots__ = ("checked", "grant", "until")

    def __init__(self, grant: TokenGrant, now: float) -> None:
        self.grant = grant
        self.until = now + settings.GEZIEN_TOKEN_CACHE_SECONDS
        self.checked = now


# token digest -> what this process remembers of it (see the module).
_recent: dict[str, _Kept] = {}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- scopes -----------------------------------------------------------------------------------------------


def scope_areas_register(areas: Iterable[str]) -> None:
    """The API names its areas (its routers' tags) here when it is built."""
    _areas.update(areas)


def scope_names() -> list[str]:
    """Every scope a token may carry: "*" and a read and a write scope per area of the API."""
    if not _areas:  # the API registers its areas when the URLs are loaded (a command may not have yet)
        importlib.import_module(settings.ROOT_URLCONF)
    return [SCOPE_ALL, *(f"{area}:{mode}" for area in sorted(_areas) for mode in ("read", "write"))]


def scope_allows(scopes: Collection[str], area: str, *, write: bool) -> bool:
    return SCOPE_ALL in scopes or f"{area}:write" in scopes or (not write and f"{area}:read" in scopes)


def scopes_clean(scopes: Iterable[str]) -> list[str]:
    """The scopes asked for, checked and in order ("*" alone when it is there); `Invalid` otherwise."""
    asked = sorted({scope.strip() for scope in scopes if scope.strip()})
    if not asked:
        raise Invalid(_("Kies ten minste één scope (of * voor alles)."), field="scopes")
    known = set(scope_names())
    unknown = [scope for scope in asked if scope not in known]
    if unknown:
        raise Invalid(_("Onbekende scope: %(s)s") % {"s": ", ".join(unknown)[:200]}, field="scopes")
    return [SCOPE_ALL] if SCOPE_ALL in asked else asked


def _scopes_within(asked: Collection[str], held: Collection[str]) -> bool:
    """Whether a token with `held` may hand out `asked` (never more than itself)."""
    if SCOPE_ALL in held:
        return True
    if SCOPE_ALL in asked:
        return False
    return all(scope_allows(held, scope.split(":")[0], write=scope.endswith(":write")) for scope in asked)


# --- create, revoke -----------------------------------------------------------------------------------------


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str = "",
    scopes: Iterable[str] = (SCOPE_ALL,),
    days: int | None = None,
    rate: str = "",
    within: TokenGrant | None = None,
    by: User | None = None,
    source: str = "cli",
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the record and the token itself, which is never stored.

    `days`: how long it works (None: `GEZIEN_TOKEN_DAYS`; 0: for ever, administrators' tokens only).
    `within`: the token this one is made with: the new one may not exceed its scopes, outlive it or have
    a faster rate (asked for no days or rate, it gets the maker's expiry or rate when those are tighter).
    `by` and `source` (who asked, from where: a client address, or "cli") go to the audit log."""
    clean = scopes_clean(scopes)
    if within is not None and not _scopes_within(clean, within.scopes):
        raise Forbidden(_("Een token kan geen token maken dat meer mag dan het zelf."), field="scopes")
    asked_days = days
    days = settings.GEZIEN_TOKEN_DAYS if days is None else days
    if not 0 <= days <= MAX_DAYS:
        raise Invalid(_("Een token werkt 1 tot %(n)d dagen.") % {"n": MAX_DAYS}, field="days")
    if days == 0 and not user.is_admin_role:
        raise Invalid(_("Alleen een beheerder mag een token zonder vervaldatum hebben."), field="days")
    rate = rate.strip()
    if rate and rate_parse(rate) is None:
        raise Invalid(_("Een limiet schrijft u als 600/min, 10/s of 5000/h."), field="rate")
    expires_at = timezone.now() + timedelta(days=days) if days else None
    if within is not None:
        expires_at = _life_within(expires_at, within, asked=asked_days is not None)
        rate = _rate_within(rate, within)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=token[:10],
        token_hash=_digest(token),
        scopes=clean,
        expires_at=expires_at,
        rate=rate,
    )
    _audit(
        "token.create",
        record,
        by,
        source,
        user_id=user.pk,
        scopes=" ".join(clean)[:500],
        days=days,
        rate=rate or None,
    )
    return record, token


def _life_within(expires_at: datetime | None, within: TokenGrant, *, asked: bool) -> datetime | None:
    """The expiry of a token made with `within`: never later than the maker's own (`Forbidden` when the
    days asked for would outlive it; the maker's expiry when none were asked)."""
    if within.expires is None:
        return expires_at
    limit = datetime.fromtimestamp(within.expires, tz=UTC)
    if expires_at is not None and expires_at <= limit:
        return expires_at
    if asked:
        raise Forbidden(_("Een token kan geen token maken dat langer werkt dan het zelf."), field="days")
    return limit


_UNIT_NAMES = {1: "s", 60: "min", 3600: "h"}


def _rate_within(rate: str, within: TokenGrant) -> str:
    """The rate of a token made with `within`: never faster than the maker's own (`Forbidden` when the
    rate asked for is; the maker's rate when none was asked and the default is faster)."""
    if within.limit <= 0:
        return rate
    limit, window_s = _rate(rate or settings.GEZIEN_TOKEN_RATE)
    if limit > 0 and limit * within.window_s <= within.limit * window_s:
        return rate
    if rate:
        raise Forbidden(
            _("Een token kan geen token maken met een ruimere limiet dan het zelf."), field="rate"
        )
    return f"{within.limit}/{_UNIT_NAMES[within.window_s]}"


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None = None, source: str = "cli") -> ApiToken:
    """Revoke `token` (again: nothing changes); `by` and `source` as for `token_create`."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _audit("token.revoke", token, by, source, user_id=token.user_id)
    _recent.pop(token.token_hash, None)
    return token


def _audit(action: str, token: ApiToken, by: User | None, source: str, **details: str | int | None) -> None:
    audit_record(
        action=action,
        actor_id=by.pk if by is not None else None,
        actor_name=by.display_name if by is not None else "",
        source=source,
        object_type="api_token",
        object_id=token.pk,
        details={"prefix": token.prefix, **details},
    )


# --- verify -------------------------------------------------------------------------------------------------


@functools.cache
def _rate(text: str) -> tuple[int, int]:
    found = rate_parse(text)
    if found is None:
        raise ImproperlyConfigured(f"GEZIEN_TOKEN_RATE: {text!r} is no rate such as 600/min")
    return found


def token_rate_default() -> tuple[int, int]:
    """GEZIEN_TOKEN_RATE as (requests, window in seconds); `ImproperlyConfigured` when it is no rate."""
    return _rate(settings.GEZIEN_TOKEN_RATE)


def _grant(record: ApiToken) -> TokenGrant:
    limit, window_s = _rate(record.rate or settings.GEZIEN_TOKEN_RATE)
    expires = record.expires_at.timestamp() if record.expires_at is not None else None
    scopes = frozenset(record.scopes)
    return TokenGrant(record.pk, record.token_hash[:20], record.user, scopes, expires, limit, window_s)


def _still_valid(token_id: int) -> bool:
    return ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True, user__is_active=True).exists()


def token_grant(token: str) -> TokenGrant | None:
    """What a token may do, or None for an unknown, revoked or expired token or an inactive owner."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = _digest(token)
    now = time.monotonic()
    kept = _recent.get(digest)
    if kept is not None and kept.until > now:
        grant = kept.grant
        if now - kept.checked > getattr(settings, "GEZIEN_TOKEN_RECHECK_SECONDS", REVOKE_CHECK_S):
            if not _still_valid(grant.token_id):
                _recent.pop(digest, None)
                return None
            kept.checked = now
        if grant.expires is not None and timezone.now().timestamp() >= grant.expires:  # the desk's clock
            return None
        return grant
    moment = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None or (record.expires_at is not None and record.expires_at <= moment):
        _recent.pop(digest, None)
        return None
    # Record use, but not on every request: a write per call would halve API throughput on SQLite.
    if record.last_used_at is None or moment - record.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=moment)
    record.user.get_all_permissions()  # loads the permission cache on this User object
    grant = _grant(record)
    if len(_recent) >= _CACHE_LIMIT:
        _recent.clear()
    _recent[digest] = _Kept(grant, now)
    return grant


def token_user(token: str) -> User | None:
    """The active user a token belongs to, or None (see `token_grant`)."""
    grant = token_grant(token)
    return grant.user if grant is not None else None


def token_rate_check(grant: TokenGrant) -> None:
    """Count one request of this token; `TooMany` (429) past its limit in this window. A refused
    request counts too, so hammering does not shorten the wait."""
    if grant.limit <= 0:
        return
    count, retry_after = window_count(f"token:{grant.key}", grant.window_s)
    if count > grant.limit:
        raise TooMany(
            _("Te veel verzoeken met dit token; probeer het over %(s)d seconden opnieuw.")
            % {"s": retry_after},
            retry_after=retry_after,
        )
