"""Desk views of the assist: the draft check as the agent types, dismissing a hint, unfolding the solutions,
taking ownership, remembering a life event, protocols, incidents and breaks, warm transfers, notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gezien.accounts.models import User
from gezien.assist import selectors, services
from gezien.assist.models import Protocol, WarmTransfer
from gezien.assist.situation import contact_situation
from gezien.contacts.models import Contact
from gezien.contacts.services import clean_text
from gezien.core.errors import DomainError
from gezien.notifications import services as notification_services
from gezien.notifications.kinds import NOTIFICATION_KINDS
from gezien.notifications.models import Notification
from gezien.presence.services import incident_break_take
from gezien.web.pages import assist as assist_pages
from gezien.web.pages import notifications as notification_pages
from gezien.web.views.common import actor, apply, redirect_next, requires

DRAFT_MAX_CHARS = 20_000


def _contact(contact_id: int) -> tuple[Contact, Any]:
    try:
        return selectors.contact_for_assist(contact_id)
    except Contact.DoesNotExist as exc:
        raise Http404(_("Dit contact bestaat niet.")) from exc


def _back(contact_id: int, anchor: str = "") -> HttpResponse:
    response = redirect("desk:contact", contact_id=contact_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _done(request: HttpRequest, contact_id: int, ok: bool, text: str) -> HttpResponse:
    if ok:
        messages.success(request, text)
    return _back(contact_id)


@requires("contacts.handle_contact")
@require_POST
def draft_check(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The draft check, called by htmx as the agent types (debounced); answers a fragment."""
    raw = request.POST.get("text", "")
    try:
        text = clean_text(raw, field="text", allow_empty=True)[:DRAFT_MAX_CHARS]
        part = assist_pages.draft_check_part(contact_id, actor(request), text)
    except DomainError as exc:
        part = assist_pages.draft_refused_part(exc.message)
    except Contact.DoesNotExist as exc:
        raise Http404(_("Dit contact bestaat niet.")) from exc
    # Rendered without the request: the fragment needs no context processors, and this runs per keystroke.
    return HttpResponse(render_to_string("web/_draft_check.html", part))


@requires("contacts.handle_contact")
@require_POST
def hint_action(request: HttpRequest, contact_id: int, hint: str, action: str) -> HttpResponse:
    contact, _card = _contact(contact_id)
    ok = apply(
        request,
        None,
        lambda: services.hint_act(
            contact=contact, hint=hint, action=action, user=actor(request), note=request.POST.get("note", "")
        ),
    )
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")  # the hint disappears where it was
    return _done(request, contact.pk, ok, _("Hint weggeklikt. Dank je: zo leert Gezien wat helpt."))


