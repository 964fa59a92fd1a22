"""What customer service absorbed for one department in a week: the department owners' view and the
weekly digest read the same overview.

Figures come from the rollups through the department's own scope (`scope.scoped_totals` per reason and
in total, and `figures.figures` for every rate), so they are the dashboards' figures exactly:
- contacts per owned reason this week, next to each of the `GEZIEN_DIGEST_WEEKS` weeks before it;
- agent hours: the summed handling time of the week's contacts (`handling_sum` / 3600);
- negative share: contacts whose peak distress reached 0.5, over contacts with emotion;
- honest first-contact resolution next to the naive "no callback" figure;
- customers at churn risk: customers with a contact about the department's reasons this week whose
  current churn risk (`CustomerRisk`) is hoog or middel;
- open spikes (not dismissed, not made into a problem, detected in the last four weeks) and open
  problems with their impact (`rootcause.impact.problems_impact`), and which of them the department has
  not answered yet (no written answer).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import Department
from gezien.contacts.models import ContactReason
from gezien.core.errors import Forbidden, Invalid, NotFound
from gezien.core.period import date_in_range
from gezien.insights.figures import figures
from gezien.insights.models import ContactFact, Dimension
from gezien.insights.retention.models import CustomerRisk, RiskLevel
from gezien.insights.retention.risk import risks_catch_up
from gezien.insights.rootcause.board import SPIKES_SHOWN, open_spikes, scoped_spikes
from gezien.insights.rootcause.impact import problems_impact
from gezien.insights.rootcause.models import OPEN_STATUSES, Problem, ProblemStatus, ProblemUpdate
from gezien.insights.scope import Scope, scoped_totals


def week_of(day: date) -> date:
    """The Monday of the week `day` lies in."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class ReasonWeek:
    reason_id: int
    name: str
    contacts: int
    previous: list[int]  # contacts in each earlier week, the nearest first
    agent_hours: float
    negative_share: float | None
    honest_fcr: float | None
    naive_resolution: float | None

    @property
    def previous_text(self) -> str:
        return ", ".join(str(n) for n in self.previous)

    @property
    def previous_mean(self) -> float | None:
        return sum(self.previous) / len(self.previous) if self.previous else None

    @property
    def change(self) -> float | None:
        mean = self.previous_mean
        return (self.contacts - mean) / mean if mean else None


@dataclass(frozen=True)
class ProblemLine:
    id: int
    title: str
    status: str
    status_label: str
    created_at: Any
    awaits_answer: bool
    impact: dict[str, float | int | None]


@dataclass(frozen=True)
class SpikeLine:
    id: int
    reason: str
    explanation: str
    observed: int
    expected: float
    detected_at: Any
    p_value: float = 1.0
    hours: int = 24


@dataclass
class Overview:
    department: Department
    week_start: date
    weeks: list[date]  # the earlier weeks compared, the nearest first
    reasons: list[ReasonWeek] = field(default_factory=list)
    total: dict[str, float | None] = field(default_factory=dict)
    previous_contacts: list[int] = field(default_factory=list)
    churn_customers: dict[str, int] = field(default_factory=dict)
    spikes: list[SpikeLine] = field(default_factory=list)
    problems: list[ProblemLine] = field(default_factory=list)

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def agent_hours(self) -> float:
        return sum(r.agent_hours for r in self.reasons)

    @property
    def awaiting(self) -> list[ProblemLine]:
        return [p for p in self.problems if p.awaits_answer]


def _hours(totals: dict[str, float]) -> float:
    return round((totals.get("handling_sum", 0) or 0) / 3600.0, 1)


def _reasons(department: Department) -> dict[int, ContactReason]:
    reasons = ContactReason.objects.filter(
        Q(department=department) | Q(department__isnull=True, parent__department=department)
    ).order_by("name")
    return {r.pk: r for r in reasons}


def department_overview(department: Department, week_start: date, *, weeks: int | None = None) -> Overview:
    """The week starting `week_start` (a Monday) for `department`, with figures and risks brought up
    to date first."""
    risks_catch_up()  # catches up the facts and rollups too
    weeks = settings.GEZIEN_DIGEST_WEEKS if weeks is None else weeks
    week_start = week_of(week_start)
    scope = Scope(department_ids=frozenset({department.pk}))
    earlier = [week_start - timedelta(days=7 * k) for k in range(1, weeks + 1)]
    overview = Overview(department=department, week_start=week_start, weeks=earlier)
    end = week_start + timedelta(days=6)
    this_week = scoped_totals(scope, week_start, end, Dimension.REASON)
    before = [scoped_totals(scope, w, w + timedelta(days=6), Dimension.REASON) for w in earlier]
    for reason_id, reason in _reasons(department).items():
        key = str(reason_id)
        totals = this_week.get(key, {})
        previous = [int(b.get(key, {}).get("contacts", 0)) for b in before]
        if not totals.get("contacts") and not any(previous):
            continue
        f = figures(totals)
        overview.reasons.append(
            ReasonWeek(
                reason_id=reason_id,
                name=reason.name,
                contacts=int(totals.get("contacts", 0)),
                previous=previous,
                agent_hours=_hours(totals),
                negative_share=f["negative_share"],
                honest_fcr=f["honest_fcr"],
                naive_resolution=f["naive_resolution"],
            )
        )
    overview.reasons.sort(key=lambda r: (-r.contacts, r.name))
    overview.total = figures(scoped_totals(scope, week_start, end)[""])
    overview.total["agent_hours"] = _hours(scoped_totals(scope, week_start, end)[""])
    overview.previous_contacts = [
        int(scoped_totals(scope, w, w + timedelta(days=6))[""].get("contacts", 0)) for w in earlier
    ]
    overview.churn_customers = _churn_customers(department, week_start, end)
    overview.spikes = _spikes(department, week_start)
    overview.problems = _problems(department)
    return overview


