"""Desk pages for wellbeing (R17): the team page for leads and managers (/desk/wellbeing/: who needs a
break or is protected now, open alerts, the week and the days that call for scaling up), each agent's own
page (/desk/wellbeing/me/) and a lead's view of it, the policy managers keep, and the buttons of the break
prompt the desk shows above every page ("Pauze nemen", "Even bijkomen")."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gezien.accounts.models import Team
from gezien.core.errors import DomainError, Forbidden, Invalid, NotFound
from gezien.web.pages import wellbeing as pages
from gezien.web.pages.errors import invalid_page
from gezien.web.views.common import actor, allowed_when, apply, audited_setting, redirect_next, requires
from gezien.wellbeing import alerts, selectors, services
from gezien.wellbeing.models import Protection, WellbeingAlert

TEAM_PERMS = ("wellbeing.view_team_wellbeing", "wellbeing.view_all_wellbeing")


def domain_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refusals become 403, unknown people 404, bad input (a week) a 422 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Invalid as exc:
            return render(request, "web/wellbeing/invalid.html", invalid_page(exc.message), status=422)

    return wrapped


def _team_id(request: HttpRequest, scope: selectors.Scope) -> int | None:
    raw = request.GET.get("team", "")
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise Invalid(_("Onbekend team."), field="team")
    team_id = int(raw)
    if not Team.objects.filter(pk=team_id).exists() or scope.team_id not in (None, team_id):
        raise NotFound(_("Dit team bestaat niet of is niet het uwe."))
    return team_id


def sees_wellbeing(user: Any) -> bool:
    """The rule of "Welzijn": a lead's view of the team, or one's own page (agents are sent there)."""
    return any(user.has_perm(p) for p in (*TEAM_PERMS, "wellbeing.view_own_wellbeing"))


@allowed_when(sees_wellbeing)
@require_GET
@domain_page
def team(request: HttpRequest) -> HttpResponse:
    """Team leads their team, managers every team (or one, `?team=`); `?week=YYYY-MM-DD` any day of the
    week. Agents find their own page here."""
    user = actor(request)
    if not any(user.has_perm(p) for p in TEAM_PERMS):
        if user.has_perm("wellbeing.view_own_wellbeing"):
            return redirect("desk:wellbeing_me")
        raise PermissionDenied
    now = timezone.now()
    scope = selectors.scope_for(user)
    monday = selectors.week_of(request.GET.get("week"), now)
    page = pages.team_page(
        scope,
        monday,
        now,
        _team_id(request, scope),
        can_manage=user.has_perm("wellbeing.manage_wellbeing_policy"),
    )
    return render(request, "web/wellbeing/team.html", page)


def _agent_page(request: HttpRequest, agent_id: int) -> HttpResponse:
    user = actor(request)
    agent = selectors.agent_for(user, agent_id)
    now = timezone.now()
    page = pages.agent_page(
        agent,
        selectors.week_of(request.GET.get("week"), now),
        now,
        own=agent.pk == user.pk,
        can_end=agent.pk == user.pk or any(user.has_perm(p) for p in TEAM_PERMS),
    )
    return render(request, "web/wellbeing/agent.html", page)


@require_GET
@domain_page
def me(request: HttpRequest) -> HttpResponse:
    return _agent_page(request, actor(request).pk)


@require_GET
@domain_page
def agent(request: HttpRequest, user_id: int) -> HttpResponse:
    return _agent_page(request, user_id)


class CommaFloatField(forms.FloatField):
    """A decimal typed the Dutch way ("0,6") or the English way ("0.6")."""

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        return super().to_python(value.replace(",", ".", 1) if isinstance(value, str) else value)


class PolicyForm(forms.Form):
    continuous_minutes = forms.IntegerField(
        label=gettext_lazy("Pauze voorstellen na (minuten aan één stuk op de wachtrij)"),
        min_value=15,
        max_value=720,
    )
    min_break_minutes = forms.IntegerField(
        label=gettext_lazy("Een pauze telt vanaf (minuten)"), min_value=1, max_value=60
    )
    daily_queue_minutes = forms.IntegerField(
        label=gettext_lazy("Teamleider waarschuwen boven (minuten per dag op de wachtrij)"),
        min_value=60,
        max_value=1440,
    )
    lunch_only_minutes = forms.IntegerField(
        label=gettext_lazy("Geen pauze behalve de lunch: waarschuwen vanaf (minuten op de wachtrij)"),
        min_value=60,
        max_value=1440,
    )
    heavy_load_at = CommaFloatField(
        label=gettext_lazy("Een contact is zwaar vanaf (belasting 0,05–1)"), min_value=0.05, max_value=1.0
    )
    heavy_run = forms.IntegerField(label=gettext_lazy("Zware contacten op rij"), min_value=1, max_value=20)
    heavy_window_minutes = forms.IntegerField(
        label=gettext_lazy("binnen (minuten)"), min_value=5, max_value=1440
    )
    protect_minutes = forms.IntegerField(
        label=gettext_lazy("Daarna geen zware contacten gedurende (minuten)"), min_value=1, max_value=480
    )
    decompression_minutes = forms.IntegerField(
        label=gettext_lazy("Even bijkomen (minuten)"), min_value=1, max_value=60
    )
    per_agent_views = forms.BooleanField(
        label=gettext_lazy("Teamleiders zien het overzicht per medewerker"), required=False
    )


def _policy_initial() -> dict[str, Any]:
    current = selectors.policy()
    return {name: getattr(current, name) for name in PolicyForm.base_fields}


@requires("wellbeing.manage_wellbeing_policy")
@require_http_methods(["GET", "POST"])
@audited_setting("wellbeing_policy")
def policy(request: HttpRequest) -> HttpResponse:
    """The organisation's wellbeing policy (managers)."""
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid() and apply(
            request, form, lambda: services.policy_save(actor=actor(request), **form.cleaned_data)
        ):
            messages.success(request, _("Welzijnsbeleid opgeslagen."))
            return redirect("desk:wellbeing_policy")
        return render(request, "web/wellbeing/policy.html", pages.policy_page(form), status=422)
    form = PolicyForm(initial=_policy_initial())
    return render(request, "web/wellbeing/policy.html", pages.policy_page(form))


