"""The settings an administrator may change in the desk: for each its key (the API's field), the GEZIEN_*
setting it defaults to, its group on the page and how a value is checked.

Values live in three shapes. *Outside*: what the API and the CLI take and show (opening hours as a map of
weekdays, capacity as a map of channels, holidays as a list of objects). *Stored*: the JSON in
`DeskSetting.value`, in the environment variable's own format where it has one ("ma 08:00-18:00; ...",
"phone=1,chat=3"), so that *inside*, what `store.desk_setting` answers, is the same whether the value came
from the desk or from the environment, and every reader parses it as it always did.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.core.calendar import (
    DAY_SECONDS,
    OPTIONAL_DAYS,
    WEEKDAYS,
    CalendarError,
    Slot,
    parse_extra,
    parse_opening_hours,
)
from gezien.core.errors import Invalid

# The channels capacity is set for (contacts.models.Channel's values; a test keeps them equal: this ring
# sits below contacts).
CHANNELS = ("phone", "chat", "email", "webform")
SURVEY_KINDS = ("nps", "csat")
WEEKDAY_NAMES = (
    gettext_lazy("maandag"),
    gettext_lazy("dinsdag"),
    gettext_lazy("woensdag"),
    gettext_lazy("donderdag"),
    gettext_lazy("vrijdag"),
    gettext_lazy("zaterdag"),
    gettext_lazy("zondag"),
)
OPTIONAL_DAY_NAMES = {
    "goede_vrijdag": gettext_lazy("Goede Vrijdag"),
    "bevrijdingsdag": gettext_lazy("Bevrijdingsdag (elk jaar)"),
    "bevrijdingsdag_lustrum": gettext_lazy("Bevrijdingsdag (alleen in lustrumjaren: 2025, 2030, ...)"),
}
GROUPS = {
    "organisation": gettext_lazy("Organisatie"),
    "hours": gettext_lazy("Openingstijden en feestdagen"),
    "capacity": gettext_lazy("Capaciteit"),
    "surveys": gettext_lazy("Enquêtes"),
    "value": gettext_lazy("Waarde van een contact"),
}

Holiday = tuple[date, str, str]  # (day, name, "09:00-14:00" or "" for closed)


@dataclass(frozen=True)
class Definition:
    key: str
    env: str  # the Django setting (from the GEZIEN_* variable of the same name) that is the default
    group: str
    label: str | Promise
    help: str | Promise
    clean: Callable[[Any], Any]  # outside or stored value -> stored value; Invalid when it cannot be used
    shown: Callable[[Any], Any] = lambda value: value  # inside -> outside
    inside: Callable[[Any], Any] = lambda value: value  # stored -> inside
    from_env: Callable[[Any], Any] = lambda value: value  # the Django setting -> inside

    def default(self) -> Any:
        return self.from_env(getattr(settings, self.env, None)) if self.env else self.from_env(None)


def _invalid(key: str, message: str) -> Invalid:
    return Invalid(message, field=key)


def _canonical(clean: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An environment value written as the desk saves it ("ma-vr 08:00-18:00" -> "ma 08:00-18:00; di ..."),
    so that a form saved unchanged changes nothing; a value the desk would refuse stays as it is (the
    readers' own checks at startup name it)."""

    def default(value: Any) -> Any:
        try:
            return clean(value)
        except Invalid:
            return value

    return default


# --- simple values --------------------------------------------------------------------------------------


def _number(key: str, low: int, high: int) -> Callable[[Any], int]:
    def clean(value: Any) -> int:
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise _invalid(
                key, _("Kies een geheel getal van %(low)s tot en met %(high)s.") % {"low": low, "high": high}
            )
        return value

    return clean


def _text(key: str, longest: int) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise _invalid(key, _("Vul een naam in."))
        text = " ".join(value.split())
        if len(text) > longest:
            raise _invalid(key, _("Gebruik hoogstens %(n)s tekens.") % {"n": longest})
        return text

    return clean


