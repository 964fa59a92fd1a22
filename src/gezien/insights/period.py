"""The period a dashboard, export or API call covers: `from` and `to` (ISO dates, inclusive) in the
query string, by default the last 28 days up to today (Europe/Amsterdam)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.errors import Invalid

DEFAULT_DAYS = 28
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_query(self) -> str:
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"


def _date(raw: str | None, field: str) -> date | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        return date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise Invalid(_("Geen geldige datum (JJJJ-MM-DD)."), field=field) from None


def period_from(params: Mapping[str, str | None], *, default_days: int = DEFAULT_DAYS) -> Period:
    """Read `from`/`to`; Invalid (422) for a malformed date, a reversed or a too long period."""
    end = _date(params.get("to"), "to") or timezone.localdate()
    start = _date(params.get("from"), "from") or end - timedelta(days=default_days - 1)
    if start > end:
        raise Invalid(_("De begindatum ligt na de einddatum."), field="from")
    if (end - start).days + 1 > MAX_DAYS:
        raise Invalid(_("Kies een periode van hoogstens drie jaar."), field="from")
    return Period(start, end)
