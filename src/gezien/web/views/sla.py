"""Desk pages for service levels: the SLA dashboard (/insights/sla/, CSV with `?format=csv`), the
policies managers keep (/insights/sla/policies/), and setting a contact's priority."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gezien.contacts.models import Channel, Contact, Priority
from gezien.core.errors import DomainError
from gezien.core.export import csv_response
from gezien.insights.sla import report
from gezien.insights.sla.services import contact_set_priority, sla_policy_save
from gezien.web.pages import sla as pages
from gezien.web.views.common import actor, apply, audited_setting, requires
from gezien.web.views.insights import insight_page, insight_request, wants_csv


@require_GET
@insight_page
def dashboard(request: HttpRequest) -> HttpResponse:
    """First-response and resolution breach rates and the mean first response per group, and the
    open contacts about to breach or over time right now."""
    scope, period = insight_request(request)
    dim = report.dim_from(request.GET.get("dim"))
    if wants_csv(request):
        return csv_response(
            f"servicelevels-{dim}-{period.start}-{period.end}.csv",
            report.csv_header(),
            report.csv_rows(report.sla_groups(scope, period, dim)),
        )
    page = pages.dashboard_page(
        scope,
        period,
        dim,
        request.GET.urlencode(),
        can_edit_policies=request.user.has_perm("sla.view_slapolicy"),
    )
    return render(request, "web/sla/dashboard.html", page)


def _policies_page(
    request: HttpRequest, errors: pages.Refused | None = None, status: int = 200
) -> HttpResponse:
    page = pages.policies_page(can_change=request.user.has_perm("sla.change_slapolicy"), refused=errors)
    return render(request, "web/sla/policies.html", page, status=status)


@requires("sla.view_slapolicy")
@require_http_methods(["GET"])
def policies(request: HttpRequest) -> HttpResponse:
    """Every channel × priority with its targets in minutes of opening hours."""
    return _policies_page(request)


@requires("sla.change_slapolicy")
@require_POST
@audited_setting("sla_policy", "channel")
def policy_save(request: HttpRequest, channel: str, priority: str) -> HttpResponse:
    if channel not in Channel.values or priority not in Priority.values:
        raise Http404(_("Deze servicenorm bestaat niet."))
    form = pages.PolicyForm(request.POST, prefix=f"{channel}-{priority}")
    if form.is_valid():
        data = form.cleaned_data
        saved = apply(
            request,
            form,
            lambda: sla_policy_save(
                channel=channel,
                priority=priority,
                first_response_minutes=data["first_response_minutes"],
                resolution_minutes=data["resolution_minutes"],
                warn_share=data["warn_percent"] / 100,
                active=data["active"],
            ),
        )
        if saved:
            messages.success(
                request,
                _("Servicenorm voor %(channel)s, %(priority)s opgeslagen.")
                % {"channel": Channel(channel).label, "priority": Priority(priority).label},
            )
            return redirect("desk:insights_sla_policies")
    return _policies_page(request, errors={(channel, priority): form}, status=422)


@requires("contacts.handle_contact")
@require_POST
def priority(request: HttpRequest, contact_id: int) -> HttpResponse:
    """Set the contact's priority (normaal, hoog, spoed) from the contact page."""
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise Http404(_("Dit contact bestaat niet."))
    chosen = request.POST.get("priority", "")
    try:
        contact_set_priority(contact=contact, priority=chosen, actor=actor(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Prioriteit: %(p)s.") % {"p": Priority(chosen).label})
    return redirect("desk:contact", contact_id=contact.pk)


urls: list[URLPattern] = [
    path("insights/sla/", dashboard, name="insights_sla"),
    path("insights/sla/policies/", policies, name="insights_sla_policies"),
    path(
        "insights/sla/policies/<str:channel>/<str:priority>/",
        policy_save,
        name="insights_sla_policy_save",
    ),
    path("desk/contacts/<id:contact_id>/priority/", priority, name="sla_priority"),
]
