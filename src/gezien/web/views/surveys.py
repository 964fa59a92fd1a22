"""Survey pages: the public page a customer answers on (/s/<token>/, no login: the signed link is the
credential), and the desk's list of answers for managers and team leads (/insights/surveys/, scoped)."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import formats, timezone, translation
from django.views.decorators.http import require_GET, require_http_methods

from gezien.core.errors import DomainError, Forbidden, Invalid
from gezien.core.export import csv_response
from gezien.core.period import period_from
from gezien.insights.figures import figures
from gezien.insights.scope import insight_scope, scoped_totals
from gezien.insights.surveys import selectors, services
from gezien.insights.surveys.links import (
    AlreadyAnswered,
    LinkExpired,
    LinkTampered,
    invitation_check_open,
    invitation_for_token,
)
from gezien.insights.surveys.models import COMMENT_CHARS, SurveyInvitation, SurveyKind
from gezien.insights.surveys.texts import texts
from gezien.web.views.common import allowed_when
from gezien.web.views.insights import sees_insights

# --- the public page ------------------------------------------------------------------------------------


def _language(request: HttpRequest, invitation: SurveyInvitation | None) -> str:
    asked = request.GET.get("lang") or request.POST.get("lang")
    if asked in ("nl", "en"):
        return asked
    return invitation.language if invitation is not None else "nl"


def _public(
    request: HttpRequest, template: str, language: str, status: int = 200, **context: Any
) -> HttpResponse:
    t = texts(language)
    org = settings.GEZIEN_ORGANISATION_NAME
    other = "en" if language == "nl" else "nl"
    context = {
        "t": t,
        "org": org,
        "language": language,
        "other_language": other,
        "other_label": t["language"],
        **context,
    }
    return render(request, template, context, status=status)


def _refused(request: HttpRequest, exc: DomainError, invitation: SurveyInvitation | None) -> HttpResponse:
    language = _language(request, invitation)
    t = texts(language)
    if isinstance(exc, LinkExpired) and invitation is not None:
        with translation.override(language):
            until = formats.date_format(timezone.localtime(invitation.expires_at), "j F Y")
        title, text = t["expired_title"], t["expired"].format(until=until)
    elif isinstance(exc, AlreadyAnswered):
        title, text = t["answered_title"], t["answered"]
    else:
        title, text = t["tampered_title"], t["tampered"]
    return _public(request, "surveys/public_message.html", language, exc.status_code, title=title, text=text)


def _scale(kind: str) -> list[int]:
    return list(range(0, 11)) if kind == SurveyKind.NPS else list(range(1, 6))


def _form(
    request: HttpRequest, invitation: SurveyInvitation, token: str, status: int = 200, **context: Any
) -> HttpResponse:
    language = _language(request, invitation)
    t = texts(language)
    org = settings.GEZIEN_ORGANISATION_NAME
    nps = invitation.kind == SurveyKind.NPS
    return _public(
        request,
        "surveys/public_form.html",
        language,
        status,
        token=token,
        scale=_scale(invitation.kind),
        question=t["nps_question" if nps else "csat_question"].format(org=org),
        low=t["nps_low" if nps else "csat_low"],
        high=t["nps_high" if nps else "csat_high"],
        intro=t["intro"].format(org=org),
        comment_chars=COMMENT_CHARS,
        **context,
    )


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
    values = {"chosen": raw_score, "resolved": request.POST.get("resolved", ""), "comment": comment}
    if not re.fullmatch(r"[0-9]{1,2}", raw_score):  # ASCII digits only ("²".isdigit() is True)
        return _form(request, invitation, token, 422, error=t["choose_score"], **values)
    try:
        services.survey_answer(token=token, score=int(raw_score), resolved=resolved, comment=comment)
    except (LinkTampered, LinkExpired, AlreadyAnswered) as exc:
        return _refused(request, exc, invitation)
    except Invalid as exc:
        error = t["comment_too_long"] if exc.field == "comment" else t["choose_score"]
        return _form(request, invitation, token, 422, error=error, **values)
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
    t = texts(_language(request, invitation))
    return _public(
        request,
        "surveys/public_message.html",
        _language(request, invitation),
        title=t["thanks_title"],
        text=t["thanks"],
    )


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
        return render(request, "surveys/responses.html", {"error": exc.message, "rows": []}, status=422)
    rows = list(
        selectors.responses_in_scope(scope, period.start, period.end, kind).order_by("-answered_at")[:500]
    )
    headline = figures(scoped_totals(scope, period.start, period.end)[""])
    context = {
        "rows": [(r, selectors.comment_feelings(r.comment_analysis)) for r in rows],
        "period": period,
        "kind": kind or "",
        "figures": headline,
        "nps_answers": int(headline.get("nps_answers") or 0),
        "csat_answers": int(headline.get("csat_answers") or 0),
        "kinds": SurveyKind.choices,
    }
    return render(request, "surveys/responses.html", context)


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