@requires("contacts.handle_contact")
@require_POST
def unfold(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The agent opens the solutions deliberately, before acknowledging (stored, like a dismissal)."""
    contact, _card = _contact(contact_id)
    services.hint_act(contact=contact, hint="listen_first", action="unfolded", user=actor(request))
    return _back(contact.pk, "solutions")


class OwnershipForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Toezegging"), max_length=2000)
    due_at = forms.DateTimeField(label=gettext_lazy("Uiterlijk"))


@requires("contacts.handle_contact")
@require_POST
def ownership(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact, _card = _contact(contact_id)
    form = OwnershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul een toezegging en een geldig moment in."))
        return _back(contact.pk)
    due: datetime = form.cleaned_data["due_at"]
    ok = apply(
        request,
        None,
        lambda: services.ownership_take(
            contact=contact, agent=actor(request), due_at=due, text=form.cleaned_data["text"]
        ),
    )
    return _done(
        request, contact.pk, ok, _("U houdt dit zelf in de gaten; de toezegging staat op de klantkaart.")
    )


@requires("contacts.handle_contact")
@requires("customers.add_remembereddetail")
@require_POST
def remember_event(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact, _card = _contact(contact_id)
    ok = apply(
        request,
        None,
        lambda: services.life_event_remember(
            contact=contact, text=request.POST.get("text", ""), actor=actor(request)
        ),
    )
    return _done(request, contact.pk, ok, _("Onthouden op de klantkaart."))


@requires("contacts.handle_contact")
@require_POST
def protocol_start(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact, _card = _contact(contact_id)
    protocol = request.POST.get("protocol", "")
    ok = apply(
        request,
        None,
        lambda: services.protocol_start(contact=contact, protocol=protocol, actor=actor(request)),
    )
    label = dict(Protocol.choices).get(protocol, "")
    return _done(request, contact.pk, ok, _("Protocol gestart: %(p)s.") % {"p": label})


@requires("contacts.handle_contact")
@require_POST
def incident_report(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The agent reports abuse themselves (or confirms the one the desk proposes)."""
    contact, _card = _contact(contact_id)
    source = "detected" if request.POST.get("source") == "detected" else "reported"
    situation_cites = []
    if source == "detected":
        situation_cites = contact_situation(contact, _card, user_id=actor(request).pk).abusive_messages
    ok = apply(
        request,
        None,
        lambda: services.incident_log(
            contact=contact,
            source=source,
            evidence=situation_cites,
            note=request.POST.get("note", ""),
            reported_by=actor(request),
        ),
    )
    return _done(request, contact.pk, ok, _("Incident vastgelegd; uw teamleider is ingelicht."))


@requires("contacts.handle_contact")
@require_POST
def take_break(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = selectors.incidents_visible_to(actor(request)).filter(pk=incident_id).first()
    if incident is None:
        raise Http404(_("Dit incident bestaat niet."))
    ok = apply(request, None, lambda: incident_break_take(incident=incident, user=actor(request)))
    if ok:
        messages.success(
            request, _("Neem even rust. Je staat tot het einde van de pauze niet in de wachtrij.")
        )
    return redirect("desk:queue")


class WarmTransferForm(forms.Form):
    to_agent: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Collega"),
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Kies een collega"),
    )
    note = forms.CharField(label=gettext_lazy("Wat moet de collega weten?"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_agent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            User.objects.filter(is_active=True, groups__isnull=False).distinct().order_by("first_name")
        )


@requires("contacts.handle_contact")
@require_POST
def transfer_announce(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact, _card = _contact(contact_id)
    form = WarmTransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een collega en zeg wat die moet weten."))
        return _back(contact.pk)
    ok = apply(
        request,
        None,
        lambda: services.transfer_announce(
            contact=contact,
            from_agent=actor(request),
            to_agent=form.cleaned_data["to_agent"],
            note=form.cleaned_data["note"],
        ),
    )
    return _done(
        request, contact.pk, ok, _("Aangekondigd. Wacht tot uw collega bevestigt, verbind dan door.")
    )


def _transfer(transfer_id: int) -> WarmTransfer:
    found = WarmTransfer.objects.select_related("contact").filter(pk=transfer_id).first()
    if found is None:
        raise Http404(_("Deze doorverbinding bestaat niet."))
    return found


TRANSFER_STEPS = {
    "acknowledge": (services.transfer_acknowledge, gettext_lazy("Bevestigd: uw collega kan doorverbinden.")),
    "connect": (services.transfer_connect, gettext_lazy("Doorverbonden.")),
    "cancel": (services.transfer_cancel, gettext_lazy("Doorverbinden geannuleerd.")),
}


@requires("contacts.handle_contact")
@require_POST
def transfer_step(request: HttpRequest, transfer_id: int, step: str) -> HttpResponse:
    transfer = _transfer(transfer_id)
    if step not in TRANSFER_STEPS:
        raise Http404(_("Onbekende stap."))
    service, done_text = TRANSFER_STEPS[step]
    ok = apply(request, None, lambda: service(transfer=transfer, user=actor(request)))
    if ok:
        messages.success(request, str(done_text))
    if step == "connect" and ok:
        return redirect("desk:queue")
    if request.POST.get("next") == "contact":
        return _back(transfer.contact_id)
    return redirect("desk:notifications")


@requires("contacts.handle_contact")
def notifications(request: HttpRequest) -> HttpResponse:
    """Notifications grouped by kind (incidents, transfers, retention, wellbeing, capacity), each kind's
    newest first; `?kind=` shows one kind, paged."""
    kind = request.GET.get("kind") if request.GET.get("kind") in NOTIFICATION_KINDS else None
    page = notification_pages.notifications_page(actor(request), kind, request.GET.get("page"))
    return render(request, "web/notifications.html", page)


@requires("contacts.handle_contact")
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    """ "Alles gelezen": every unread notification (of the kind shown) is read."""
    kind = request.POST.get("kind") or None
    done = apply(
        request, None, lambda: notification_services.notifications_read_all(user=actor(request), kind=kind)
    )
    if done:
        messages.success(request, _("Alle meldingen zijn gelezen."))
    return redirect(reverse("desk:notifications") + (f"?kind={kind}" if done and kind else ""))


@requires("contacts.handle_contact")
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    found = Notification.objects.filter(pk=notification_id).first()
    if found is None:
        raise Http404(_("Deze melding bestaat niet."))
    apply(
        request,
        None,
        lambda: notification_services.notification_read(notification=found, user=actor(request)),
    )
    return redirect_next(request, reverse("desk:notifications"))


urls: list[URLPattern] = [
    path("desk/contacts/<id:contact_id>/draft-check/", draft_check, name="draft_check"),
    path(
        "desk/contacts/<id:contact_id>/hints/<str:hint>/<str:action>/",
        hint_action,
        name="hint_action",
    ),
    path("desk/contacts/<id:contact_id>/unfold/", unfold, name="unfold"),
    path("desk/contacts/<id:contact_id>/ownership/", ownership, name="ownership"),
    path("desk/contacts/<id:contact_id>/remember-event/", remember_event, name="remember_event"),
    path("desk/contacts/<id:contact_id>/protocols/", protocol_start, name="protocol_start"),
    path("desk/contacts/<id:contact_id>/incidents/", incident_report, name="incident_report"),
    path("desk/contacts/<id:contact_id>/warm-transfer/", transfer_announce, name="transfer_announce"),
    path("desk/transfers/<id:transfer_id>/<str:step>/", transfer_step, name="transfer_step"),
    path("desk/incidents/<id:incident_id>/break/", take_break, name="take_break"),
    path("desk/notifications/", notifications, name="notifications"),
    path("desk/notifications/read-all/", notifications_read_all, name="notifications_read_all"),
    path("desk/notifications/<id:notification_id>/read/", notification_read, name="notification_read"),
]
