"""Writes for planning: service-level targets (managers), forecast edits and shifts (team leads: their
own team's shifts; managers everyone's), and the import of interval history and shifts. Keyword-only,
atomic; bad input raises `Invalid`/`Forbidden`/`NotFound`/`Conflict` with a Dutch message and leaves
nothing written."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.core.errors import Conflict, Forbidden, Invalid, NotFound
from gezien.core.period import FIRST_DAY, LAST_DAY
from gezien.planning.history import CHANNEL_NAMES, ImportRow, history_import, parse_moment, read_csv
from gezien.planning.intervals import is_quarter, local_day
from gezien.planning.models import AdjustmentKind, ForecastAdjustment, ServiceTarget, Shift
from gezien.planning.selectors import CHANNELS, Target, can_schedule, default_target

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    Actor = User | AnonymousUser

MAX_SHIFT = timedelta(hours=16)
MAX_ADJUSTMENT = timedelta(days=62)
MAX_NOTE = 200


def _require(actor: Actor, perm: str) -> None:
    if not actor.is_authenticated or not actor.has_perm(perm):
        raise Forbidden(_("Uw rol mag dit niet."))


def _channel(channel: str, field: str = "channel") -> str:
    if channel not in CHANNELS:
        raise Invalid(
            _("Onbekend kanaal %(c)r: kies %(all)s.") % {"c": channel[:20], "all": ", ".join(CHANNELS)},
            field=field,
        )
    return channel


def _moment(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime):
        raise Invalid(_("Dit is geen datum en tijd."), field=field)
    value = value if timezone.is_aware(value) else timezone.make_aware(value)
    if not FIRST_DAY <= local_day(value) <= LAST_DAY:
        raise Invalid(_("Kies een datum tussen 2000 en 2099."), field=field)
    return value


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid(_("Een toelichting is hoogstens %(n)s tekens.") % {"n": MAX_NOTE}, field="note")
    if "\x00" in note:
        raise Invalid(_("Dit veld bevat een ongeldig teken (NUL)."), field="note")
    return note


# --- targets ----------------------------------------------------------------------------------------


def _share(
    value: float | None, field: str, *, low: float, high: float, low_open: bool, high_open: bool
) -> None:
    if value is None:
        return
    ok = isinstance(value, int | float) and math.isfinite(value)
    ok = ok and (value > low if low_open else value >= low) and (value < high if high_open else value <= high)
    if not ok:
        raise Invalid(_("%(field)s ligt buiten het toegestane bereik.") % {"field": field}, field=field)


def target_save(
    *,
    actor: Actor,
    channel: str,
    service_level: float,
    target_seconds: int,
    patience_seconds: int | None,
    max_abandon: float | None,
    max_occupancy: float | None,
    shrinkage: float,
    concurrency: int,
) -> Target:
    """Set a channel's service-level target (created when missing). Managers only."""
    _require(actor, "planning.manage_targets")
    _channel(channel)
    _share(service_level, "service_level", low=0, high=1, low_open=True, high_open=True)
    _share(shrinkage, "shrinkage", low=0, high=0.9, low_open=False, high_open=False)
    _share(max_occupancy, "max_occupancy", low=0, high=1, low_open=True, high_open=False)
    _share(max_abandon, "max_abandon", low=0, high=1, low_open=False, high_open=True)
    if not isinstance(target_seconds, int) or not 1 <= target_seconds <= 7 * 86_400:
        raise Invalid(_("Kies een doel tussen 1 seconde en 7 dagen."), field="target_seconds")
    if patience_seconds is not None and (
        not isinstance(patience_seconds, int) or not 1 <= patience_seconds <= 86_400
    ):
        raise Invalid(
            _("Kies een geduld tussen 1 seconde en een dag, of laat het leeg."), field="patience_seconds"
        )
    if max_abandon is not None and patience_seconds is None:
        raise Invalid(
            _("Een grens voor opgehangen klanten kan alleen met een geduld (Erlang A)."), field="max_abandon"
        )
    if not isinstance(concurrency, int) or not 1 <= concurrency <= 20:
        raise Invalid(_("Kies 1 tot 20 contacten tegelijk."), field="concurrency")
    values = {
        "service_level": service_level,
        "target_seconds": target_seconds,
        "patience_seconds": patience_seconds,
        "max_abandon": max_abandon,
        "max_occupancy": max_occupancy,
        "shrinkage": shrinkage,
        "concurrency": concurrency,
    }
    with transaction.atomic():
        ServiceTarget.objects.update_or_create(channel=channel, defaults=values)
    return Target(channel=channel, **values)  # type: ignore[arg-type]


def target_reset(*, actor: Actor, channel: str) -> Target:
    """Back to the starting target of the channel."""
    _require(actor, "planning.manage_targets")
    _channel(channel)
    ServiceTarget.objects.filter(channel=channel).delete()
    return default_target(channel)


