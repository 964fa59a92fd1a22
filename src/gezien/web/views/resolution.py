"""Desk pages for honest resolution: the dashboard (/insights/resolution/, CSV with `?format=csv`), a
matter with its contacts across channels, and the agent's buttons on a contact: link to a matter, give
it a matter of its own, and record the customer's "opgelost?" answer."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gezien.contacts.models import Contact, Matter
from gezien.core.errors import DomainError
from gezien.core.export import csv_response
from gezien.insights.resolution import report, selectors, services
from gezien.web.pages import resolution as pages
from gezien.web.views.common import actor, redirect_next, requires
from gezien.web.views.insights import insight_page, insight_request, wants_csv


@require_GET
@insight_page
def dashboard(request: HttpRequest) -> HttpResponse:
    """Naive resolution, honest first-contact resolution, the gap, repeats and handling time per group."""
    scope, period = insight_request(request)
    dim = report.dim_from(request.GET.get("dim"))
    if wants_csv(request):
        days = settings.GEZIEN_RESOLUTION_WORKING_DAYS
        return csv_response(
            f"oplossing-{dim}-{period.start}-{period.end}.csv",
            report.csv_header(days),
            report.csv_rows(report.resolution_groups(scope, period, dim)),
        )
    page = pages.dashboard_page(scope, period, dim, request.GET.urlencode())
    return render(request, "web/resolution/dashboard.html", page)


def _contact(contact_id: int) -> Contact:
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise Http404(_("Dit contact bestaat niet."))
    return contact


def _opened(contact: Contact) -> str:
    """A contact as people refer to it in a message ("3 jun 14:05"), not by its database id."""
    return date_format(timezone.localtime(contact.opened_at), "j b H:i")


def _back(request: HttpRequest, contact: Contact) -> HttpResponse:
    return redirect_next(request, reverse("desk:contact", args=[contact.pk]) + "#kwestie")


def _run(request: HttpRequest, action: Callable[[], object], done: str) -> None:
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


@requires("contacts.handle_contact")
@require_GET
def matter_page(request: HttpRequest, matter_id: int) -> HttpResponse:
    """One matter: its contacts on every channel, its state and when it counts as resolved."""
    matter = selectors.matter_detail(matter_id)
    if matter is None:
        raise Http404(_("Deze kwestie bestaat niet."))
    return render(request, "web/resolution/matter.html", pages.matter_page(matter))


@requires("contacts.handle_contact")
@require_POST
def link(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    raw = request.POST.get("matter_id", "")
    matter = Matter.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
    if matter is None:
        messages.error(request, _("Deze kwestie bestaat niet."))
        return _back(request, contact)
    _run(
        request,
        lambda: services.matter_link(contact=contact, matter=matter, actor=actor(request)),
        _("Het contact van %(when)s is gekoppeld aan de kwestie.") % {"when": _opened(contact)},
    )
    return _back(request, contact)


@requires("contacts.handle_contact")
@require_POST
def unlink(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    _run(
        request,
        lambda: services.matter_unlink(contact=contact, actor=actor(request)),
        _("Het contact van %(when)s is nu een eigen kwestie.") % {"when": _opened(contact)},
    )
    return _back(request, contact)


@requires("contacts.handle_contact")
@require_POST
def confirm(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The customer says whether it is solved ("ja" or "nee"), recorded on this contact's matter."""
    contact = _contact(contact_id)
    answer = request.POST.get("resolved")
    if answer not in ("ja", "nee"):
        messages.error(request, _("Kies ja of nee."))
        return _back(request, contact)
    if contact.matter_id is None:
        messages.error(request, _("Dit contact hoort nog bij geen kwestie (klant en reden nodig)."))
        return _back(request, contact)
    matter = Matter.objects.get(pk=contact.matter_id)
    yes = answer == "ja"
    _run(
        request,
        lambda: services.matter_confirm(matter=matter, resolved=yes, actor=actor(request), contact=contact),
        _("Vastgelegd: de klant bevestigt dat het is opgelost.")
        if yes
        else _("Vastgelegd: de klant zegt dat het niet is opgelost; de kwestie loopt weer."),
    )
    return _back(request, contact)


urls: list[URLPattern] = [
    path("insights/resolution/", dashboard, name="insights_resolution"),
    path("desk/matters/<id:matter_id>/", matter_page, name="matter"),
    path("desk/contacts/<id:contact_id>/matter/link/", link, name="matter_link"),
    path("desk/contacts/<id:contact_id>/matter/unlink/", unlink, name="matter_unlink"),
    path("desk/contacts/<id:contact_id>/matter/confirm/", confirm, name="matter_confirm"),
]
