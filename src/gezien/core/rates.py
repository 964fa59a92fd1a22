"""Fixed-window request counts in Django's cache: per process with the default local-memory cache,
shared by every process with a shared one (`GEZIEN_CACHE_URL`). Used by the chat's and the API tokens'
rate limits."""

from __future__ import annotations

import re
import time

from django.core.cache import cache


def window_count(key: str, window_s: int, *, now: float | None = None) -> tuple[int, int]:
    """Count one request under `key` in the current window of `window_s` seconds: (the count so far in
    this window, whole seconds until it ends)."""
    now = time.time() if now is None else now
    window = int(now // window_s)
    full_key = f"gezien:rate:{key}:{window_s}:{window}"
    try:  # one cache call for every request of a window but its first
        count = cache.incr(full_key)
    except ValueError:  # the window's first request (or its key expired); another may add it meanwhile
        count = 1 if cache.add(full_key, 1, window_s + 5) else cache.incr(full_key)
    return count, max(1, int((window + 1) * window_s - now) + 1)


_RATE = re.compile(r"^\s*(\d{1,9})\s*/\s*(s|sec|second|m|min|minute|h|hour)\s*$")
_UNIT_S = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


def rate_parse(text: str) -> tuple[int, int] | None:
    """ "600/min" -> (600, 60); "0/min" -> (0, 60) (no limit); None for text that is no rate."""
    found = _RATE.match(text)
    if found is None:
        return None
    return int(found[1]), _UNIT_S[found[2]]
