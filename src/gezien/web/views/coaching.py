"""Desk pages for coaching on the empathy habits (issue 19): the coaching queue for team leads and managers
(/desk/coaching/), each agent's own page (/desk/coaching/me/) and a lead's view of it, one contact's read
with the agent's comments (/desk/coaching/contacts/<id>/), and the policy switch (per-agent scores)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from gezien.audit.log import audit_contact, audit_from_request
from gezien.coaching import selectors, services
from gezien.coaching.habits import HABITS
from gezien.coaching.models import CoachingSession
from gezien.core.errors import DomainError, Forbidden, Invalid, NotFound
from gezien.web.pages import coaching as pages
from gezien.web.views.common import actor, allowed_when, apply, audited_setting, requires

TEAM_PERMS = ("coaching.view_team_reads", "coaching.view_all_reads")
OWN = "coaching.view_own_reads"


def domain_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refusals become 403, unknown people and reads 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapped


def sees_coaching(user: Any) -> bool:
    """The rule of "Coaching": a lead's queue, or one's own page (agents are sent there)."""
    return any(user.has_perm(p) for p in (*TEAM_PERMS, OWN))


@allowed_when(sees_coaching)
@require_GET
@domain_page
def queue(request: HttpRequest) -> HttpResponse:
    """Team leads their team, managers every team: the agents most worth coaching first."""
    user = actor(request)
    if not any(user.has_perm(p) for p in TEAM_PERMS):
        if user.has_perm(OWN):
            return redirect("desk:coaching_me")
        raise PermissionDenied
    page = pages.queue_page(user, can_manage=user.has_perm("coaching.manage_coaching_policy"))
    audit_from_request(
        request,
        action="coaching.view",
        object_type="team",
        object_id=page["queue"].scope.team_id or "",
        details={},
    )
    return render(request, "web/coaching/queue.html", page)


def _agent_page(request: HttpRequest, agent_id: int) -> HttpResponse:
    user = actor(request)
    agent = selectors.agent_for(user, agent_id)
    if agent.pk != user.pk:
        audit_from_request(
            request, action="coaching.view", object_type="user", object_id=agent.pk, details={}
        )
    return render(request, "web/coaching/agent.html", pages.agent_page(agent, own=agent.pk == user.pk))


@allowed_when(sees_coaching)
@require_GET
@domain_page
def me(request: HttpRequest) -> HttpResponse:
    return _agent_page(request, actor(request).pk)


@allowed_when(sees_coaching)
@require_GET
@domain_page
def agent(request: HttpRequest, user_id: int) -> HttpResponse:
    return _agent_page(request, user_id)


class CommentForm(forms.Form):
    habit = forms.ChoiceField(
        label=gettext_lazy("Over"),
        required=False,
        choices=[("", gettext_lazy("de hele beoordeling"))]
        + [(h, selectors.LABELS[h]) for h in HABITS if h != "collegas"],
    )
    disagree = forms.BooleanField(label=gettext_lazy("Ik ben het er niet mee eens"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Reactie"),
        max_length=services.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _read_page(
    request: HttpRequest, contact_id: int, form: CommentForm | None = None, status: int = 200
) -> HttpResponse:
    user = actor(request)
    read = selectors.read_for(user, contact_id)
    audit_contact(request, "contact.view", read.contact, part="coaching")
    page = pages.read_page(read, own=read.agent_id == user.pk)
    return render(request, "web/coaching/read.html", {**page, "form": form or CommentForm()}, status=status)


@allowed_when(sees_coaching)
@require_GET
@domain_page
def contact_read(request: HttpRequest, contact_id: int) -> HttpResponse:
    return _read_page(request, contact_id)


@requires(OWN)
@require_POST
@domain_page
def comment(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The agent comments on their own read (or disagrees); a refused comment shows the form again."""
    if selectors.read_for(actor(request), contact_id).agent_id != actor(request).pk:
        raise PermissionDenied(_("Alleen de medewerker van dit contact reageert op de eigen beoordeling."))
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if apply(
            request,
            form,
            lambda: services.comment_add(
                actor=actor(request),
                contact_id=contact_id,
                text=data["text"],
                habit=data["habit"] or "",
                disagree=data["disagree"],
            ),
        ):
            messages.success(request, _("Uw reactie is opgeslagen; uw teamleider ziet hem."))
            return redirect("desk:coaching_contact", contact_id=contact_id)
    return _read_page(request, contact_id, form, status=422)


