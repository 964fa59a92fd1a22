"""Attachments in the desk (issue 14): the download, for people who may see the contact."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from gezien.audit.log import audit_from_request
from gezien.contacts.attachments import attachment_for, attachment_response
from gezien.core.errors import NotFound


@require_safe
def download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """The file, always as a download (also what the thread's thumbnails load): 404 for an attachment
    that does not exist, or of a contact this person may not see; the login page for nobody logged in."""
    try:
        attachment = attachment_for(request.user, attachment_id)
        response = attachment_response(attachment)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    audit_from_request(
        request,
        action="attachment.view",
        object_type="attachment",
        object_id=attachment.pk,
        customer_id=attachment.contact.customer_id,
        details={"contact_id": attachment.contact_id},
    )
    return response
