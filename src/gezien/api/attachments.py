"""Attachments (issue 14): upload one to a contact, list a contact's, download one.

Only people who may see the contact get anything: for everyone else an attachment or a contact's list
does not exist (404). A download is always a download: `contacts.attachments.attachment_response`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field

from gezien.accounts.http import current_user
from gezien.api.auth import require_perm
from gezien.api.common import DbId, visible_contact_or_404
from gezien.api.input import unknown_error
from gezien.api.schemas import username_of
from gezien.audit.log import audit_contact, audit_from_request
from gezien.contacts.attachments import (
    attachment_for,
    attachment_max_bytes,
    attachment_response,
    attachment_store,
    too_big,
)
from gezien.contacts.models import Attachment
from gezien.core.errors import DomainError, Invalid
from gezien.desksettings.store import desk_setting

router = Router(tags=["attachments"])

FILE_FIELD = "file"


class AttachmentOut(Schema):
    id: int
    filename: str = Field(description="the sender's file name, made safe (no path, no control characters)")
    content_type: str = Field(description="what the bytes are (checked), not what the sender claimed")
    size: int = Field(description="bytes")
    sha256: str
    inline: bool = Field(description="an image shown in an e-mail's body")
    content_id: str
    message_id: int | None = Field(description="the message it came or went with; null: not sent yet")
    linked: bool = Field(description="whether it is linked to a message")
    uploaded_by: str | None = Field(description="the agent who uploaded it; null: it came from the customer")
    created_at: datetime
    url: str = Field(description="the download (GET, the same token): always as a file, never shown inline")

    @staticmethod
    def resolve_linked(obj: Attachment) -> bool:
        return obj.message_id is not None

    @staticmethod
    def resolve_uploaded_by(obj: Attachment) -> str | None:
        return username_of(obj.uploaded_by) if obj.uploaded_by_id is not None else None

    @staticmethod
    def resolve_url(obj: Attachment) -> str:
        return f"{desk_setting('base_url')}/api/attachments/{obj.pk}"


@router.get("/contacts/{contact_id}/attachments", response=list[AttachmentOut])
def list_attachments(request: HttpRequest, contact_id: DbId) -> list[Attachment]:
    """Every attachment of the contact, oldest first: those of its messages and those uploaded for a
    reply not sent yet (`linked` false)."""
    contact = visible_contact_or_404(request, contact_id)
    attachments = list(contact.attachments.select_related("uploaded_by").order_by("created_at", "id"))
    audit_contact(request, "attachment.list", contact, count=len(attachments))
    return attachments


class LimitedUpload(FileUploadHandler):
    """Stops reading an uploaded file past the limit (it is refused anyway), so that a huge upload
    is neither kept in memory nor written to a temporary file to the end."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_big = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = start + len(raw_data)
        if self.received > self.limit:
            self.too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_single(
    request: HttpRequest,
    *,
    limit: int | None = None,
    refuse: Callable[[int | None], DomainError] = too_big,
    fields: tuple[str, ...] = (),
) -> UploadedFile:
    """The one file of a multipart upload (field `file`), read no further than `limit` bytes (default
    GEZIEN_ATTACHMENT_MAX_BYTES); `refuse(size)` is raised for one over it. Any other field than `file`
    and `fields` is refused, naming it (docs/api.md)."""
    if not (request.content_type or "").startswith("multipart/form-data"):
        raise Invalid(_("Stuur het bestand als multipart/form-data in het veld 'file'."), field=FILE_FIELD)
    limit = attachment_max_bytes() if limit is None else limit
    limited = LimitedUpload(request, limit)
    request.upload_handlers = [limited, *request.upload_handlers]  # before the body is read
    try:
        files = request.FILES
    except MultiPartParserError as exc:
        raise Invalid(_("Het bestand kon niet gelezen worden: %(e)s") % {"e": str(exc)[:200]}) from exc
    if limited.too_big:
        raise refuse(None)
    for name in [*request.POST, *files]:
        if name != FILE_FIELD and name not in fields:
            raise ValidationError([unknown_error("form", name)])
    uploads = files.getlist(FILE_FIELD)
    if len(uploads) != 1:
        raise Invalid(_("Stuur precies één bestand in het veld 'file'."), field=FILE_FIELD)
    if uploads[0].size is not None and uploads[0].size > limit:
        raise refuse(uploads[0].size)
    return uploads[0]


@router.post(
    "/contacts/{contact_id}/attachments",
    response={201: AttachmentOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
def upload_attachment(request: HttpRequest, contact_id: DbId) -> Status[Any]:
    """Upload a file for a reply (multipart/form-data, the file in the field `file`): checked and kept,
    not yet linked to a message; a reply that names it (`attachment_ids`) sends it. Too big (see
    GEZIEN_ATTACHMENT_MAX_BYTES), empty or malformed: 422, and nothing is kept."""
    contact = visible_contact_or_404(request, contact_id)
    require_perm(request, "contacts.handle_contact")
    upload = upload_single(request)
    attachment = attachment_store(
        contact=contact,
        data=upload.read(),
        filename=upload.name or "",
        content_type=upload.content_type or "",
        uploaded_by=current_user(request),
    )
    return Status(201, attachment)


@router.get(
    "/attachments/{attachment_id}",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "the file, as a download (Content-Disposition: attachment), with its own type "
                "where a browser only shows it (image/png, application/pdf), else application/octet-stream",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download_attachment(request: HttpRequest, attachment_id: DbId) -> FileResponse:
    """The file itself, always as a download; what a browser could run (HTML, SVG, programs) comes as
    application/octet-stream."""
    attachment = attachment_for(request.user, attachment_id)
    response = attachment_response(attachment)
    audit_from_request(
        request,
        action="attachment.view",
        object_type="attachment",
        object_id=attachment.pk,
        customer_id=attachment.contact.customer_id,
        details={"contact_id": attachment.contact_id},
    )
    return response
