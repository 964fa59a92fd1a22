"""The interval history the forecast learns from: offered contacts and handling time per channel per
quarter of an hour (`VolumeInterval`), kept in two sources.

- **contacts**: counted from the desk's own contact facts. Whenever insights rebuilds a contact's fact
  (`history_mark_days`, a fact contributor), the local day it opened on is marked; the periodic tick
  (`history_catch_up`) counts marked days again, one query per day over that day's facts. Nothing
  ever scans all history.
- **import**: interval data from a telephony platform (ACD), which also counts the calls nobody
  logged in the desk: `history_import` (API) and `parse_history_csv` (CSV upload). Where a channel has
  imported data for a day, that day is read from the import only.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.core.errors import Invalid
from gezien.core.period import FIRST_DAY, LAST_DAY
from gezien.planning.intervals import QUARTER, UTC, day_bounds, is_quarter, local_day
from gezien.planning.models import Source, VolumeInterval
from gezien.planning.selectors import CHANNELS

MAX_IMPORT_ROWS = 100_000
IMPORT_MINUTES = (15, 30, 60)


# --- counted from contacts --------------------------------------------------------------------------


# Contacts are counted into the history by a feature above planning (insights, from its contact facts),
# which registers its catch-up here; readers call `history_catch_up` to bring the history up to date.
_counters: list[Callable[[int | None], int]] = []


def history_counted_by(counter: Callable[[int | None], int]) -> None:
    """Register `counter(limit)`, which counts marked days into the history and returns how many."""
    _counters[:] = [counter]


def history_catch_up(limit: int | None = 31) -> int:
    """Count the days whose contacts changed (at most `limit` per call). Returns the number of days."""
    return sum(counter(limit) for counter in _counters)


# --- imported from a telephony platform -------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    """One interval of a telephony platform's export: `minutes` (15, 30, 60) from `start`."""

    channel: str
    start: datetime
    minutes: int
    offered: float
    handled: float | None = None  # answered contacts; None: as many as offered
    aht_seconds: float | None = None  # mean handling time of the handled ones; None: not known
    line: int | None = None  # the line of the CSV file it came from (for messages)


def _check_row(row: ImportRow, where: str) -> None:

    if row.channel not in CHANNELS:
        raise Invalid(
            _("%(where)s: onbekend kanaal %(c)r.") % {"where": where, "c": row.channel}, field="channel"
        )
    if timezone.is_naive(row.start):
        raise Invalid(_("%(where)s: tijd zonder tijdzone.") % {"where": where}, field="start")
    if not FIRST_DAY <= local_day(row.start) <= LAST_DAY:
        raise Invalid(_("%(where)s: kies een datum tussen 2000 en 2099.") % {"where": where}, field="start")
    if not is_quarter(row.start):
        raise Invalid(
            _("%(where)s: een interval begint op een heel kwartier (08:00, 08:15, ...).") % {"where": where},
            field="start",
        )
    if row.minutes not in IMPORT_MINUTES:
        raise Invalid(
            _("%(where)s: een interval duurt 15, 30 of 60 minuten.") % {"where": where}, field="minutes"
        )
    for name, value, top in (
        ("offered", row.offered, 1_000_000),
        ("handled", row.handled, 1_000_000),
        ("aht_seconds", row.aht_seconds, 86_400),
    ):
        if value is not None and not 0 <= value <= top:  # also refuses NaN
            raise Invalid(
                _("%(where)s: %(name)s moet tussen 0 en %(top)s liggen.")
                % {"where": where, "name": name, "top": top},
                field=name,
            )