# --- forecast edits ---------------------------------------------------------------------------------


def adjustment_add(
    *,
    actor: Actor,
    channel: str,
    start: datetime,
    end: datetime,
    kind: str,
    value: float,
    note: str = "",
) -> ForecastAdjustment:
    """Edit the forecast of a channel for [start, end) (whole quarters): `percent` (+40 for "storing
    verwacht: +40 %"), `volume` (contacts over the whole range, within one day) or `aht` (seconds)."""
    _require(actor, "planning.edit_forecast")
    _channel(channel)
    start, end = _moment(start, "start"), _moment(end, "end")
    if end <= start:
        raise Invalid(_("Het einde moet na het begin liggen."), field="end")
    if not (is_quarter(start) and is_quarter(end)):
        raise Invalid(_("Begin en einde vallen op een heel kwartier (08:00, 08:15, ...)."), field="start")
    if end - start > MAX_ADJUSTMENT:
        raise Invalid(_("Een aanpassing beslaat hoogstens 62 dagen."), field="end")
    if kind not in AdjustmentKind.values:
        raise Invalid(_("Kies percentage, aantal of afhandeltijd."), field="kind")
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise Invalid(_("Vul een getal in."), field="value")
    if kind == AdjustmentKind.PERCENT and not -100 <= value <= 1000:
        raise Invalid(_("Kies een percentage tussen -100 en +1000."), field="value")
    if kind == AdjustmentKind.VOLUME:
        if not 0 <= value <= 1_000_000:
            raise Invalid(_("Kies een aantal tussen 0 en 1.000.000."), field="value")
        if local_day(start) != local_day(end - timedelta(microseconds=1)):
            raise Invalid(_("Een verwacht aantal geldt voor één dag; maak er één per dag."), field="end")
    if kind == AdjustmentKind.AHT and not 1 <= value <= 86_400:
        raise Invalid(_("Kies een afhandeltijd tussen 1 seconde en een dag."), field="value")
    return ForecastAdjustment.objects.create(
        channel=channel,
        start=start,
        end=end,
        kind=kind,
        value=float(value),
        note=_note(note),
        created_by=actor if isinstance(actor, User) else None,
    )


def adjustment_delete(*, actor: Actor, adjustment_id: int) -> None:
    _require(actor, "planning.edit_forecast")
    deleted, _kinds = ForecastAdjustment.objects.filter(pk=adjustment_id).delete()
    if not deleted:
        raise NotFound(_("Deze aanpassing bestaat niet."))


# --- shifts -----------------------------------------------------------------------------------------


def _channels(channels: Iterable[str]) -> str:
    chosen = []
    for channel in channels:
        _channel(channel, "channels")
        if channel not in chosen:
            chosen.append(channel)
    if not chosen:
        raise Invalid(_("Kies minstens één kanaal."), field="channels")
    return ",".join(c for c in CHANNELS if c in chosen)


def _person(actor: Actor, person: User) -> User:
    if not person.works_in_desk:
        raise Invalid(_("%(name)s werkt niet in de desk.") % {"name": person.get_username()}, field="user")
    if not can_schedule(actor, person):
        raise Forbidden(_("U roostert alleen mensen van uw eigen team in."))
    return person


def _check_shift(person: User, start: datetime, end: datetime, exclude: int | None = None) -> None:
    if end <= start:
        raise Invalid(_("Het einde moet na het begin liggen."), field="end")
    if end - start > MAX_SHIFT:
        raise Invalid(_("Een dienst duurt hoogstens 16 uur."), field="end")
    overlapping = Shift.objects.filter(user=person, start__lt=end, end__gt=start)
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude)
    if overlapping.exists():
        raise Conflict(
            _("%(name)s heeft dan al een dienst.") % {"name": person.display_name},
            field="start",
        )


def shift_create(
    *, actor: Actor, user: User, channels: Sequence[str], start: datetime, end: datetime, note: str = ""
) -> Shift:
    """Schedule someone on these channels from `start` to `end` (no overlap with their other shifts)."""
    _require(actor, "planning.edit_forecast")
    person = _person(actor, user)
    joined = _channels(channels)
    start, end = _moment(start, "start"), _moment(end, "end")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=person.pk).first()  # one person's shifts at a time
        _check_shift(person, start, end)
        return Shift.objects.create(
            user=person,
            channels=joined,
            start=start,
            end=end,
            note=_note(note),
            created_by=actor if isinstance(actor, User) else None,
        )