def _clean_base_url(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(c.isspace() for c in text)
        or len(text) > 200
    ):
        raise _invalid(
            "base_url",
            _(
                "Vul een volledig webadres in dat met http:// of https:// begint, zoals https://desk.voorbeeld.nl."
            ),
        )
    return text.rstrip("/")


def _clean_survey_send(value: Any) -> str:
    if value not in ("email", "off"):
        raise _invalid("survey_send", _("Kies 'email' (Gezien mailt de enquête) of 'off' (niet versturen)."))
    return str(value)


def _clean_survey_kind(value: Any) -> str:
    text = value.strip().lower().replace(" ", "") if isinstance(value, str) else ""
    if text in SURVEY_KINDS:
        return text
    pairs = [part.partition("=") for part in text.split(",") if part]
    if (
        pairs
        and all(sep and channel in (*CHANNELS, "*") and kind in SURVEY_KINDS for channel, sep, kind in pairs)
        and len({channel for channel, _sep, _kind in pairs}) == len(pairs)
    ):
        return ",".join(f"{channel}={kind}" for channel, _sep, kind in pairs)
    raise _invalid(
        "survey_kind",
        _("Kies 'nps', 'csat' of per kanaal, zoals 'phone=nps,chat=csat,*=nps'."),
    )


# --- opening hours --------------------------------------------------------------------------------------

_TIME = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


def _hhmm(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _time(key: str, where: str, text: str) -> int:
    match = _TIME.match(text.strip())
    seconds = int(match[1]) * 3600 + int(match[2]) * 60 if match else DAY_SECONDS + 1
    if seconds > DAY_SECONDS:
        raise _invalid(
            key, _("%(where)s: '%(text)s' is geen tijd (UU:MM).") % {"where": where, "text": text.strip()}
        )
    return seconds


def parse_slots(key: str, where: str, text: str) -> tuple[Slot, ...]:
    """ "08:00-12:00, 13:00-17:00" -> slots, with a Dutch error naming `where` (a weekday, a date)."""
    slots: list[Slot] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        start, sep, end = part.partition("-")
        if not sep:
            raise _invalid(
                key,
                _("%(where)s: schrijf de tijden als 08:00-18:00, niet '%(text)s'.")
                % {"where": where, "text": part},
            )
        lo, hi = _time(key, where, start), _time(key, where, end)
        if hi <= lo:
            raise _invalid(
                key,
                _("%(where)s: de sluitingstijd (%(end)s) moet na de openingstijd (%(start)s) liggen.")
                % {"where": where, "start": _hhmm(lo), "end": _hhmm(hi)},
            )
        slots.append((lo, hi))
    slots.sort()
    for (_lo, previous_end), (lo, _hi) in itertools.pairwise(slots):
        if lo < previous_end:
            raise _invalid(key, _("%(where)s: de tijden overlappen elkaar.") % {"where": where})
    return tuple(slots)


def slots_text(slots: tuple[Slot, ...]) -> str:
    return ", ".join(f"{_hhmm(lo)}-{_hhmm(hi)}" for lo, hi in slots)


def _clean_opening_hours(value: Any) -> str:
    """A map {"ma": "08:00-18:00", ..., "zo": ""} (a weekday left out or empty: closed), or the
    environment's text, to the environment's text with each weekday named."""
    if isinstance(value, str):
        try:
            hours = parse_opening_hours(value)
        except CalendarError as exc:
            raise _invalid(
                "opening_hours", _("De openingstijden zijn niet te lezen: %(error)s") % {"error": exc}
            ) from exc
    elif isinstance(value, Mapping):
        unknown = [str(k) for k in value if k not in WEEKDAYS]
        if unknown:
            raise _invalid(
                "opening_hours",
                _("Onbekende dag: %(days)s (gebruik ma, di, wo, do, vr, za, zo).")
                % {"days": ", ".join(unknown)},
            )
        hours = tuple(
            parse_slots("opening_hours", str(WEEKDAY_NAMES[i]).capitalize(), _str(value.get(day)))
            for i, day in enumerate(WEEKDAYS)
        )
    else:
        raise _invalid("opening_hours", _("Geef de openingstijden per weekdag."))
    if not any(hours):
        raise _invalid("opening_hours", _("Open op minstens één dag van de week."))
    return "; ".join(
        f"{WEEKDAYS[i]} {slots_text(slots).replace(' ', '')}" for i, slots in enumerate(hours) if slots
    )


def _str(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid("opening_hours", _("Schrijf de tijden als tekst, zoals 08:00-18:00."))
    return value


def opening_hours_shown(text: str) -> dict[str, str]:
    hours = parse_opening_hours(text)
    return {day: slots_text(hours[i]) for i, day in enumerate(WEEKDAYS)}


# --- holidays -------------------------------------------------------------------------------------------


def _clean_extra(value: Any) -> str:
    names = value if isinstance(value, list | tuple) else None
    if isinstance(value, str):
        names = [n for n in value.split(",") if n.strip()]
    if names is None or not all(isinstance(n, str) for n in names):
        raise _invalid("holidays_extra", _("Geef een lijst van vrije dagen."))
    try:
        chosen = parse_extra(",".join(names))
    except CalendarError:
        raise _invalid(
            "holidays_extra",
            _("Kies uit %(days)s.") % {"days": ", ".join(OPTIONAL_DAYS)},
        ) from None
    return ",".join(day for day in OPTIONAL_DAYS if day in chosen)


def _extra_shown(text: str) -> list[str]:
    chosen = parse_extra(text)
    return [day for day in OPTIONAL_DAYS if day in chosen]


def _day(value: Any) -> date:
    text = value.strip() if isinstance(value, str) else ""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})-(\d{1,2})-(\d{4})", text)
    try:
        if match is None:
            raise ValueError(text)
        if match[1]:
            return date(int(match[1]), int(match[2]), int(match[3]))
        return date(int(match[6]), int(match[5]), int(match[4]))
    except ValueError:
        raise _invalid(
            "holidays",
            _("'%(text)s' is geen bestaande datum (schrijf 2026-12-24 of 24-12-2026).") % {"text": text},
        ) from None


