"""The period a dashboard, export or API call covers: `from` and `to` (ISO dates, inclusive) in the
query string, by default the last 28 days up to today (Europe/Amsterdam)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.core.errors import Invalid

DEFAULT_DAYS = 28
MAX_DAYS = 3 * 366
# Dates outside these are refused: figures start long after the first and end long before the last,
# and date arithmetic near year 1 or 9999 overflows ("the period before", the week after).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


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
        value = date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise Invalid(_("Geen geldige datum (JJJJ-MM-DD)."), field=field) from None
    return date_in_range(value, field)


def date_in_range(value: date, field: str) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise Invalid(
            _("Kies een datum tussen %(first)s en %(last)s.") % {"first": FIRST_DAY, "last": LAST_DAY},
            field=field,
        )
    return value


def period_from(params: Mapping[str, str | None], *, default_days: int = DEFAULT_DAYS) -> Period:
    """Read `from`/`to`; Invalid (422) for a malformed date, a reversed or a too long period."""
    end = _date(params.get("to"), "to") or timezone.localdate()
    start = _date(params.get("from"), "from") or end - timedelta(days=default_days - 1)
    if start > end:
        raise Invalid(_("De begindatum ligt na de einddatum."), field="from")
    if (end - start).days + 1 > MAX_DAYS:
        raise Invalid(_("Kies een periode van hoogstens drie jaar."), field="from")
    return Period(start, end)
