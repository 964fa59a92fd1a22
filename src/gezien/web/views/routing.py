"""Desk pages for routing (R21): team leads set their team's skills and experience; anyone handling a
contact can run routing for it again (e.g. when a skilled colleague came in)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from gezien.accounts.roles import desk_people
from gezien.contacts.models import Channel, Contact
from gezien.core.errors import DomainError
from gezien.routing import selectors, services
from gezien.routing.models import (
    RoutingDecision,
)
from gezien.web.pages import routing as pages
from gezien.web.pages.routing import EXPERIENCE_CHOICES
from gezien.web.views.common import actor, apply, audited_setting, redirect_next, requires


class AgentSkillsForm(forms.Form):
    skills = forms.MultipleChoiceField(label=gettext_lazy("Vaardigheden"), required=False)
    experience = forms.ChoiceField(label=gettext_lazy("Ervaring"), choices=EXPERIENCE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = [(s.code, s.name) for s in selectors.skills()]  # type: ignore[attr-defined]
        for channel, label in Channel.choices:
            self.fields[f"capacity_{channel}"] = forms.IntegerField(
                label=label, min_value=0, max_value=services.MAX_CAPACITY, required=False
            )

    def capacity(self) -> dict[str, int] | None:
        """The capacities filled in (a blank field keeps the organisation's default); None: none sent."""
        sent = {c: self.cleaned_data.get(f"capacity_{c}") for c in Channel.values}
        if all(f"capacity_{c}" not in self.data for c in Channel.values):
            return None
        return {c: n for c, n in sent.items() if n is not None}


class SkillForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("Code"), max_length=60, help_text=gettext_lazy("Bijvoorbeeld: techniek")
    )
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=120)


def _page(
    request: HttpRequest,
    *,
    skill_form: SkillForm | None = None,
    errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = pages.skills_page(request.user, skill_form or SkillForm(), errors)
    return render(request, "web/routing_skills.html", context, status=status)


@requires("routing.manage_skills")
@require_GET
def skills_page(request: HttpRequest) -> HttpResponse:
    """The team's people with their skills and experience, and whether routing can reach them now."""
    return _page(request)


@requires("routing.manage_skills")
@require_POST
@audited_setting("agent_skills", "user_id")
def agent_skills(request: HttpRequest, user_id: int) -> HttpResponse:
    person = desk_people().filter(pk=user_id).first()
    if person is None:
        raise Http404(_("Deze medewerker bestaat niet."))
    if not selectors.can_manage_skills(request.user, person):
        raise PermissionDenied  # a team lead of another team
    form = AgentSkillsForm(request.POST)
    if not form.is_valid():
        problem = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _page(request, errors={person.pk: problem}, status=422)
    data = form.cleaned_data
    try:
        services.agent_skills_set(
            user=person,
            skills=data["skills"],
            experience=data["experience"],
            capacity=form.capacity(),
            actor=actor(request),
        )
    except DomainError as exc:
        return _page(request, errors={person.pk: exc.message}, status=422)
    name = person.display_name
    messages.success(request, _("Vaardigheden van %(name)s opgeslagen.") % {"name": name})
    return redirect("desk:routing_skills")


@requires("routing.add_skill")
@require_POST
@audited_setting("skill")
def skill_new(request: HttpRequest) -> HttpResponse:
    form = SkillForm(request.POST)
    if form.is_valid() and apply(
        request,
        form,
        lambda: services.skill_create(code=form.cleaned_data["code"], name=form.cleaned_data["name"]),
    ):
        messages.success(request, _("Vaardigheid %(name)s toegevoegd.") % {"name": form.cleaned_data["name"]})
        return redirect("desk:routing_skills")
    return _page(request, skill_form=form, status=422)


@requires("contacts.handle_contact")
@requires("routing.route_contact")
@require_POST
def route(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Run routing for the contact again; say what happened."""
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise Http404(_("Dit contact bestaat niet."))
    done: list[RoutingDecision | None] = []
    if apply(
        request, None, lambda: done.append(services.contact_route(contact=contact, actor=actor(request)))
    ):
        decision = done[0]
        if decision is None:
            messages.info(
                request, _("Dit contact vraagt geen bijzondere vaardigheid; het blijft in de wachtrij.")
            )
        elif decision.flagged:
            messages.warning(
                request, _("Nog niemand met de vaardigheid beschikbaar; het contact houdt zijn vlag.")
            )
        else:
            name = decision.agent.display_name if decision.agent else ""
            messages.success(request, _("Toegewezen aan %(name)s.") % {"name": name})
    return redirect_next(request, reverse("desk:contact", args=[contact.pk]))


urls: list[URLPattern] = [
    path("desk/routing/skills/", skills_page, name="routing_skills"),
    path("desk/routing/skills/new/", skill_new, name="routing_skill_new"),
    path("desk/routing/agents/<id:user_id>/skills/", agent_skills, name="routing_agent_skills"),
    path("desk/contacts/<id:contact_id>/route/", route, name="routing_route"),
]