def _clean_holidays(value: Any) -> list[dict[str, str]]:
    """A list of {"date": "2026-12-24", "name": "Kerstavond", "hours": "09:00-14:00" or "" (closed)}."""
    if not isinstance(value, list | tuple):
        raise _invalid("holidays", _("Geef een lijst van dagen met een datum en een naam."))
    out: dict[date, dict[str, str]] = {}
    for item in value:
        if not isinstance(item, Mapping) or set(item) - {"date", "name", "hours"}:
            raise _invalid(
                "holidays", _("Elke dag heeft alleen een datum (date), een naam (name) en tijden (hours).")
            )
        day = _day(item.get("date"))
        if not 2000 <= day.year <= 2099:
            raise _invalid("holidays", _("%(day)s ligt buiten 2000-2099.") % {"day": day.isoformat()})
        name = item.get("name")
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > 80:
            raise _invalid(
                "holidays",
                _("%(day)s: geef de dag een naam van hoogstens 80 tekens.") % {"day": day.isoformat()},
            )
        hours = item.get("hours") or ""
        if not isinstance(hours, str):
            raise _invalid(
                "holidays", _("%(day)s: schrijf de tijden als 09:00-14:00.") % {"day": day.isoformat()}
            )
        if hours.strip().lower() in ("gesloten", "closed"):
            hours = ""
        slots = parse_slots("holidays", day.isoformat(), hours)
        if day in out:
            raise _invalid("holidays", _("%(day)s staat er twee keer in.") % {"day": day.isoformat()})
        out[day] = {"date": day.isoformat(), "name": " ".join(name.split()), "hours": slots_text(slots)}
    return [out[day] for day in sorted(out)]


def _holidays_inside(value: list[dict[str, str]]) -> tuple[Holiday, ...]:
    return tuple((date.fromisoformat(h["date"]), h["name"], h["hours"]) for h in value)


def _holidays_shown(value: tuple[Holiday, ...]) -> list[dict[str, str]]:
    return [{"date": day.isoformat(), "name": name, "hours": hours} for day, name, hours in value]


