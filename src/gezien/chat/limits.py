"""How much a chat visitor may send: fixed one-minute windows counted in Django's cache (per process
with the default local-memory cache; shared between processes with a shared cache), per session and per
client address. Over the limit: `TooMany` (429, with the seconds until the window ends)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from gezien.core.errors import DomainError

WINDOW_S = 60


class TooMany(DomainError):
    """Too many requests: answered 429 with `Retry-After: retry_after`."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class TooBig(DomainError):
    """A message or file over the widget's size limit: answered 413."""

    status_code = 413


def rate_check(scope: str, who: str, limit: int, *, now: float | None = None) -> None:
    """Count one request of `who` in `scope`; `TooMany` when it is over `limit` in this minute (0: no
    limit). A refused request counts too, so hammering does not shorten the wait."""
    if limit <= 0:
        return
    now = time.time() if now is None else now
    window = int(now // WINDOW_S)
    key = f"gezien:chat:rate:{scope}:{who}:{window}"
    if cache.add(key, 1, WINDOW_S + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_S + 5)
            count = 1
    if count > limit:
        retry_after = max(1, int((window + 1) * WINDOW_S - now) + 1)
        raise TooMany(
            _("Te veel berichten in korte tijd; probeer het over %(s)d seconden opnieuw.")
            % {"s": retry_after},
            retry_after=retry_after,
        )
