"""What the CX dashboards, their CSV exports and the API read: headline figures, trends per period and
dimension, and how emotion relates to NPS and CSAT. All from the scoped rollups (`scope`), never from
contacts or messages, so a dashboard over two years reads a few hundred rows per group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import DateField, Sum
from django.db.models.functions import Trunc
from django.utils.translation import gettext as _

from gezien.accounts.models import Department, Team, User
from gezien.contacts.models import Channel, ContactReason, Priority
from gezien.core.errors import Invalid
from gezien.core.period import Period
from gezien.insights.figures import figures
from gezien.insights.models import DailyRollup, Dimension
from gezien.insights.rollups import SUMMABLE
from gezien.insights.scope import Scope, scoped_dimension, scoped_totals

# The groupings the CX trends offer (`dim`), and the bucket sizes of a trend (`granularity`).
DIMS = ("all", "team", "agent", "channel", "reason", "department")
GRANULARITIES = ("day", "week", "month")
MAX_SERIES = 6  # lines in one chart; the table and CSV hold every group
MAX_POINTS = 40_000  # groups × buckets one API answer carries (e.g. 55 agents per day for two years)

# The figures of the CX pages, in the order the tables and CSV files show them.
CX_FIGURES = (
    "contacts",
    "emotion_start",
    "emotion_peak",
    "emotion_end",
    "emotion_gain",
    "calmer_share",
    "negative_share",
    "nps",
    "nps_answers",
    "csat",
    "csat_answers",
)
HEADLINE_FIGURES = (
    "emotion_gain",
    "calmer_share",
    "negative_share",
    "nps",
    "csat",
    "honest_fcr",
    "naive_resolution",
    "repeat_rate",
    "first_response_breach_rate",
    "resolution_breach_rate",
    "contacts",
)


def dim_from(raw: str | None) -> str:
    value = (raw or "all").strip() or "all"
    if value not in DIMS:
        raise Invalid(_("Kies een indeling: %(dims)s.") % {"dims": ", ".join(DIMS)}, field="dim")
    return value


def granularity_from(raw: str | None, period: Period) -> str:
    """The bucket size asked for, or by default one that gives a readable number of points."""
    value = (raw or "").strip()
    if not value:
        return "day" if period.days <= 62 else "week" if period.days <= 366 else "month"
    if value not in GRANULARITIES:
        raise Invalid(_("Kies dag, week of maand."), field="granularity")
    return value


def x_from(raw: str | None) -> str:
    value = (raw or "end").strip() or "end"
    if value not in ("end", "gain"):
        raise Invalid(_("Kies 'end' (emotie bij het einde) of 'gain' (winst)."), field="x")
    return value


# --------------------------------------------------------------------------- labels


def key_labels(dim: str, keys: Iterable[str]) -> dict[str, str]:
    """Readable names for rollup keys of a dimension (team and reason names, agents' full names,
    channel labels), in one query. Others may use this for their own tables."""
    keys = list(keys)
    ids = [int(k) for k in keys if k.isdigit()]
    names: dict[str, str] = {}
    if dim == Dimension.TEAM:
        names = {str(pk): name for pk, name in Team.objects.filter(pk__in=ids).values_list("pk", "name")}
    elif dim == Dimension.AGENT:
        for user in User.objects.filter(pk__in=ids).only("username", "first_name", "last_name"):
            names[str(user.pk)] = user.display_name
    elif dim == Dimension.REASON:
        names = {str(pk): n for pk, n in ContactReason.objects.filter(pk__in=ids).values_list("pk", "name")}
    elif dim == Dimension.DEPARTMENT:
        names = {str(pk): n for pk, n in Department.objects.filter(pk__in=ids).values_list("pk", "name")}
    elif dim == Dimension.CHANNEL:
        names = {c.value: str(c.label) for c in Channel}
    elif dim == Dimension.PRIORITY:
        names = {p.value: str(p.label) for p in Priority}
    if dim == Dimension.ALL:
        return dict.fromkeys(keys, _("Alles"))
    return {k: names.get(k) or (_("(geen)") if k == "" else k) for k in keys}


# --------------------------------------------------------------------------- headline


def headline(scope: Scope, period: Period) -> dict[str, float | None]:
    """Every headline figure of the period within the scope."""
    return figures(scoped_totals(scope, period.start, period.end)[""])


def previous(period: Period) -> Period:
    """The period of the same length just before (for "compared with")."""
    from datetime import timedelta

    return Period(period.start - timedelta(days=period.days), period.start - timedelta(days=1))


# --------------------------------------------------------------------------- trends


@dataclass
class Trend:
    dim: str
    granularity: str
    buckets: list[date]
    # key -> bucket -> summed rollups (a bucket without contacts is missing); figures are drawn from
    # them only where shown, so a long daily trend per group costs no more than its chart
    sums: dict[str, dict[date, dict[str, float]]] = field(default_factory=dict)
    totals: dict[str, dict[str, float | None]] = field(default_factory=dict)  # key -> period figures
    labels: dict[str, str] = field(default_factory=dict)
    _figures: dict[tuple[str, date], dict[str, float | None]] = field(default_factory=dict, repr=False)

    @property
    def points(self) -> int:
        return sum(len(group) for group in self.sums.values())

    def keys_by_contacts(self) -> list[str]:
        return sorted(self.totals, key=lambda k: (-(self.totals[k]["contacts"] or 0), self.labels.get(k, k)))

    def figures_of(self, key: str) -> dict[date, dict[str, float | None]]:
        """The figures of every bucket of one group, oldest first."""
        return {b: figures(t) for b, t in sorted(self.sums.get(key, {}).items())}

    def values(self, key: str, name: str) -> list[float | None]:
        group = self.sums.get(key, {})
        return [self._bucket(key, b)[name] if b in group else None for b in self.buckets]

    def _bucket(self, key: str, bucket: date) -> dict[str, float | None]:
        if (key, bucket) not in self._figures:
            self._figures[(key, bucket)] = figures(self.sums[key][bucket])
        return self._figures[(key, bucket)]


def bucket_start(day: date, granularity: str) -> date:
    from datetime import timedelta

    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def buckets(period: Period, granularity: str) -> list[date]:
    from datetime import timedelta

    out: list[date] = []
    day = period.start
    while day <= period.end:
        b = bucket_start(day, granularity)
        if not out or out[-1] != b:
            out.append(b)
        day += timedelta(days=1)
    return out


def bucket_label(bucket: date, granularity: str) -> str:
    if granularity == "month":
        return bucket.strftime("%Y-%m")
    if granularity == "week":
        year, week, _day = bucket.isocalendar()
        return f"{year}-W{week:02d}"
    return bucket.isoformat()


def trend(scope: Scope, period: Period, dim: str, granularity: str, *, top: int | None = None) -> Trend:
    """Figures per bucket (day, week or month) and per group of `dim` within the scope; summed in the
    database per bucket, so a long period at day level stays one grouped query. With `top`, every
    group gets its period figures but only the `top` largest get buckets (what a chart draws)."""
    sd = scoped_dimension(scope, dim)
    rows = DailyRollup.objects.filter(dim=sd.dim, day__gte=period.start, day__lte=period.end)
    if sd.keys is not None:
        rows = rows.filter(key__in=sd.keys)
    if sd.prefix:
        rows = rows.filter(key__startswith=sd.prefix)
    sums = {name: Sum(name) for name in SUMMABLE}
    result = Trend(dim=dim, granularity=granularity, buckets=buckets(period, granularity))
    if top is not None and dim != Dimension.ALL:
        per_key = {
            values.pop("key").removeprefix(sd.prefix): {k: v or 0 for k, v in values.items()}
            for values in rows.order_by().values("key").annotate(**sums)
        }
        result.totals = {key: figures(t) for key, t in per_key.items()}
        result.labels = key_labels(dim, per_key)
        rows = rows.filter(key__in=[sd.prefix + k for k in result.keys_by_contacts()[:top]])
    period_sums: dict[str, dict[str, float]] = {}
    if granularity == "day":  # the rollups are per day already: no grouping needed
        fetched = rows.order_by().values("day", "key", *SUMMABLE)
    else:
        bucketed = rows.annotate(bucket=Trunc("day", granularity, output_field=DateField()))
        fetched = bucketed.order_by().values("bucket", "key").annotate(**sums)
    for values in fetched:
        bucket = _as_date(values.pop("bucket") if "bucket" in values else values.pop("day"))
        key = "" if dim == Dimension.ALL else values.pop("key").removeprefix(sd.prefix)
        values.pop("key", None)
        totals = {k: v or 0 for k, v in values.items()}
        group = result.sums.setdefault(key, {})
        if bucket in group:  # ALL over several departments: add them up
            totals = {k: group[bucket].get(k, 0) + v for k, v in totals.items()}
        group[bucket] = totals
    if not result.totals:
        for key, group in result.sums.items():
            into = period_sums.setdefault(key, dict.fromkeys(SUMMABLE, 0.0))
            for one in group.values():
                for name in SUMMABLE:
                    into[name] += one.get(name, 0)
        result.totals = {key: figures(sums_) for key, sums_ in period_sums.items()}
        result.labels = key_labels(dim, result.totals)
    return result


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


# --------------------------------------------------------------------------- relation


def relation_reading(r: float | None, n: float) -> str:
    """Plain Dutch for a correlation between emotion at the end and a score."""
    n = int(n)
    if r is None:
        return _("Te weinig paren van emotie en score om iets te zeggen (n = %(n)s).") % {"n": n}
    size = abs(r)
    if size < 0.1:
        strength = _("geen verband")
    elif size < 0.3:
        strength = _("zwak verband")
    elif size < 0.5:
        strength = _("matig verband")
    else:
        strength = _("sterk verband")
    if size < 0.1:
        direction = _("de emotie bij het einde zegt hier weinig over de score")
    elif r < 0:
        direction = _("hoe onrustiger de klant vertrekt, hoe lager de score")
    else:
        direction = _(
            "hoe onrustiger de klant vertrekt, hoe hoger de score (ongewoon: kijk naar de aantallen)"
        )
    return _("%(strength)s (r = %(r).2f, n = %(n)s): %(direction)s.") % {
        "strength": strength[:1].upper() + strength[1:],
        "r": r,
        "n": n,
        "direction": direction,
    }


@dataclass
class ReasonPoint:
    key: str
    label: str
    contacts: int
    emotion_end: float | None
    emotion_gain: float | None
    nps: float | None
    nps_answers: int
    csat: float | None
    csat_answers: int
    emotion_coverage: float | None  # share of contacts with an emotion measurement
    response_rate: float | None  # share of contacts with a survey answer (NPS or CSAT)
    emotion_nps_r: float | None


@dataclass
class Relation:
    nps_r: float | None
    nps_pairs: int
    csat_r: float | None
    csat_pairs: int
    nps_reading: str
    csat_reading: str
    reasons: list[ReasonPoint]
    emotion_coverage: float | None
    response_rate: float | None


def relation(scope: Scope, period: Period) -> Relation:
    """Pearson's r between emotion at the end and NPS/CSAT (from the rollups' pair sums), and per
    contact reason the emotion next to the scores with how many contacts each figure rests on."""
    overall_totals = scoped_totals(scope, period.start, period.end)[""]
    overall = figures(overall_totals)
    per_reason = scoped_totals(scope, period.start, period.end, Dimension.REASON)
    labels = key_labels(Dimension.REASON, per_reason)
    points = [_reason_point(key, labels[key], totals) for key, totals in per_reason.items()]
    points.sort(key=lambda p: (-p.contacts, p.label))
    nps_pairs = int(overall_totals.get("nps_pair_n", 0))
    csat_pairs = int(overall_totals.get("csat_pair_n", 0))
    return Relation(
        nps_r=overall["emotion_nps_r"],
        nps_pairs=nps_pairs,
        csat_r=overall["emotion_csat_r"],
        csat_pairs=csat_pairs,
        nps_reading=relation_reading(overall["emotion_nps_r"], nps_pairs),
        csat_reading=relation_reading(overall["emotion_csat_r"], csat_pairs),
        reasons=points,
        emotion_coverage=_share(overall_totals.get("emotion_n", 0), overall_totals.get("contacts", 0)),
        response_rate=_share(_answered(overall_totals), overall_totals.get("contacts", 0)),
    )


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _answered(totals: Mapping[str, float]) -> float:
    # A survey asks NPS or CSAT, so the two counts do not overlap for one contact.
    return totals.get("nps_n", 0) + totals.get("csat_n", 0)


def _reason_point(key: str, label: str, totals: Mapping[str, float]) -> ReasonPoint:
    f = figures(totals)
    contacts = int(totals.get("contacts", 0))
    return ReasonPoint(
        key=key,
        label=label,
        contacts=contacts,
        emotion_end=f["emotion_end"],
        emotion_gain=f["emotion_gain"],
        nps=f["nps"],
        nps_answers=int(totals.get("nps_n", 0)),
        csat=f["csat"],
        csat_answers=int(totals.get("csat_n", 0)),
        emotion_coverage=_share(totals.get("emotion_n", 0), contacts),
        response_rate=_share(_answered(totals), contacts),
        emotion_nps_r=f["emotion_nps_r"],
    )


# --------------------------------------------------------------------------- tables (pages, CSV, API)


def figure_names() -> dict[str, str]:
    """Dutch names of the figures (for headings, tables and CSV headers)."""
    return {
        "contacts": _("Contacten"),
        "emotion_start": _("Onrust bij begin"),
        "emotion_peak": _("Onrust op het hoogst"),
        "emotion_end": _("Onrust bij einde"),
        "emotion_gain": _("Emotiewinst"),
        "calmer_share": _("Rustiger vertrokken"),
        "negative_share": _("Negatief"),
        "nps": _("NPS"),
        "nps_answers": _("NPS-antwoorden"),
        "csat": _("CSAT"),
        "csat_answers": _("CSAT-antwoorden"),
        "honest_fcr": _("Eerlijke oplossing (FCR)"),
        "naive_resolution": _("Naïeve oplossing"),
        "repeat_rate": _("Herhaalcontacten"),
        "first_response_breach_rate": _("Eerste reactie te laat"),
        "resolution_breach_rate": _("Oplossing te laat"),
    }


def trend_header() -> list[str]:
    names = figure_names()
    return [_("Periode"), _("Groep"), *(names[n] for n in CX_FIGURES)]


def trend_rows(trend: Trend) -> list[list[Any]]:
    return [
        [bucket_label(b, trend.granularity), trend.labels[k], *(f[n] for n in CX_FIGURES)]
        for k in trend.keys_by_contacts()
        for b, f in trend.figures_of(k).items()
    ]


def relation_header() -> list[str]:
    return [
        _("Contactreden"),
        _("Contacten"),
        _("Met emotiemeting"),
        _("Enquêterespons"),
        _("Onrust bij einde"),
        _("Emotiewinst"),
        _("NPS"),
        _("NPS-antwoorden"),
        _("CSAT"),
        _("CSAT-antwoorden"),
        _("r emotie–NPS"),
    ]


def relation_rows(relation: Relation) -> list[list[Any]]:
    return [
        [
            p.label,
            p.contacts,
            p.emotion_coverage,
            p.response_rate,
            p.emotion_end,
            p.emotion_gain,
            p.nps,
            p.nps_answers,
            p.csat,
            p.csat_answers,
            p.emotion_nps_r,
        ]
        for p in relation.reasons
    ]