@requires("coaching.manage_coaching_policy")
@require_POST
@audited_setting("coaching_policy")
def policy(request: HttpRequest) -> HttpResponse:
    """Managers switch per-agent scores on or off (team figures stay)."""
    on = request.POST.get("per_agent_scores") == "on"
    try:
        services.policy_save(actor=actor(request), per_agent_scores=on)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("desk:coaching")
    messages.success(
        request,
        _("Scores per medewerker staan aan.")
        if on
        else _("Scores per medewerker staan uit; teamcijfers blijven."),
    )
    return redirect("desk:coaching")


def _habits_of(request: HttpRequest) -> list[str]:
    return [h for h in request.POST.getlist("habits") if isinstance(h, str)][:5]


def _ids_of(raw: str) -> list[int]:
    """Contact ids typed as "12, 15 18"; anything else is refused by the service as an unknown example."""
    ids = []
    for part in raw.replace(",", " ").split():
        if not part.isascii() or not part.isdigit() or len(part) > 12:
            raise Invalid(_("Geef contactnummers, gescheiden door komma's."), field="examples")
        ids.append(int(part))
    return ids


@requires("coaching.view_team_reads")
@require_POST
@domain_page
def session_plan(request: HttpRequest, user_id: int) -> HttpResponse:
    """A lead plans a coaching conversation with the agent (one or two habits, a date, example contacts)."""
    try:
        raw = request.POST.get("planned_for", "")
        planned = parse_datetime(raw) if raw else None
        if planned is None:
            raise Invalid(_("Geef een datum en tijd."), field="planned_for")
        if timezone.is_naive(planned):
            planned = timezone.make_aware(planned)
        services.session_plan(
            actor=actor(request),
            agent_id=user_id,
            habits=_habits_of(request),
            planned_for=planned,
            examples=_ids_of(request.POST.get("examples", "")),
        )
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Coachgesprek gepland."))
    return redirect("desk:coaching_agent", user_id=user_id)


@requires("coaching.view_team_reads")
@require_POST
@domain_page
def session_record(request: HttpRequest, session_id: int) -> HttpResponse:
    """The lead records the conversation as held: agreements, follow-up date, examples discussed."""
    session = CoachingSession.objects.filter(pk=session_id).first()
    if session is None:
        raise Http404
    try:
        raw = request.POST.get("follow_up_on", "")
        follow = parse_date(raw) if raw else None
        if raw and follow is None:
            raise Invalid(_("Geef een datum als JJJJ-MM-DD."), field="follow_up_on")
        services.session_record(
            actor=actor(request),
            session_id=session_id,
            agreements=request.POST.get("agreements", ""),
            follow_up_on=follow,
            examples=_ids_of(request.POST.get("examples", "")) if request.POST.get("examples") else None,
        )
    except Invalid as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Coachgesprek vastgelegd."))
    return redirect("desk:coaching_agent", user_id=session.agent_id)


urls: list[URLPattern] = [
    path("desk/coaching/", queue, name="coaching"),
    path("desk/coaching/me/", me, name="coaching_me"),
    path("desk/coaching/agents/<id:user_id>/", agent, name="coaching_agent"),
    path("desk/coaching/contacts/<id:contact_id>/", contact_read, name="coaching_contact"),
    path("desk/coaching/contacts/<id:contact_id>/comment/", comment, name="coaching_comment"),
    path("desk/coaching/policy/", policy, name="coaching_policy"),
    path("desk/coaching/agents/<id:user_id>/sessions/", session_plan, name="coaching_session_plan"),
    path("desk/coaching/sessions/<id:session_id>/held/", session_record, name="coaching_session_record"),
]
