"""Desk pages of the root-cause board (R15): the board (/insights/board/), a problem's page with its
impact, contacts, "ik zie dit ook" examples and the department's answers, the reason tree
(/insights/reasons/), and the desk's one-click actions on a contact (link, "ik zie dit ook", confirm the
proposed reason)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gezien.accounts.models import Department, User
from gezien.audit.log import audit_from_request
from gezien.contacts.handling import contact_set_reason
from gezien.contacts.models import Contact, ContactReason
from gezien.core.errors import DomainError, Forbidden
from gezien.core.export import csv_response
from gezien.insights.rootcause import selectors, services
from gezien.insights.rootcause.board import board
from gezien.insights.rootcause.models import Problem, Spike
from gezien.web.pages import rootcause as pages
from gezien.web.views.common import actor, redirect_next, requires
from gezien.web.views.insights import insight_page, insight_request, wants_csv


def _problem(request: HttpRequest, problem_id: int) -> Problem:
    try:
        problems = selectors.problems_visible(request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    found = selectors.with_latest_answer(problems).prefetch_related("reasons").filter(pk=problem_id).first()
    if found is None:
        raise Http404(_("Dit signaal bestaat niet."))
    return found


def _do(request: HttpRequest, action: Any, done: str) -> bool:
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


# --------------------------------------------------------------------------- the board


@insight_page
@require_GET
def board_page(request: HttpRequest) -> HttpResponse:
    scope, period = insight_request(request)
    closed = request.GET.get("closed") == "1"
    if wants_csv(request):
        return _board_csv(request, board(scope, period, closed=closed))
    page = pages.board_page(scope, period, request.user, closed=closed)
    return render(request, "web/rootcause/board.html", page)


def _board_csv(request: HttpRequest, data: Any) -> HttpResponse:
    if request.GET.get("table") == "reasons":
        lines = [(r.reason.code, r.reason.name, r.contacts, r.previous, r.negative) for r in data.reasons]
        header_reasons = ("reden", "naam", "contacten", "periode_ervoor", "negatief")
        return csv_response("redenen.csv", header_reasons, lines)
    header = ["signaal", "titel", "status", "afdeling", "contacten", "klanten", "agent_uren"]
    header += ["negatief_aandeel", "klanten_opzegrisico", "bedrag_eur"]
    rows: list[list[Any]] = []
    for p in data.problems:
        i = data.impact[p.pk]
        department = p.department.code if p.department else ""
        rows.append([p.pk, p.title, p.status, department, i.contacts, i.customers, i.agent_hours])
        rows[-1] += [i.negative_share, i.churn_customers, i.money]
    return csv_response("signalen.csv", header, rows)


@requires("rootcause.add_problem")
@require_POST
def problem_create(request: HttpRequest) -> HttpResponse:
    codes = request.POST.getlist("reasons")
    reasons = list(
        ContactReason.objects.filter(code__in=codes).select_related("parent", "parent__department")
    )
    department = Department.objects.filter(code=request.POST.get("department", "")).first()
    created: list[Problem] = []

    def make() -> None:
        created.append(
            services.problem_create(
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                reasons=reasons,
                department=department,
                actor=actor(request),
            )
        )

    if _do(request, make, _("Signaal aangemaakt.")):
        contact_id = request.POST.get("contact_id", "")
        if contact_id.isdigit():
            contact = Contact.objects.filter(pk=int(contact_id)).first()
            if contact is not None:
                services.problem_link_contact(problem=created[0], contact=contact, actor=actor(request))
        return redirect_next(request, reverse("desk:insights_problem", args=[created[0].pk]))
    return redirect_next(request, reverse("desk:insights_board"))


@requires("rootcause.add_problem")
@require_POST
def spike_to_problem(request: HttpRequest, spike_id: int) -> HttpResponse:
    spike = Spike.objects.select_related("reason").filter(pk=spike_id).first()
    if spike is None:
        raise Http404(_("Deze piek bestaat niet."))
    made: list[Problem] = []
    ok = _do(
        request,
        lambda: made.append(services.problem_from_spike(spike=spike, actor=actor(request))),
        _("Signaal gemaakt van de piek; de contacten uit de piek zijn gekoppeld."),
    )
    if ok:
        return redirect("desk:insights_problem", problem_id=made[0].pk)
    return redirect("desk:insights_board")


@requires("rootcause.change_spike")
@require_POST
def spike_dismiss(request: HttpRequest, spike_id: int) -> HttpResponse:
    spike = Spike.objects.filter(pk=spike_id).first()
    if spike is None:
        raise Http404(_("Deze piek bestaat niet."))
    services.spike_dismiss(spike=spike)
    messages.success(request, _("Piek genegeerd."))
    return redirect("desk:insights_board")


# --------------------------------------------------------------------------- one problem


@require_GET
def problem_page(request: HttpRequest, problem_id: int) -> HttpResponse:
    page = pages.problem_page(_problem(request, problem_id), request.user, request.GET.get("page"))
    return render(request, "web/rootcause/problem.html", page)


@require_POST
def problem_answer(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = _problem(request, problem_id)
    if not services.can_answer(request.user, problem):
        raise PermissionDenied
    _do(
        request,
        lambda: services.problem_answer(
            problem=problem,
            actor=actor(request),
            text=request.POST.get("text", ""),
            status=request.POST.get("status", ""),
        ),
        _("Antwoord opgeslagen; medewerkers zien het in de desk."),
    )
    return redirect("desk:insights_problem", problem_id=problem.pk)


@requires("rootcause.link_problem")
@require_POST
def problem_link(request: HttpRequest, problem_id: int) -> HttpResponse:
    problem = _problem(request, problem_id)
    raw = request.POST.get("contact_id", "")
    contact = Contact.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
    if contact is None:
        raise Http404(_("Dit contact bestaat niet."))
    if request.POST.get("kind") == "seen_too":
        _do(
            request,
            lambda: services.problem_seen_too(
                problem=problem, contact=contact, note=request.POST.get("note", ""), actor=actor(request)
            ),
            _("Dank je: je voorbeeld staat bij het signaal."),
        )
    else:
        _do(
            request,
            lambda: services.problem_link_contact(problem=problem, contact=contact, actor=actor(request)),
            _("Contact gekoppeld aan het signaal."),
        )
    return redirect_next(request, reverse("desk:insights_problem", args=[problem.pk]))


@requires("customers.view_customer")
@require_GET
def problem_affected_csv(request: HttpRequest, problem_id: int) -> HttpResponse:
    response = selectors.affected_csv_response(_problem(request, problem_id))
    audit_from_request(request, action="problem.export_affected", object_type="problem", object_id=problem_id)
    return response


# --------------------------------------------------------------------------- the desk


@requires("contacts.handle_contact")
@require_POST
def reason_confirm(request: HttpRequest, contact_id: int) -> HttpResponse:
    """One click: the agent confirms the proposed reason."""
    contact = Contact.objects.filter(pk=contact_id).first()
    reason = ContactReason.objects.filter(code=request.POST.get("reason", ""), active=True).first()
    if contact is None or reason is None:
        raise Http404(_("Dit contact of deze reden bestaat niet."))
    contact_set_reason(contact=contact, reason=reason, actor=actor(request))
    messages.success(request, _("Reden opgeslagen: %(reason)s.") % {"reason": reason.name})
    return redirect("desk:contact", contact_id=contact.pk)


# --------------------------------------------------------------------------- the reason tree


@requires("rootcause.manage_reasons")
def reasons_page(request: HttpRequest) -> HttpResponse:
    """Managers edit the contact reason tree and the departments that own reasons."""
    if request.method == "POST":
        _reasons_post(request)
        return redirect("desk:insights_reasons")
    return render(request, "web/rootcause/reasons.html", pages.reasons_page())


def _reasons_post(request: HttpRequest) -> None:
    post = request.POST
    action = post.get("action")
    department = Department.objects.filter(code=post.get("department", "")).first()
    parent = ContactReason.objects.filter(code=post.get("parent", "")).first()
    if action == "add":
        _do(
            request,
            lambda: services.reason_create(
                code=post.get("code", ""), name=post.get("name", ""), parent=parent, department=department
            ),
            _("Reden toegevoegd."),
        )
    elif action == "change":
        reason = ContactReason.objects.filter(code=post.get("reason", "")).first()
        if reason is None:
            raise Http404(_("Onbekende contactreden."))
        _do(
            request,
            lambda: services.reason_update(
                reason=reason,
                name=post.get("name") or None,
                parent=parent,
                department=department,
                active=post.get("active") == "1",
            ),
            _("Reden opgeslagen."),
        )
    elif action == "department":
        owners = list(User.objects.filter(username__in=post.get("owners", "").replace(",", " ").split()))
        existing = Department.objects.filter(code=post.get("code", "")).first()
        _do(
            request,
            lambda: services.department_save(
                code=post.get("code", ""),
                name=post.get("name", ""),
                owners=owners,
                digest_email=post.get("digest_email", ""),
                department=existing,
            ),
            _("Afdeling opgeslagen."),
        )


urls: list[URLPattern] = [
    path("insights/board/", board_page, name="insights_board"),
    path("insights/problems/new", problem_create, name="insights_problem_create"),
    path("insights/problems/<int:problem_id>/", problem_page, name="insights_problem"),
    path("insights/problems/<int:problem_id>/answer", problem_answer, name="insights_problem_answer"),
    path("insights/problems/<int:problem_id>/link", problem_link, name="insights_problem_link"),
    path(
        "insights/problems/<int:problem_id>/affected.csv",
        problem_affected_csv,
        name="insights_problem_affected_csv",
    ),
    path("insights/spikes/<int:spike_id>/problem", spike_to_problem, name="insights_spike_problem"),
    path("insights/spikes/<int:spike_id>/dismiss", spike_dismiss, name="insights_spike_dismiss"),
    path("insights/reasons/", reasons_page, name="insights_reasons"),
    path("contacts/<int:contact_id>/reason/confirm", reason_confirm, name="reason_confirm"),
]
