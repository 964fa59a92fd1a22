"""API of the root-cause board (R15): problems ("signalen") with impact, their contacts, "ik zie dit
ook", the departments' answers, affected customers, spikes, the board, and reason proposals."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.accounts.models import Department
from gezien.api.auth import require_perm
from gezien.api.common import DbId, find_or_404, get_or_404
from gezien.api.input import In
from gezien.api.schemas import PeriodQuery, name_of
from gezien.audit.log import audit_from_request
from gezien.contacts.models import Contact, ContactReason
from gezien.core.errors import Invalid
from gezien.insights.rootcause import selectors, services
from gezien.insights.rootcause.board import board, scoped_spikes
from gezien.insights.rootcause.impact import Impact, problem_impact
from gezien.insights.rootcause.models import Problem, ProblemUpdate, Spike
from gezien.insights.rootcause.proposal import propose_reason
from gezien.insights.scope import insight_scope

router = Router(tags=["rootcause"])

StatusLiteral = Literal["nieuw", "erkend", "in_behandeling", "opgelost", "geen_actie"]


class ImpactOut(Schema):
    contacts: int
    customers: int
    agent_hours: float
    negative_share: float | None = Field(description="share of linked contacts with negative emotion")
    churn_customers: int = Field(description="customers with a linked contact whose churn intent ≥ 0.5")
    money_eur: int | None = Field(description="contacts × GEZIEN_CONTACT_VALUE_EUR; null when not set")


class ProblemOut(Schema):
    id: int
    title: str
    description: str
    status: StatusLiteral
    status_label: str
    department: str | None
    reasons: list[str]
    created_at: datetime
    updated_at: datetime
    solved_at: datetime | None
    spike_id: int | None
    latest_answer: str | None

    @staticmethod
    def resolve_status_label(obj: Problem) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_department(obj: Problem) -> str | None:
        return obj.department.code if obj.department else None

    @staticmethod
    def resolve_reasons(obj: Problem) -> list[str]:
        return [r.code for r in obj.reasons.all()]

    @staticmethod
    def resolve_latest_answer(obj: Problem) -> str | None:
        return getattr(obj, "latest_answer", None)  # annotated by selectors.with_latest_answer


class ProblemDetailOut(ProblemOut):
    impact: ImpactOut

    @staticmethod
    def resolve_impact(obj: Problem) -> dict[str, float | int | None]:
        known: Impact | None = getattr(obj, "impact", None)  # the board's, counted for all problems at once
        return (known or problem_impact(obj.pk)).as_dict()


class ProblemIn(In):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4000)
    reasons: list[str] = Field(default_factory=list, max_length=20, description="reason codes")
    department: str | None = Field(
        None, max_length=60, description="department code; default: the reasons' owner"
    )
    spike_id: DbId | None = None


class ProblemLinkIn(In):
    contact_id: DbId


class SeenTooIn(In):
    contact_id: DbId
    note: str = Field(min_length=1, max_length=4000, description="the agent's example")


class LinkOut(Schema):
    problem_id: int
    contact_id: int
    kind: Literal["link", "seen_too"]
    note: str
    at: datetime


class UpdateIn(In):
    text: str = Field("", max_length=4000, description="the department's answer")
    status: StatusLiteral | None = None


class UpdateOut(Schema):
    id: int
    status: str
    text: str
    author: str | None
    at: datetime

    @staticmethod
    def resolve_author(obj: ProblemUpdate) -> str | None:
        return name_of(obj.author)


class AffectedOut(Schema):
    customer_id: int
    customer_number: str
    name: str
    email: str
    phone: str
    contacts: int
    last_contact_at: datetime


class SpikeOut(Schema):
    id: int
    reason: str
    reason_name: str
    window_start: datetime
    window_end: datetime
    observed: int
    expected: float
    p_value: float
    explanation: str
    detected_at: datetime
    problem_id: int | None
    dismissed: bool

    @staticmethod
    def resolve_reason(obj: Spike) -> str:
        return obj.reason.code

    @staticmethod
    def resolve_reason_name(obj: Spike) -> str:
        return str(obj.reason.name)


class ReasonRowOut(Schema):
    reason: str
    name: str
    department: str | None
    contacts: int
    previous: int
    change: float | None
    trend: Literal["up", "down", "flat", "new"]


class BoardOut(Schema):
    start: str
    end: str
    reasons: list[ReasonRowOut]
    spikes: list[SpikeOut]
    problems: list[ProblemDetailOut]


class ReasonProposalOut(Schema):
    contact_id: int
    reason: str | None
    name: str | None
    probability: float | None
    words: list[str]


class ProblemFilter(In):
    status: StatusLiteral | None = None
    department: str | None = Field(None, max_length=60)


def _visible(request: HttpRequest, problem_id: int) -> Problem:
    problems = selectors.with_latest_answer(selectors.problems_visible(request.user)).prefetch_related(
        "reasons"
    )
    return find_or_404(problems, problem_id, _("Dit signaal bestaat niet."))


def _reasons(codes: list[str]) -> list[ContactReason]:
    found = {r.code: r for r in ContactReason.objects.filter(code__in=codes).select_related("parent")}
    missing = [c for c in codes if c not in found]
    if missing:
        raise Invalid(_("Onbekende contactreden: %(code)s") % {"code": missing[0]}, field="reasons")
    return [found[c] for c in codes]


@router.get("/problems", response=list[ProblemOut])
def list_problems(request: HttpRequest, filters: Query[ProblemFilter]) -> list[Problem]:
    """Problems you may see (agents: all; department owners: their own departments'), newest first."""
    problems = selectors.with_latest_answer(selectors.problems_visible(request.user)).prefetch_related(
        "reasons"
    )
    if filters.status:
        problems = problems.filter(status=filters.status)
    if filters.department:
        problems = problems.filter(department__code=filters.department)
    return list(problems[:500])


@router.post("/problems", response={201: ProblemDetailOut})
def create_problem(request: HttpRequest, payload: ProblemIn) -> Status[Any]:
    require_perm(request, "rootcause.add_problem")

    department = None
    if payload.department:
        department = Department.objects.filter(code=payload.department).first()
        if department is None:
            raise Invalid(_("Onbekende afdeling."), field="department")
    spike = get_or_404(Spike, payload.spike_id) if payload.spike_id else None
    problem = services.problem_create(
        title=payload.title,
        description=payload.description,
        reasons=_reasons(payload.reasons),
        department=department,
        actor=current_user(request),
        spike=spike,
    )
    return Status(201, problem)


@router.get("/problems/{problem_id}", response=ProblemDetailOut)
def read_problem(request: HttpRequest, problem_id: DbId) -> Problem:
    return _visible(request, problem_id)


@router.post("/problems/{problem_id}/contacts", response={201: LinkOut})
def link_contact(request: HttpRequest, problem_id: DbId, payload: ProblemLinkIn) -> Status[Any]:
    """Link a contact to the problem (one click in the desk)."""
    require_perm(request, "rootcause.link_problem")
    problem = _visible(request, problem_id)
    contact = find_or_404(Contact.objects.all(), payload.contact_id, _("Dit contact bestaat niet."))
    link = services.problem_link_contact(problem=problem, contact=contact, actor=current_user(request))
    return Status(201, link)


@router.post("/problems/{problem_id}/seen-too", response={201: LinkOut})
def seen_too(request: HttpRequest, problem_id: DbId, payload: SeenTooIn) -> Status[Any]:
    """ "Ik zie dit ook": link the contact with the agent's example."""
    require_perm(request, "rootcause.link_problem")
    problem = _visible(request, problem_id)
    contact = find_or_404(Contact.objects.all(), payload.contact_id, _("Dit contact bestaat niet."))
    link = services.problem_seen_too(
        problem=problem,
        contact=contact,
        note=payload.note,
        actor=current_user(request),
    )
    return Status(201, link)


@router.get("/problems/{problem_id}/updates", response=list[UpdateOut])
def list_updates(request: HttpRequest, problem_id: DbId) -> list[ProblemUpdate]:
    problem = _visible(request, problem_id)
    return list(problem.updates.select_related("author"))


@router.post("/problems/{problem_id}/updates", response={201: UpdateOut})
def add_update(request: HttpRequest, problem_id: DbId, payload: UpdateIn) -> Status[Any]:
    """The department's answer and/or a new status (the owning department's owners and managers)."""
    require_perm(request, "rootcause.answer_problem")
    problem = _visible(request, problem_id)
    update = services.problem_answer(
        problem=problem,
        actor=current_user(request),
        text=payload.text,
        status=payload.status or "",
    )
    return Status(201, update)


@router.get("/problems/{problem_id}/affected-customers", response=list[AffectedOut])
def affected(request: HttpRequest, problem_id: DbId) -> list[Any]:
    """The customers with a linked contact, for a proactive message once the problem is solved."""
    require_perm(request, "customers.view_customer")
    return list(selectors.affected_customers(_visible(request, problem_id)))


@router.get("/problems/{problem_id}/affected-customers.csv")
def affected_csv(request: HttpRequest, problem_id: DbId) -> HttpResponse:
    require_perm(request, "customers.view_customer")
    problem = _visible(request, problem_id)
    response = selectors.affected_csv_response(problem)
    audit_from_request(request, action="problem.export_affected", object_type="problem", object_id=problem_id)
    return response


@router.get("/spikes", response=list[SpikeOut])
def list_spikes(request: HttpRequest, include_dismissed: bool = False) -> list[Spike]:
    """Spikes in contact reasons within your scope, newest first."""
    require_perm(request, "rootcause.view_spike")

    spikes = scoped_spikes(insight_scope(request.user))
    if not include_dismissed:
        spikes = spikes.filter(dismissed=False)
    return list(spikes[:200])


@router.post("/spikes/{spike_id}/problem", response={201: ProblemDetailOut})
def problem_from_spike(request: HttpRequest, spike_id: DbId) -> Status[Any]:
    """ "Maak een signaal" from a spike: a problem with the window's contacts linked."""
    require_perm(request, "rootcause.add_problem")
    spike = find_or_404(Spike.objects.select_related("reason"), spike_id, _("Deze piek bestaat niet."))
    problem = services.problem_from_spike(spike=spike, actor=current_user(request))
    return Status(201, problem)


def _department_code(reason: ContactReason) -> str | None:
    department = reason.department or (reason.parent.department if reason.parent else None)
    return department.code if department else None


def _with_impact(problem: Problem, impact: Impact) -> Problem:
    setattr(problem, "impact", impact)  # noqa: B010 (read by ProblemDetailOut.resolve_impact)
    return problem


@router.get("/insights/board", response=BoardOut)
def read_board(request: HttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    """The board within your scope: reasons (counts and trend over `from`..`to` against the period
    before), open spikes, and open problems with impact."""
    scope = insight_scope(request.user)
    data = board(scope, query.period())
    return {
        "start": data.period.start.isoformat(),
        "end": data.period.end.isoformat(),
        "reasons": [
            {
                "reason": r.reason.code,
                "name": str(r.reason.name),
                "department": _department_code(r.reason),
                "contacts": r.contacts,
                "previous": r.previous,
                "change": r.change,
                "trend": r.trend,
            }
            for r in data.reasons
        ],
        "spikes": data.spikes,
        "problems": [_with_impact(p, data.impact[p.pk]) for p in data.problems],
    }


@router.get("/contacts/{contact_id}/reason-proposal", response=ReasonProposalOut)
def reason_proposal(request: HttpRequest, contact_id: DbId) -> dict[str, Any]:
    """The reason the desk proposes for a contact, with the words behind it (null when unsure)."""
    require_perm(request, "contacts.view_contact")

    contact = get_or_404(Contact, contact_id)
    proposal = propose_reason(contact.pk)
    reason = ContactReason.objects.filter(pk=proposal.reason_id).first() if proposal else None
    return {
        "contact_id": contact.pk,
        "reason": reason.code if reason else None,
        "name": str(reason.name) if reason else None,
        "probability": proposal.probability if proposal else None,
        "words": list(proposal.words) if proposal else [],
    }