# --- capacity -------------------------------------------------------------------------------------------


def _clean_capacity(value: Any) -> str:
    """A map {"phone": 1, "chat": 3, ...} (or the environment's "phone=1,chat=3") to that text."""
    if isinstance(value, str):
        pairs = [part.partition("=") for part in filter(None, (p.strip() for p in value.split(",")))]
        value = {c.strip(): n.strip() for c, _sep, n in pairs}
    if not isinstance(value, Mapping):
        raise _invalid("capacity", _("Geef per kanaal hoeveel contacten iemand tegelijk heeft."))
    unknown = [str(k) for k in value if k not in CHANNELS]
    if unknown:
        raise _invalid(
            "capacity",
            _("Onbekend kanaal: %(names)s (gebruik %(channels)s).")
            % {"names": ", ".join(unknown), "channels": ", ".join(CHANNELS)},
        )
    out = []
    for channel in CHANNELS:
        if channel in value:
            number = value[channel]
            if isinstance(number, str) and number.isdigit():
                number = int(number)
            if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= 20:
                raise _invalid("capacity", _("%(channel)s: kies 0 tot en met 20.") % {"channel": channel})
            out.append(f"{channel}={number}")
    return ",".join(out)


def capacity_shown(text: str) -> dict[str, int]:
    pairs = [part.partition("=") for part in filter(None, (p.strip() for p in text.split(",")))]
    return {c.strip(): int(n) for c, _sep, n in pairs if n.strip().isdigit()}


# --- the settings ---------------------------------------------------------------------------------------

