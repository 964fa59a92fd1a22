"""The range of date-times Gezien accepts from outside: a customer service works in this century.

Year 1 or 9999 with a far time-zone offset overflows when stored (SQLite) or when read back
(PostgreSQL), so such input is refused at the door with a clear message instead.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.core.errors import Invalid

# A year away from both ends, so that no time-zone offset can push a value past year 1 or 9999.
FIRST_YEAR = 1901
LAST_YEAR = 2099


def check_moment(value: datetime, *, field: str | None) -> datetime:
    """Return `value` made aware (naive means the desk's own time zone), or refuse it."""
    if not isinstance(value, datetime):
        raise Invalid(_("Dit is geen datum en tijd."), field=field)
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise Invalid(_("Kies een datum tussen 1901 en 2099."), field=field)
    return value if timezone.is_aware(value) else timezone.make_aware(value)
