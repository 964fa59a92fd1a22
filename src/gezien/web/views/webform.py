"""The public contact form: /contact/ (a page of its own) and /contact/embed/ (the same form for an
iframe on the organisation's website). No login; a honeypot field and a limit per client address
instead of a captcha service (gezien.webforms). Dutch, or English with ?lang=en."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from gezien.contacts.attachments import attachment_max_bytes, size_human
from gezien.core.errors import Invalid
from gezien.desksettings.store import desk_setting
from gezien.web.middleware import content_security_policy
from gezien.webforms.services import LANGUAGES, NAME_CHARS, SUBJECT_CHARS, TooMany, Upload, webform_submit

FIELDS = ("name", "email", "phone", "subject", "message")
HONEYPOT = "website"  # hidden from people; a robot fills in every field


def _language(request: HttpRequest) -> str:
    asked = request.GET.get("lang") or request.POST.get("lang")
    return asked if asked in LANGUAGES else "nl"


def frame_ancestors(embed: bool) -> str:
    """The page's Content-Security-Policy, with who may show it in a frame: nobody for /contact/; for
    the embed the desk itself and the websites in GEZIEN_WEBFORM_FRAME_ANCESTORS."""
    if not embed:
        return content_security_policy("'none'")
    origins = [
        o for o in settings.GEZIEN_WEBFORM_FRAME_ANCESTORS.split() if o.startswith(("https://", "http://"))
    ]
    return content_security_policy(" ".join(["'self'", *origins]))


def _page(
    request: HttpRequest,
    *,
    embed: bool,
    language: str,
    template: str = "webform/form.html",
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    other = "en" if language == "nl" else "nl"
    with translation.override(language):
        context = {
            "org": desk_setting("organisation_name"),
            "language": language,
            "other_language": other,
            "other_label": "English" if other == "en" else "Nederlands",
            "title": _("Contact"),
            "embed": embed,
            "given": {},
            "errors": {},
            "name_chars": NAME_CHARS,
            "subject_chars": SUBJECT_CHARS,
            "message_chars": settings.GEZIEN_WEBFORM_MAX_CHARS,
            "max_files": settings.GEZIEN_WEBFORM_MAX_FILES,
            "max_size": size_human(attachment_max_bytes()),
            "action": reverse("desk:webform_embed" if embed else "desk:webform"),
            **extra,
        }
        response = render(request, template, context, status=status)
    response["Content-Security-Policy"] = frame_ancestors(embed)
    response["Content-Language"] = language
    return response


def _uploads(files: list[UploadedFile]) -> list[Upload]:
    """The posted files, read; one larger than a file may be is refused before it is read whole."""
    uploads = []
    for upload in files:
        if upload.size is not None and upload.size > attachment_max_bytes():
            uploads.append(
                Upload(upload.name or "", upload.content_type or "", b"\0" * (attachment_max_bytes() + 1))
            )
            continue
        uploads.append(Upload(upload.name or "", upload.content_type or "", upload.read()))
    return uploads


def _submit(request: HttpRequest, *, embed: bool) -> HttpResponse:
    language = _language(request)
    if request.method != "POST":
        return _page(request, embed=embed, language=language)
    given = {field: request.POST.get(field, "") for field in FIELDS}
    try:
        with translation.override(language):
            webform_submit(
                **given,
                files=_uploads(request.FILES.getlist("attachments")),
                client_address=request.META.get("REMOTE_ADDR", ""),
                language=language,
                via="embed" if embed else "form",
                honeypot=request.POST.get(HONEYPOT, ""),
            )
    except Invalid as exc:
        errors = {exc.field or "form": exc.message}
        return _page(request, embed=embed, language=language, given=given, errors=errors, status=422)
    except TooMany as exc:
        return _page(
            request, embed=embed, language=language, given=given, errors={"form": exc.message}, status=429
        )
    thanks = reverse("desk:webform_embed_thanks" if embed else "desk:webform_thanks")
    return redirect(f"{thanks}?lang={language}")


@login_not_required
@require_http_methods(["GET", "POST"])
def webform(request: HttpRequest) -> HttpResponse:
    return _submit(request, embed=False)


@login_not_required
@csrf_exempt  # in a frame on another site the CSRF cookie is a third-party cookie browsers do not send
@xframe_options_exempt  # frame-ancestors says who may frame it
@require_http_methods(["GET", "POST"])
def webform_embed(request: HttpRequest) -> HttpResponse:
    return _submit(request, embed=True)


@login_not_required
@require_GET
def webform_thanks(request: HttpRequest) -> HttpResponse:
    return _page(request, embed=False, language=_language(request), template="webform/thanks.html")


@login_not_required
@xframe_options_exempt
@require_GET
def webform_embed_thanks(request: HttpRequest) -> HttpResponse:
    return _page(request, embed=True, language=_language(request), template="webform/thanks.html")


urls = [
    path("contact/", webform, name="webform"),
    path("contact/thanks/", webform_thanks, name="webform_thanks"),
    path("contact/embed/", webform_embed, name="webform_embed"),
    path("contact/embed/thanks/", webform_embed_thanks, name="webform_embed_thanks"),
]