def _churn_customers(department: Department, start: date, end: date) -> dict[str, int]:
    customers = ContactFact.objects.filter(
        department_id=department.pk, day__gte=start, day__lte=end, customer_id__isnull=False
    ).values("customer_id")
    counts = dict(
        CustomerRisk.objects.filter(customer_id__in=customers, level__in=[RiskLevel.HIGH, RiskLevel.MEDIUM])
        .values_list("level")
        .annotate(n=Count("pk"))
        .values_list("level", "n")
    )
    return {
        RiskLevel.HIGH.value: counts.get(RiskLevel.HIGH, 0),
        RiskLevel.MEDIUM.value: counts.get(RiskLevel.MEDIUM, 0),
    }


def _spikes(department: Department, week_start: date) -> list[SpikeLine]:
    """The department's open spikes without a signal, as the root-cause board shows them for the
    department (`open_spikes`: the same spikes, however long ago detected; issue 20: the board and this
    overview told different stories), detected before the week ended."""
    until = timezone.make_aware(datetime.combine(week_start + timedelta(days=7), time.min))
    scope = Scope(department_ids=frozenset({department.pk}))
    spikes = (
        open_spikes(scoped_spikes(scope))
        .filter(problem__isnull=True, detected_at__lt=until)
        .order_by("-detected_at", "id")[:SPIKES_SHOWN]
    )
    return [
        SpikeLine(
            s.pk,
            s.reason.name,
            s.explanation,
            s.observed,
            s.expected,
            s.detected_at,
            s.p_value,
            round((s.window_end - s.window_start).total_seconds() / 3600),
        )
        for s in spikes
    ]


def _problems(department: Department) -> list[ProblemLine]:

    problems = list(
        Problem.objects.filter(department=department, status__in=OPEN_STATUSES).order_by("created_at")
    )
    ids = [p.pk for p in problems]
    answered = set(
        ProblemUpdate.objects.filter(problem_id__in=ids).exclude(text="").values_list("problem_id", flat=True)
    )
    impact = problems_impact(ids)
    lines = [
        ProblemLine(
            id=p.pk,
            title=p.title,
            status=p.status,
            status_label=str(ProblemStatus(p.status).label),
            created_at=p.created_at,
            awaits_answer=p.pk not in answered,
            impact=impact[p.pk].as_dict(),
        )
        for p in problems
    ]
    return sorted(lines, key=lambda p: (-int(p.impact.get("contacts") or 0), p.id))


def departments_visible(scope: Scope) -> list[Department]:
    """Managers pick any department; an owner sees their own; others none."""
    if scope.everything:
        return list(Department.objects.order_by("name"))
    if scope.department_ids:
        return list(Department.objects.filter(pk__in=scope.department_ids).order_by("name"))
    return []


def week_from(raw: str | None, *, today: date | None = None) -> date:
    """The Monday of the week asked for (`YYYY-MM-DD`, any day of it), by default this week."""
    if raw is None or not str(raw).strip():
        return week_of(today or timezone.localdate())
    try:
        day = date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise Invalid(_("Geen geldige week (JJJJ-MM-DD)."), field="week") from None
    return week_of(date_in_range(day, "week"))


def department_for(scope: Scope, department_id: int | None) -> Department:
    """The department a person asked for (or their first): Forbidden when it is not theirs to see."""
    visible = departments_visible(scope)
    if not visible:
        raise Forbidden(_("Het afdelingsoverzicht is er voor afdelingseigenaren en managers."))
    if department_id is None:
        return visible[0]
    for department in visible:
        if department.pk == department_id:
            return department
    if Department.objects.filter(pk=department_id).exists():
        raise Forbidden(_("Dit is niet jouw afdeling."))
    raise NotFound(_("Deze afdeling bestaat niet."))


REASON_CSV_HEADER = [
    "reden", "contacten", "gemiddeld_weken_ervoor", "medewerker_uren", "aandeel_negatief",
    "eerlijk_opgelost", "naief_opgelost",
]  # fmt: skip


def reason_csv_rows(overview: Overview) -> list[list[Any]]:
    return [
        [
            r.name,
            r.contacts,
            r.previous_mean,
            r.agent_hours,
            r.negative_share,
            r.honest_fcr,
            r.naive_resolution,
        ]
        for r in overview.reasons
    ]


PROBLEM_CSV_HEADER = [
    "signaal_id", "titel", "status", "wacht_op_antwoord", "contacten", "klanten", "medewerker_uren",
    "aandeel_negatief", "klanten_opzegrisico", "euro",
]  # fmt: skip


def problem_csv_rows(overview: Overview) -> list[list[Any]]:
    return [
        [
            p.id, p.title, p.status_label, p.awaits_answer, p.impact["contacts"], p.impact["customers"],
            p.impact["agent_hours"], p.impact["negative_share"], p.impact["churn_customers"],
            p.impact["money_eur"],
        ]
        for p in overview.problems
    ]  # fmt: skip
