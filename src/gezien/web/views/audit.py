"""The audit log in the desk (admins, Meer > Auditlog): filter, page, export as CSV (itself audited)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from gezien.audit.export import AUDIT_CSV_HEADER, audit_csv_rows
from gezien.audit.log import audit_from_request
from gezien.core.errors import Invalid
from gezien.core.export import csv_response
from gezien.web.pages.audit import AuditFilters, audit_filters, audit_page
from gezien.web.views.common import requires

VIEW_AUDIT = "audit.view_auditentry"


@requires(VIEW_AUDIT)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The entries, newest first; `?format=csv` downloads every entry the filters match."""
    try:
        filters = audit_filters(request.GET.dict())
    except Invalid as exc:
        page = audit_page(AuditFilters(), None, error=exc.message)
        return render(request, "web/audit.html", page, status=422)
    if request.GET.get("format") == "csv":
        audit_from_request(
            request,
            action="audit.export",
            object_type="audit_log",
            object_id="",
            customer_id=filters.customer_id,
            details={"filters": filters.query().rstrip("&")},
        )
        entries = filters.entries().iterator(chunk_size=2000)
        name = f"auditlog-{timezone.localdate().isoformat()}.csv"
        return csv_response(name, AUDIT_CSV_HEADER, audit_csv_rows(entries))
    return render(request, "web/audit.html", audit_page(filters, request.GET.get("page")))


urls: list[URLPattern] = [path("beheer/auditlog/", audit_log, name="audit_log")]
