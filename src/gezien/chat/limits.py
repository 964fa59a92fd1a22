"""How much a chat visitor may send: fixed one-minute windows counted in Django's cache (per process
with the default local-memory cache; shared between processes with a shared cache), per session and per
client address. Over the limit: `TooMany` (429, with the seconds until the window ends)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gezien.core.errors import DomainError, TooMany
from gezien.core.rates import window_count

WINDOW_S = 60
__all__ = ["TooBig", "TooMany", "rate_check"]


class TooBig(DomainError):
    """A message or file over the widget's size limit: answered 413."""

    status_code = 413


def rate_check(scope: str, who: str, limit: int, *, now: float | None = None) -> None:
    """Count one request of `who` in `scope`; `TooMany` when it is over `limit` in this minute (0: no
    limit). A refused request counts too, so hammering does not shorten the wait."""
    if limit <= 0:
        return
    count, retry_after = window_count(f"chat:{scope}:{who}", WINDOW_S, now=now)
    if count > limit:
        raise TooMany(
            _("Te veel berichten in korte tijd; probeer het over %(s)d seconden opnieuw.")
            % {"s": retry_after},
            retry_after=retry_after,
        )