def history_import(*, rows: Iterable[ImportRow]) -> int:
    """Store a telephony platform's interval data (all rows or, on any bad row, none). An interval of
    30 or 60 minutes is spread evenly over its quarters; a quarter imported again is replaced.
    Returns the number of quarters written."""
    quarters: dict[tuple[str, datetime], list[float]] = {}
    count = 0
    for count, row in enumerate(rows, start=1):
        if count > MAX_IMPORT_ROWS:
            raise Invalid(
                _("Te veel regels: hoogstens %(n)s per keer.") % {"n": MAX_IMPORT_ROWS}, field="rows"
            )
        _check_row(row, _("regel %(n)s") % {"n": row.line} if row.line else _("rij %(n)s") % {"n": count})
        parts = row.minutes // 15
        handled = row.offered if row.handled is None else row.handled
        seconds = 0.0 if row.aht_seconds is None else handled * row.aht_seconds
        if row.aht_seconds is None:
            handled = 0.0  # the handling time is not known: leave it to other days
        for i in range(parts):
            at = row.start.astimezone(UTC) + QUARTER * i
            quarters[(row.channel, at)] = [row.offered / parts, handled / parts, seconds / parts]
    if not quarters:
        raise Invalid(_("Er staan geen intervallen in."), field="rows")
    with transaction.atomic():  # all quarters or none, however many batches
        return intervals_upsert(Source.IMPORT, quarters)


def intervals_upsert(source: str, sums: Mapping[tuple[str, datetime], Sequence[float]]) -> int:
    """Store quarter-hour sums `(channel, start) -> (offered, handled, handled_seconds)` from one source
    as an upsert, so that two writers counting the same quarter end with one row; returns how many."""
    rows = [
        VolumeInterval(channel=c, start=at, source=source, offered=o, handled=h, handled_seconds=s)
        for (c, at), (o, h, s) in sums.items()
    ]
    VolumeInterval.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["channel", "start", "source"],
        update_fields=["offered", "handled", "handled_seconds", "updated_at"],
    )
    return len(rows)


def history_clear(*, channel: str, start: date, end: date) -> int:
    """Remove the imported intervals of a channel for the days [start, end]."""
    lo, _hi = day_bounds(start)
    _lo, hi = day_bounds(end)
    deleted, _kinds = VolumeInterval.objects.filter(
        channel=channel, source=Source.IMPORT, start__gte=lo, start__lt=hi
    ).delete()
    return deleted


# --- CSV --------------------------------------------------------------------------------------------

# Column names in Dutch or English (lower case, spaces and dashes read as underscores).
_COLUMNS = {
    "channel": "channel",
    "kanaal": "channel",
    "start": "start",
    "begin": "start",
    "interval": "start",
    "minutes": "minutes",
    "minuten": "minutes",
    "duur": "minutes",
    "offered": "offered",
    "aangeboden": "offered",
    "handled": "handled",
    "answered": "handled",
    "afgehandeld": "handled",
    "beantwoord": "handled",
    "aht": "aht_seconds",
    "aht_seconds": "aht_seconds",
    "aht_seconden": "aht_seconds",
    "afhandeltijd": "aht_seconds",
}
CHANNEL_NAMES = {
    "telefoon": "phone",
    "phone": "phone",
    "chat": "chat",
    "email": "email",
    "e-mail": "email",
    "mail": "email",
    "webform": "webform",
    "webformulier": "webform",
}


def _number(raw: str, where: str, name: str) -> float | None:
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # "nan", "inf" and 1e400 are words float() knows, not counts
        raise Invalid(_("%(where)s: %(name)s is geen getal.") % {"where": where, "name": name}, field=name)
    return value


