"""Desk pages for agent states and the live board: an agent sets their own state from the top bar; team
leads and managers watch the live queue (/desk/live/, refreshed every few seconds by htmx) and may sign
off someone of their team who left."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from gezien.accounts.models import User
from gezien.core.errors import DomainError
from gezien.planning.live import live_scope
from gezien.presence import services
from gezien.presence.models import BreakKind, State
from gezien.presence.services import MAX_BREAK_MINUTES
from gezien.web.pages import presence as pages
from gezien.web.views.common import actor, redirect_next, requires

# What the top bar offers: one choice per state an agent picks (a break per kind).
STATE_CHOICES = [
    ("available", gettext_lazy("Beschikbaar")),
    *((f"break:{kind}", label) for kind, label in BreakKind.choices),
    ("offline", gettext_lazy("Afmelden")),
]


class StateForm(forms.Form):
    choice = forms.ChoiceField(choices=STATE_CHOICES)
    minutes = forms.IntegerField(min_value=1, max_value=MAX_BREAK_MINUTES, required=False)

    def state(self) -> tuple[str, str]:
        state, _sep, kind = self.cleaned_data["choice"].partition(":")
        return state, kind


def _set(request: HttpRequest, user: User) -> HttpResponse:
    form = StateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige status."))
        return redirect_next(request, reverse("desk:queue"))
    state, kind = form.state()
    try:
        span = services.state_set(
            user=user,
            state=state,
            break_kind=kind,
            minutes=form.cleaned_data["minutes"],
            actor=actor(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        label = BreakKind(span.break_kind).label if span.break_kind else State(span.state).label
        messages.success(request, _("Status: %(state)s") % {"state": label})
    return redirect_next(request, reverse("desk:queue"))


@require_POST
@requires("presence.set_own_state")
def state_own(request: HttpRequest) -> HttpResponse:
    return _set(request, actor(request))


@require_POST
@requires("presence.view_live")
def state_of(request: HttpRequest, user_id: int) -> HttpResponse:
    """A team lead signs off (or sets) someone of their team."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    return _set(request, user)


def _board_context(request: HttpRequest) -> pages.LivePage:
    try:
        scope = live_scope(actor(request))
    except DomainError as exc:
        raise Http404(exc.message) from exc
    return pages.live_page(scope)


@require_GET
@requires("presence.view_live")
def live(request: HttpRequest) -> HttpResponse:
    return render(request, "web/presence/live.html", _board_context(request))


@require_GET
@requires("presence.view_live")
def live_panel(request: HttpRequest) -> HttpResponse:
    """The board alone, for htmx to swap in every few seconds."""
    return render(request, "web/presence/_board.html", _board_context(request))


urls: list[URLPattern] = [
    path("desk/presence/state/", state_own, name="presence_state"),
    path("desk/live/", live, name="live"),
    path("desk/live/panel/", live_panel, name="live_panel"),
    path("desk/live/agents/<id:user_id>/state/", state_of, name="presence_state_of"),
]