@require_POST
@requires("presence.set_own_state")
def take_break(request: HttpRequest) -> HttpResponse:
    """The prompt's "Pauze nemen": a short break now."""
    if apply(request, None, lambda: services.break_take(user=actor(request))):
        messages.success(request, _("Pauze gestart. Even weg van de wachtrij; tot zo."))
    return redirect_next(request, reverse("desk:queue"))


def _protection(request: HttpRequest, protection_id: int) -> Protection:
    found = selectors.protections_for(request.user).filter(pk=protection_id).first()
    if found is None:
        raise Http404(_("Deze bescherming bestaat niet."))
    return found


@require_POST
@requires("wellbeing.view_own_wellbeing")
def decompress(request: HttpRequest, protection_id: int) -> HttpResponse:
    """The prompt's "Even bijkomen": the decompression break the protection offers."""
    protection = _protection(request, protection_id)
    if protection.user_id != actor(request).pk:
        raise PermissionDenied
    if apply(request, None, lambda: services.decompression_take(protection=protection, user=actor(request))):
        messages.success(
            request,
            _("Even bijkomen: %(m)s minuten. Neem de tijd.") % {"m": protection.decompression_minutes},
        )
    return redirect_next(request, reverse("desk:queue"))


@require_POST
@requires("wellbeing.view_own_wellbeing")
def protection_end(request: HttpRequest, protection_id: int) -> HttpResponse:
    """ "Het gaat weer": the agent (or their lead) ends a protection early."""
    protection = _protection(request, protection_id)
    try:
        services.protection_end(protection=protection, actor=actor(request))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Bescherming beëindigd."))
    return redirect_next(request, reverse("desk:wellbeing_me"))


@require_POST
@requires("wellbeing.view_team_wellbeing")
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    found = WellbeingAlert.objects.filter(pk=alert_id).first()
    if found is None:
        raise Http404(_("Dit signaal bestaat niet."))
    try:
        alerts.alert_acknowledge(alert=found, actor=actor(request))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Signaal op gezien gezet."))
    return redirect_next(request, reverse("desk:wellbeing"))


urls: list[URLPattern] = [
    path("desk/wellbeing/", team, name="wellbeing"),
    path("desk/wellbeing/me/", me, name="wellbeing_me"),
    path("desk/wellbeing/agents/<id:user_id>/", agent, name="wellbeing_agent"),
    path("desk/wellbeing/policy/", policy, name="wellbeing_policy"),
    path("desk/wellbeing/break/", take_break, name="wellbeing_break"),
    path(
        "desk/wellbeing/protections/<id:protection_id>/decompress/", decompress, name="wellbeing_decompress"
    ),
    path(
        "desk/wellbeing/protections/<id:protection_id>/end/", protection_end, name="wellbeing_protection_end"
    ),
    path("desk/wellbeing/alerts/<id:alert_id>/acknowledge/", alert_acknowledge, name="wellbeing_alert_ack"),
]
