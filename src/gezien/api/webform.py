"""/api/webform: the contact form for websites that post it from their own server (issue 15)."""

import base64
import binascii
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from gezien.api.auth import require_perm
from gezien.api.input import In
from gezien.core.errors import Invalid
from gezien.webforms.services import Upload, webform_submit

router = Router(tags=["webform"])


class FileIn(In):
    filename: str = Field(max_length=255)
    content_type: str = Field(
        default="", max_length=150, description="what the sender says; the bytes decide"
    )
    data: str = Field(description="the file's bytes, base64")


class WebformIn(In):
    name: str = Field(max_length=1000)
    email: str = Field(default="", max_length=1000, description="at least one of email and phone")
    phone: str = Field(default="", max_length=1000)
    subject: str = Field(max_length=1000)
    message: str
    language: Literal["nl", "en"] = Field(default="nl", description="the confirmation mail's language")
    attachments: list[FileIn] = Field(default_factory=list, max_length=20)
    client_address: str = Field(
        default="",
        max_length=100,
        description="the visitor's IP address as your site saw it: the limit per address applies to it",
    )


class WebformOut(Schema):
    contact_id: int
    recognition: str = Field(description="recognised, unidentified or ambiguous: as for any contact")
    customer_id: int | None
    confirmation_sent: bool = Field(description="a confirmation mail was queued to the e-mail address")


def _decoded(files: list[FileIn]) -> list[Upload]:
    uploads = []
    for index, file in enumerate(files):
        try:
            data = base64.b64decode(file.data, validate=True)
        except (binascii.Error, ValueError):
            raise Invalid(
                _("Bijlage %(n)d is geen geldige base64.") % {"n": index + 1},
                field=f"attachments[{index}].data",
            ) from None
        uploads.append(Upload(file.filename, file.content_type, data))
    return uploads


@router.post("/webform", response={201: WebformOut})
def submit_webform(request: HttpRequest, payload: WebformIn) -> Status[Any]:
    """Take a post of the contact form as /contact/ does (the same checks, the same Dutch errors, the
    confirmation mail), from a site's own server: a `webform` contact, recognised from e-mail and phone.

    POST /api/contacts with channel `webform` opens a bare contact (no name, files or confirmation).
    """
    require_perm(request, "contacts.handle_contact")
    submitted = webform_submit(
        name=payload.name,
        email=payload.email,
        phone=payload.phone,
        subject=payload.subject,
        message=payload.message,
        files=_decoded(payload.attachments),
        client_address=payload.client_address,
        language=payload.language,
        via="api",
    )
    contact = submitted.contact
    if contact is None:  # only the honeypot opens nothing, and the API has none
        raise Invalid(_("Niet opgeslagen."), field=None)
    body = {
        "contact_id": contact.pk,
        "recognition": str(contact.recognition),
        "customer_id": contact.customer_id,
        "confirmation_sent": submitted.confirmation_sent,
    }
    return Status(201, body)
