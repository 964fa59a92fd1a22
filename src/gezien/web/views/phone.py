"""The telephone system's commands in the desk (issue 18): "Bel" beside a customer's phone number
(click-to-call), warm transfer of the call going on, and who answers which phone (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gezien.accounts.models import User
from gezien.accounts.roles import desk_people
from gezien.core.client import client_address
from gezien.phone import calling
from gezien.phone.adapters import configured_name
from gezien.phone.models import Call, Extension
from gezien.web.views.common import actor, apply, redirect_next, requires

MANAGE_USERS = "accounts.manage_users"


@require_POST
@requires("contacts.handle_contact")
def call_originate(request: HttpRequest) -> HttpResponse:
    """Click-to-call: the agent's own phone rings first, then the telephone system dials the number."""
    me = actor(request)
    number = request.POST.get("number", "")[:100]
    placed: list[Call] = []
    if apply(
        request,
        None,
        lambda: placed.append(
            calling.call_originate(agent=me, to=number, actor=me, source=client_address(request))
        ),
    ):
        phone = calling.extension_of(me)
        messages.success(
            request,
            _("Uw toestel %(ext)s gaat over; neem op en Gezien belt %(number)s.")
            % {"ext": phone.extension if phone else "", "number": placed[0].to_raw},
        )
    return redirect_next(request, reverse("desk:queue"))


@require_POST
@requires("contacts.handle_contact")
def call_transfer(request: HttpRequest, call_id: int) -> HttpResponse:
    """Warm transfer: the agent consults the colleague first; hanging up hands the caller over."""
    me = actor(request)
    call = get_object_or_404(Call.objects.select_related("agent", "contact"), pk=call_id)
    raw = request.POST.get("to_user", "")
    to_agent = User.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
    if call.agent_id not in (None, me.pk) and not me.has_perm(MANAGE_USERS):
        messages.error(request, _("Alleen wie het gesprek heeft, verbindt het door."))
    elif to_agent is None:
        messages.error(request, _("Kies een collega."))
    elif apply(
        request,
        None,
        lambda: calling.call_transfer(
            call=call,
            to_agent=to_agent,
            actor=me,
            source=client_address(request),
            note=request.POST.get("note", "")[:2000],
        ),
    ):
        messages.success(
            request,
            _("U overlegt nu met %(name)s; hang op om het gesprek over te geven.")
            % {"name": to_agent.display_name or to_agent.get_username()},
        )
    return redirect_next(request, reverse("desk:queue"))


@require_GET
@requires(MANAGE_USERS)
def phone_extensions(request: HttpRequest) -> HttpResponse:
    """Who answers which phone: every desk person with their extension and interface."""
    phones = {e.user_id: e for e in Extension.objects.all()}
    people = desk_people().order_by("username")
    rows = [{"person": p, "phone": phones.get(p.pk)} for p in people]
    return render(request, "web/phone/extensions.html", {"rows": rows, "adapter": configured_name()})


@require_POST
@requires(MANAGE_USERS)
def phone_extension_save(request: HttpRequest, user_id: int) -> HttpResponse:
    """Set (or, with an empty extension, remove) a person's phone."""
    me = actor(request)
    person = get_object_or_404(User, pk=user_id)
    extension = request.POST.get("extension", "").strip()[:40]
    interface = request.POST.get("interface", "").strip()[:100]
    source = client_address(request)
    if not extension:
        calling.extension_remove(user=person, actor=me, source=source)
        messages.success(request, _("%(name)s heeft geen toestel meer.") % {"name": person.display_name})
    elif apply(
        request,
        None,
        lambda: calling.extension_set(
            user=person, extension=extension, interface=interface, actor=me, source=source
        ),
    ):
        messages.success(
            request,
            _("%(name)s neemt op met toestel %(ext)s.") % {"name": person.display_name, "ext": extension},
        )
    return redirect("desk:phone_extensions")


urls = [
    path("desk/calls/originate/", call_originate, name="call_originate"),
    path("desk/calls/<id:call_id>/transfer/", call_transfer, name="call_transfer"),
    path("desk/phone/extensions/", phone_extensions, name="phone_extensions"),
    path("desk/phone/extensions/<id:user_id>/", phone_extension_save, name="phone_extension_save"),
]