def shift_update(
    *,
    actor: Actor,
    shift_id: int,
    user: User | None = None,
    channels: Sequence[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    note: str | None = None,
) -> Shift:
    """Change a shift (what is not given stays). Both the shift's person and a new one must be
    someone `actor` may schedule."""
    _require(actor, "planning.edit_forecast")
    with transaction.atomic():
        shift = (
            Shift.objects.select_for_update(of=("self",)).select_related("user").filter(pk=shift_id).first()
        )
        if shift is None:
            raise NotFound(_("Deze dienst bestaat niet."))
        if not can_schedule(actor, shift.user):
            _forbidden_shift()
        person = _person(actor, user) if user is not None else shift.user
        joined = _channels(channels) if channels is not None else shift.channels
        new_start = _moment(start, "start") if start is not None else shift.start
        new_end = _moment(end, "end") if end is not None else shift.end
        _check_shift(person, new_start, new_end, exclude=shift.pk)
        shift.user, shift.channels, shift.start, shift.end = person, joined, new_start, new_end
        if note is not None:
            shift.note = _note(note)
        shift.save(update_fields=["user", "channels", "start", "end", "note", "updated_at"])
        return shift


def _forbidden_shift() -> None:
    raise Forbidden(_("U roostert alleen mensen van uw eigen team in."))


def shift_delete(*, actor: Actor, shift_id: int) -> None:
    _require(actor, "planning.edit_forecast")
    with transaction.atomic():
        shift = Shift.objects.select_related("user").filter(pk=shift_id).first()
        if shift is None:
            raise NotFound(_("Deze dienst bestaat niet."))
        if not can_schedule(actor, shift.user):
            _forbidden_shift()
        shift.delete()


@dataclass(frozen=True)
class ShiftRow:
    username: str
    channels: tuple[str, ...]
    start: datetime
    end: datetime
    note: str = ""


SHIFT_COLUMNS = {
    "medewerker": "username",
    "gebruiker": "username",
    "gebruikersnaam": "username",
    "username": "username",
    "user": "username",
    "kanalen": "channels",
    "kanaal": "channels",
    "channels": "channels",
    "channel": "channels",
    "start": "start",
    "begin": "start",
    "einde": "end",
    "eind": "end",
    "end": "end",
    "toelichting": "note",
    "note": "note",
}
MAX_SHIFT_ROWS = 5000


def parse_shifts_csv(text: str) -> list[ShiftRow]:
    """medewerker, kanalen ("telefoon chat" or "phone|chat"), start, einde, [toelichting]."""
    header, rows = read_csv(text)
    columns = {name: SHIFT_COLUMNS.get(name) for name in header}
    missing = {"username", "channels", "start", "end"} - set(columns.values())
    if missing:
        raise Invalid(
            _("Kolommen ontbreken: %(names)s (nodig: medewerker, kanalen, start, einde).")
            % {"names": ", ".join(sorted(missing))},
            field="file",
        )
    if len(rows) > MAX_SHIFT_ROWS:
        raise Invalid(_("Te veel regels: hoogstens %(n)s per keer.") % {"n": MAX_SHIFT_ROWS}, field="file")
    out = []
    for n, raw in enumerate(rows, start=2):
        where = _("regel %(n)s") % {"n": n}
        values = {columns[h]: (raw[i] if i < len(raw) else "") for i, h in enumerate(header) if columns[h]}
        names = values.get("channels", "").replace("|", " ").replace("+", " ").replace("/", " ").split()
        out.append(
            ShiftRow(
                username=values.get("username", "").strip(),
                channels=tuple(CHANNEL_NAMES.get(c.lower(), c.lower()) for c in names),
                start=parse_moment(values.get("start", ""), where, "start"),
                end=parse_moment(values.get("end", ""), where, "end"),
                note=values.get("note", "").strip(),
            )
        )
    return out


def shifts_import(*, actor: Actor, rows: Sequence[ShiftRow]) -> list[Shift]:
    """Create every shift of the rows, or (on any bad row) none."""
    _require(actor, "planning.edit_forecast")
    if not rows:
        raise Invalid(_("Er staan geen diensten in."), field="file")
    people = {u.username: u for u in User.objects.filter(username__in={r.username for r in rows})}
    created = []
    with transaction.atomic():
        for n, row in enumerate(rows, start=2):
            person = people.get(row.username)
            try:
                if person is None:
                    raise Invalid(_("onbekende medewerker %(u)r") % {"u": row.username[:60]}, field="user")
                created.append(
                    shift_create(
                        actor=actor,
                        user=person,
                        channels=row.channels,
                        start=row.start,
                        end=row.end,
                        note=row.note,
                    )
                )
            except (Invalid, Conflict, Forbidden) as exc:
                raise type(exc)(
                    _("regel %(n)s: %(m)s") % {"n": n, "m": exc.message}, field=exc.field
                ) from None
    return created


# --- interval history -------------------------------------------------------------------------------


def history_rows_import(*, actor: Actor, rows: Sequence[ImportRow]) -> int:
    """Import a telephony platform's interval data (see `history.history_import`)."""
    _require(actor, "planning.edit_forecast")
    return history_import(rows=rows)