DEFINITIONS: dict[str, Definition] = {
    d.key: d
    for d in (
        Definition(
            "organisation_name",
            "GEZIEN_ORGANISATION_NAME",
            "organisation",
            gettext_lazy("Naam van de organisatie"),
            gettext_lazy("In mails aan klanten, de chat, de enquêtes en het contactformulier."),
            _text("organisation_name", 100),
        ),
        Definition(
            "base_url",
            "GEZIEN_BASE_URL",
            "organisation",
            gettext_lazy("Webadres van de desk"),
            gettext_lazy(
                "Waar mensen de desk van buiten bereiken: elke link in een mail of API-antwoord begint "
                "ermee. Passkeys horen bij dit adres: na een wijziging werken eerder vastgelegde passkeys "
                "niet meer."
            ),
            _clean_base_url,
        ),
        Definition(
            "opening_hours",
            "GEZIEN_OPENING_HOURS",
            "hours",
            gettext_lazy("Openingstijden"),
            gettext_lazy(
                "Per weekdag, bijvoorbeeld 08:00-18:00 (leeg: gesloten; met een pauze: "
                "08:00-12:00, 13:00-17:00). Servicenormen tellen in deze uren; de chat is daarbuiten "
                "een berichtenformulier."
            ),
            _clean_opening_hours,
            shown=opening_hours_shown,
            from_env=_canonical(_clean_opening_hours),
        ),
        Definition(
            "holidays_extra",
            "GEZIEN_HOLIDAYS_EXTRA",
            "hours",
            gettext_lazy("Ook vrij op"),
            gettext_lazy(
                "De officiële feestdagen (Nieuwjaarsdag, Pasen, Koningsdag, Hemelvaart, Pinksteren, Kerst) "
                "zijn altijd vrij; deze dagen kiest de organisatie zelf."
            ),
            _clean_extra,
            shown=_extra_shown,
            from_env=_canonical(_clean_extra),
        ),
        Definition(
            "holidays",
            "",
            "hours",
            gettext_lazy("Eigen feestdagen en afwijkende dagen"),
            gettext_lazy(
                "Eén dag per regel: datum, naam en eventueel kortere tijden, zoals "
                "'2026-12-24 Kerstavond 08:00-14:00' of '2026-12-31 Oudejaarsdag' (gesloten)."
            ),
            _clean_holidays,
            shown=_holidays_shown,
            inside=_holidays_inside,
            from_env=lambda _value: (),
        ),
        Definition(
            "capacity",
            "GEZIEN_CAPACITY",
            "capacity",
            gettext_lazy("Contacten tegelijk per kanaal"),
            gettext_lazy(
                "Hoeveel contacten van een kanaal één medewerker tegelijk heeft, tenzij het "
                "routeringsprofiel iets anders zegt (0: neemt dit kanaal niet)."
            ),
            _clean_capacity,
            shown=capacity_shown,
            from_env=_canonical(_clean_capacity),
        ),
        Definition(
            "routing_capacity",
            "GEZIEN_ROUTING_CAPACITY",
            "capacity",
            gettext_lazy("Open contacten per medewerker"),
            gettext_lazy("Hoeveel open contacten de routering één medewerker hoogstens geeft."),
            _number("routing_capacity", 1, 50),
        ),
        Definition(
            "after_contact_seconds",
            "GEZIEN_AFTER_CONTACT_SECONDS",
            "capacity",
            gettext_lazy("Nawerktijd (seconden)"),
            gettext_lazy("Na een gesprek of chat: zo lang krijgt iemand geen nieuw contact."),
            _number("after_contact_seconds", 0, 3600),
        ),
        Definition(
            "break_minutes",
            "GEZIEN_BREAK_MINUTES",
            "capacity",
            gettext_lazy("Pauze na een zwaar contact (minuten)"),
            gettext_lazy("Zo lang duurt de pauze die Gezien aanbiedt na een agressief of zwaar contact."),
            _number("break_minutes", 1, 120),
        ),
        Definition(
            "survey_send",
            "GEZIEN_SURVEY_SEND",
            "surveys",
            gettext_lazy("Enquêtes versturen"),
            gettext_lazy(
                "'email': Gezien mailt de enquête na een gesloten contact; 'off': niet (of zelf via de API)."
            ),
            _clean_survey_send,
        ),
        Definition(
            "survey_kind",
            "GEZIEN_SURVEY_KIND",
            "surveys",
            gettext_lazy("Soort enquête"),
            gettext_lazy("'nps', 'csat', of per kanaal: 'phone=nps,chat=csat,*=nps'."),
            _clean_survey_kind,
            from_env=_canonical(_clean_survey_kind),
        ),
        Definition(
            "survey_quiet_days",
            "GEZIEN_SURVEY_QUIET_DAYS",
            "surveys",
            gettext_lazy("Rust tussen twee enquêtes (dagen)"),
            gettext_lazy("Een klant krijgt hoogstens één enquête in zoveel dagen."),
            _number("survey_quiet_days", 0, 365),
        ),
        Definition(
            "survey_valid_days",
            "GEZIEN_SURVEY_VALID_DAYS",
            "surveys",
            gettext_lazy("Enquête geldig (dagen)"),
            gettext_lazy("Zo lang werkt de link in de enquêtemail."),
            _number("survey_valid_days", 1, 365),
        ),
        Definition(
            "contact_value_eur",
            "GEZIEN_CONTACT_VALUE_EUR",
            "value",
            gettext_lazy("Kosten van een contact (euro)"),
            gettext_lazy("Het oorzakenbord rekent ermee: contacten × bedrag. 0: geen bedragen tonen."),
            _number("contact_value_eur", 0, 100_000),
        ),
    )
}


def definition(key: str) -> Definition:
    found = DEFINITIONS.get(key)
    if found is None:
        raise _invalid(key, _("Onbekende instelling: %(key)s.") % {"key": key})
    return found


def setting_text(key: str, inside: Any) -> str:
    """A value as one line for people (the settings page, the audit log): "ma 08:00-18:00 · di ...",
    "2026-12-24 Kerstavond 08:00-14:00; ...", "chat 2 · phone 1"."""
    value = DEFINITIONS[key].shown(inside)
    if isinstance(value, dict):
        return " · ".join(f"{k} {v if v != '' else '-'}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(
            " ".join(str(v) for v in item.values() if v != "") if isinstance(item, dict) else str(item)
            for item in value
        )
    return str(value)
