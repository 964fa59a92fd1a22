"""Login throttling: after GEZIEN_LOGIN_MAX_FAILURES failed sign-ins for one account, or from one client
address, within GEZIEN_LOGIN_WINDOW_MINUTES, further attempts are refused before any password is checked.

The counters are in Django's cache (the process's memory, or the Redis of GEZIEN_CACHE_URL that every
server process shares): a wrong-password flood then costs a cache read an attempt, never the password
hasher's ~100 ms of CPU. A window starts at its first failure and ends GEZIEN_LOGIN_WINDOW_MINUTES later
(the counter's expiry). A successful sign-in clears the account's counter, not the address's: one good
password must not open the door for guesses at other accounts. An administrator unlocks an account
(`login_unlock`) or an address (`address_unlock`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

_PREFIX = "gezien:login-failures"


def _account_key(username: str) -> str:
    normalised = username.strip().casefold().encode("utf-8", "surrogatepass")
    return f"{_PREFIX}:account:{hashlib.sha256(normalised).hexdigest()[:40]}"


def _address_key(address: str) -> str:
    return f"{_PREFIX}:address:{address or '-'}"


def window_seconds() -> int:
    return int(settings.GEZIEN_LOGIN_WINDOW_MINUTES) * 60


@dataclass(frozen=True)
class Refusal:
    """Why sign-in is refused now: the account, the address or both are locked."""

    account: bool
    address: bool


def login_refused(username: str, address: str) -> Refusal | None:
    """A refusal when the account or the address has reached the limit of failures, else None."""
    keys = [_account_key(username), _address_key(address)]
    counts = cache.get_many(keys)
    limit = int(settings.GEZIEN_LOGIN_MAX_FAILURES)
    account = int(counts.get(keys[0], 0)) >= limit
    by_address = int(counts.get(keys[1], 0)) >= limit
    return Refusal(account, by_address) if account or by_address else None


def _count(key: str) -> int:
    cache.add(key, 0, timeout=window_seconds())  # starts the window; does nothing while it runs
    try:
        return int(cache.incr(key))
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, timeout=window_seconds())
        return 1


def login_failure_count(username: str, address: str) -> Refusal | None:
    """Count one failed attempt; the refusal this failure has just brought about (the account's or the
    address's count reached the limit with it), else None."""
    limit = int(settings.GEZIEN_LOGIN_MAX_FAILURES)
    account_key = _account_key(username)
    account = _count(account_key) == limit
    by_address = _count(_address_key(address)) == limit
    cache.set(f"{account_key}:address", address, timeout=window_seconds())
    return Refusal(account, by_address) if account or by_address else None


def login_success(username: str) -> None:
    """A successful sign-in clears the account's failures."""
    cache.delete(_account_key(username))


def login_unlock(username: str) -> bool:
    """Clear an account's failures, and those of the address its last failure came from (the person's
    own computer, locked by the same typing); whether the account was locked."""
    key = _account_key(username)
    found = cache.get_many([key, f"{key}:address"])
    was_locked = int(found.get(key, 0)) >= int(settings.GEZIEN_LOGIN_MAX_FAILURES)
    cache.delete_many([key, f"{key}:address"])
    if f"{key}:address" in found:
        cache.delete(_address_key(str(found[f"{key}:address"])))
    return was_locked


def address_unlock(address: str) -> bool:
    """Clear a client address's failures; whether it was locked."""
    key = _address_key(address)
    was_locked = int(cache.get(key, 0)) >= int(settings.GEZIEN_LOGIN_MAX_FAILURES)
    cache.delete(key)
    return was_locked


def accounts_locked(usernames: list[str]) -> set[str]:
    """Which of these accounts are locked now (one cache read for all)."""
    keys = {_account_key(name): name for name in usernames}
    counts = cache.get_many(list(keys))
    limit = int(settings.GEZIEN_LOGIN_MAX_FAILURES)
    return {keys[key] for key, count in counts.items() if int(count) >= limit}


_RESET_PREFIX = "gezien:reset-mails"
RESET_WINDOW_SECONDS = 3600


def reset_mail_allowed(email: str, address: str) -> bool:
    """Whether a password-reset mail may go to `email` asked from `address`: at most
    GEZIEN_RESET_MAIL_MAX_PER_HOUR an hour for each (counted when allowed). A refused request gets the
    same page as any other, so the limit tells nobody which addresses are known."""
    normalised = email.strip().casefold().encode("utf-8", "surrogatepass")
    keys = [
        f"{_RESET_PREFIX}:account:{hashlib.sha256(normalised).hexdigest()[:40]}",
        f"{_RESET_PREFIX}:address:{address or '-'}",
    ]
    limit = int(settings.GEZIEN_RESET_MAIL_MAX_PER_HOUR)
    counts = cache.get_many(keys)
    if any(int(counts.get(key, 0)) >= limit for key in keys):
        return False
    for key in keys:
        cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # the hour ended between the two calls
            cache.set(key, 1, timeout=RESET_WINDOW_SECONDS)
    return True
