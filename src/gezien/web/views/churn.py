"""Desk pages: the retention list (/insights/churn/): customers at churn risk, highest first, why in
words, and who followed them up. Managers see every customer, team leads their team's customers in the
period; department owners and agents get 403 (docs/insights-retention.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from gezien.audit.log import audit_from_request
from gezien.core.errors import Forbidden, Invalid
from gezien.core.export import csv_response
from gezien.customers.models import Customer
from gezien.insights.retention import selectors, services
from gezien.insights.retention.export import RISK_CSV_HEADER, risk_csv_rows
from gezien.insights.retention.models import FollowUpOutcome, RiskLevel
from gezien.insights.scope import insight_scope
from gezien.web.pages import churn as pages
from gezien.web.views.common import actor, allowed_when, apply, redirect_next
from gezien.web.views.insights import insight_page, insight_request, wants_csv

LEVEL_FILTERS = {
    "hoog": (RiskLevel.HIGH,),
    "middel": (RiskLevel.MEDIUM,),
    "": (RiskLevel.HIGH, RiskLevel.MEDIUM),
}


class FollowUpForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Wat heb je gedaan?"), max_length=2000)
    outcome = forms.ChoiceField(label=gettext_lazy("Uitkomst"), choices=FollowUpOutcome.choices)


def levels_from(raw: str | None) -> tuple[str, ...]:
    levels = LEVEL_FILTERS.get(raw or "")
    if levels is None:
        raise Invalid(_("Kies niveau hoog of middel (of niets voor beide)."), field="level")
    return levels


def sees_risk_list(user: Any) -> bool:
    """The rule of the list: insights, for team leads and managers (`check_list_scope`)."""
    try:
        selectors.check_list_scope(insight_scope(user))
    except Forbidden:
        return False
    return True


@allowed_when(sees_risk_list)
@require_GET
@insight_page
def churn_list(request: HttpRequest) -> HttpResponse:
    """Customers at risk, highest first, with the reasons in words."""
    scope, period = insight_request(request)
    selectors.check_list_scope(scope)
    level = request.GET.get("level", "")
    levels = levels_from(level)
    if wants_csv(request):
        rows = selectors.risk_list(scope, period, levels=levels)
        audit_from_request(
            request,
            action="churn.export",
            object_type="risk_list",
            object_id="",
            details={"level": level or "all"},
        )
        return csv_response(f"opzegrisico-{period.end}.csv", RISK_CSV_HEADER, risk_csv_rows(rows))
    page = pages.churn_page(scope, period, level, levels, request.GET.get("page"))
    return render(request, "web/insights/churn.html", page)


@require_POST
def follow_up(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Record a follow-up ("opgevolgd") from the retention list."""
    try:
        scope = insight_scope(request.user)
        selectors.check_list_scope(scope)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise Http404(_("Deze klant bestaat niet."))
    form = FollowUpForm(request.POST)
    if form.is_valid() and apply(
        request,
        form,
        lambda: services.follow_up_add(
            customer=customer,
            by=actor(request),
            note=form.cleaned_data["note"],
            outcome=form.cleaned_data["outcome"],
        ),
    ):
        messages.success(request, _("Opvolging van %(name)s vastgelegd.") % {"name": customer.full_name})
    else:
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, problems or _("De opvolging is niet vastgelegd."))
    return redirect_next(request, reverse("desk:insights_churn"))


urls: list[URLPattern] = [
    path("insights/churn/", churn_list, name="insights_churn"),
    path("insights/churn/<id:customer_id>/follow-up/", follow_up, name="insights_churn_follow_up"),
]
