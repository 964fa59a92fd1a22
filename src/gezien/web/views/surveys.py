"""Survey pages: the public page a customer answers on (/s/<token>/, no login: the signed link is the
credential), and the desk's list of answers for managers and team leads (/insights/surveys/, scoped)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from gezien.audit.log import audit_from_request
from gezien.core.errors import DomainError, Forbidden, Invalid
from gezien.core.export import csv_response
from gezien.core.period import period_from
from gezien.insights.scope import insight_scope
from gezien.insights.surveys import selectors, services
from gezien.insights.surveys.links import (
    AlreadyAnswered,
    LinkExpired,
    LinkTampered,
    invitation_check_open,
    invitation_for_token,
)
from gezien.insights.surveys.models import SurveyInvitation, SurveyKind
from gezien.insights.surveys.texts import texts
from gezien.web.pages import surveys as pages
from gezien.web.views.common import allowed_when
from gezien.web.views.insights import sees_insights

# --- the public page ------------------------------------------------------------------------------------


def _language(request: HttpRequest, invitation: SurveyInvitation | None) -> str:
    asked = request.GET.get("lang") or request.POST.get("lang")
    if asked in ("nl", "en"):
        return asked
    return invitation.language if invitation is not None else "nl"


def _refused(request: HttpRequest, exc: DomainError, invitation: SurveyInvitation | None) -> HttpResponse:
    page = pages.refused_page(exc, invitation, _language(request, invitation))
    return render(request, "surveys/public_message.html", page, status=exc.status_code)


def _form(
    request: HttpRequest, invitation: SurveyInvitation, token: str, given: pages.Given | None = None
) -> HttpResponse:
    page = pages.form_page(invitation, token, _language(request, invitation), given)
    return render(request, "surveys/public_form.html", page, status=422 if given else 200)


@login_not_required
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    invitation: SurveyInvitation | None = None
    try:
        invitation = invitation_for_token(token)
        invitation_check_open(invitation)
    except (LinkTampered, LinkExpired, AlreadyAnswered) as exc:
        return _refused(request, exc, invitation)
    if request.method == "GET":
        return _form(request, invitation, token)
    return _answer(request, invitation, token)


def _answer(request: HttpRequest, invitation: SurveyInvitation, token: str) -> HttpResponse:
    t = texts(_language(request, invitation))
    raw_score = request.POST.get("score", "").strip()
    resolved = {"ja": True, "nee": False}.get(request.POST.get("resolved", ""))
    comment = request.POST.get("comment", "")
    given: pages.Given = {
        "chosen": raw_score,
        "resolved": request.POST.get("resolved", ""),
        "comment": comment,
    }
    if not re.fullmatch(r"[0-9]{1,2}", raw_score):  # ASCII digits only ("²".isdigit() is True)
        return _form(request, invitation, token, {**given, "error": t["choose_score"]})
    try:
        services.survey_answer(token=token, score=int(raw_score), resolved=resolved, comment=comment)
    except (LinkTampered, LinkExpired, AlreadyAnswered) as exc:
        return _refused(request, exc, invitation)
    except Invalid as exc:
        error = t["comment_too_long"] if exc.field == "comment" else t["choose_score"]
        return _form(request, invitation, token, {**given, "error": error})
    return redirect(reverse("desk:survey_thanks", args=[token]) + f"?lang={_language(request, invitation)}")


@login_not_required
@require_GET
def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_for_token(token)
    except LinkTampered as exc:
        return _refused(request, exc, None)
    if invitation.answered_at is None:
        return redirect("desk:survey_page", token=token)
    return render(request, "surveys/public_message.html", pages.thanks_page(_language(request, invitation)))


# --- the desk: answers for managers and team leads ---------------------------------------------------------


def _scope(request: HttpRequest) -> Any:
    try:
        return insight_scope(request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc


@allowed_when(sees_insights)
@require_GET
def responses_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in SurveyKind.values else None
    try:
        period = period_from(request.GET)
    except Invalid as exc:
        return render(
            request, "surveys/responses.html", pages.responses_refused_page(exc.message), status=422
        )
    return render(request, "surveys/responses.html", pages.responses_page(scope, period, kind))


@require_GET
def responses_export(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in SurveyKind.values else None
    try:
        period = period_from(request.GET)
    except Invalid as exc:
        return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8")
    rows = selectors.responses_in_scope(scope, period.start, period.end, kind).order_by("answered_at")
    header = [
        "answered_at", "contact_id", "channel", "team", "agent", "reason", "kind", "score", "resolved",
        "comment", "comment_emotions",
    ]  # fmt: skip
    audit_from_request(
        request,
        action="survey.export",
        object_type="survey_responses",
        object_id="",
        details={"start": str(period.start), "end": str(period.end)},
    )
    return csv_response(
        f"enquetes-{period.start}-{period.end}.csv",
        header,
        (
            [
                timezone.localtime(r.answered_at).isoformat(timespec="minutes"),
                r.invitation.contact_id,
                r.invitation.contact.channel,
                r.invitation.contact.team.name if r.invitation.contact.team else "",
                a.display_name if (a := r.invitation.contact.assigned_agent) else "",
                r.invitation.contact.reason.name if r.invitation.contact.reason else "",
                r.kind,
                r.score,
                r.resolved,
                r.comment,
                " ".join(f.signal for f in selectors.comment_feelings(r.comment_analysis)),
            ]
            for r in rows.iterator(chunk_size=500)
        ),
    )


urls: list[URLPattern] = [
    path("s/<str:token>/", survey_page, name="survey_page"),
    path("s/<str:token>/bedankt/", survey_thanks, name="survey_thanks"),
    path("insights/surveys/", responses_list, name="insights_surveys"),
    path("insights/surveys/export.csv", responses_export, name="insights_surveys_export"),
]