def parse_moment(raw: str, where: str, field: str = "start") -> datetime:
    """ "2026-11-16 08:00", "2026-11-16T08:00" or with an offset; without one it is local time."""
    text = raw.strip()
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(
            _("%(where)s: %(raw)r is geen datum en tijd (JJJJ-MM-DD UU:MM).")
            % {"where": where, "raw": text[:40]},
            field=field,
        ) from None
    if not FIRST_DAY.year <= value.year <= LAST_DAY.year:
        raise Invalid(_("%(where)s: kies een datum tussen 2000 en 2099.") % {"where": where}, field=field)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def read_csv(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a CSV text separated by commas or semicolons (Dutch spreadsheets)."""
    if "\x00" in text:
        raise Invalid(_("Het bestand bevat een ongeldig teken (NUL)."), field="file")
    lines = text.lstrip("\ufeff")
    first = lines.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = [
            row for row in csv.reader(io.StringIO(lines), delimiter=delimiter) if any(c.strip() for c in row)
        ]
    except csv.Error as exc:
        raise Invalid(_("Het bestand is geen leesbare CSV: %(e)s") % {"e": exc}, field="file") from None
    if not rows:
        raise Invalid(_("Het bestand is leeg."), field="file")
    header = [c.strip().lower().replace(" ", "_").replace("-", "_") for c in rows[0]]
    return header, rows[1:]


def parse_history_csv(text: str, *, default_minutes: int) -> list[ImportRow]:
    """Rows of an interval export: kanaal, start, [minuten], aangeboden, [afgehandeld], [aht]."""
    header, rows = read_csv(text)
    columns = {name: _COLUMNS.get(name) for name in header}
    missing = {"channel", "start", "offered"} - set(columns.values())
    if missing:
        raise Invalid(
            _("Kolommen ontbreken: %(names)s (nodig: kanaal, start, aangeboden).")
            % {"names": ", ".join(sorted(missing))},
            field="file",
        )
    if len(rows) > MAX_IMPORT_ROWS:
        raise Invalid(_("Te veel regels: hoogstens %(n)s per keer.") % {"n": MAX_IMPORT_ROWS}, field="file")
    out = []
    for n, raw in enumerate(rows, start=2):
        where = _("regel %(n)s") % {"n": n}
        values = {columns[h]: (raw[i] if i < len(raw) else "") for i, h in enumerate(header) if columns[h]}
        channel_text = values.get("channel", "").strip().lower()
        minutes = _number(values.get("minutes", ""), where, "minutes")
        offered = _number(values.get("offered", ""), where, "offered")
        if offered is None:
            raise Invalid(_("%(where)s: aangeboden ontbreekt.") % {"where": where}, field="offered")
        if minutes is not None and minutes != int(minutes):
            raise Invalid(
                _("%(where)s: een interval duurt 15, 30 of 60 minuten.") % {"where": where}, field="minutes"
            )
        out.append(
            ImportRow(
                channel=CHANNEL_NAMES.get(channel_text, channel_text),
                start=parse_moment(values.get("start", ""), where),
                minutes=int(minutes) if minutes is not None else default_minutes,
                offered=offered,
                handled=_number(values.get("handled", ""), where, "handled"),
                aht_seconds=_number(values.get("aht_seconds", ""), where, "aht_seconds"),
                line=n,
            )
        )
    return out


# --- what is there ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryDay:
    day: date
    channel: str
    source: str
    offered: float
    handled: float
    handled_seconds: float

    @property
    def aht_seconds(self) -> float | None:
        return self.handled_seconds / self.handled if self.handled else None


def history_days(channel: str | None, start: date, end: date) -> list[HistoryDay]:
    """Per day, channel and source: the offered contacts and handling time in [start, end] (at most a
    few hundred days: one query over their quarters), after counting the days whose contacts changed."""
    history_catch_up()
    lo, _hi = day_bounds(start)
    _lo, hi = day_bounds(end)
    rows = VolumeInterval.objects.filter(start__gte=lo, start__lt=hi)
    if channel is not None:
        rows = rows.filter(channel=channel)
    sums: dict[tuple[date, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for at, ch, source, o, h, s in rows.values_list(
        "start", "channel", "source", "offered", "handled", "handled_seconds"
    ).iterator(chunk_size=5000):
        bucket = sums[(local_day(at), ch, source)]
        bucket[0] += o
        bucket[1] += h
        bucket[2] += s
    return [HistoryDay(d, ch, src, *v) for (d, ch, src), v in sorted(sums.items())]
