"""Call recordings in the desk (issue 18): attach one to a phone contact, listen to it (audited),
transcribe it into the contact's transcript turns (the `stt` extra), and remove one (managers). The
contact page shows them with their timelines (`web.pages.recordings`)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from gezien.contacts.attachments import contacts_visible_to
from gezien.core.errors import Invalid, NotFound, Unavailable
from gezien.phone.listening import RangeNotSatisfiable, recording_audit, recording_for, recording_response
from gezien.phone.models import RecordingSource
from gezien.phone.recordings import DELETE_PERMISSION, LISTEN_PERMISSION, recording_attach
from gezien.phone.transcripts import transcript_request
from gezien.web.views.common import actor, requires


def _back(contact_id: int) -> HttpResponse:
    return redirect(reverse("desk:contact", args=[contact_id]) + "#recordings")


@requires("contacts.handle_contact")
@require_POST
def upload(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The form on a phone contact: one stereo file and the agent's channel. A refused file is said as
    a message on the page; nothing of it is kept."""
    contact = contacts_visible_to(request.user).filter(pk=contact_id).first()
    if contact is None:
        raise Http404(_("Dit contact bestaat niet."))
    files = request.FILES.getlist("file")
    if len(files) != 1:
        messages.error(request, _("Kies één opname om toe te voegen."))
        return _back(contact.pk)
    try:
        with files[0].open("rb") as data:
            recording = recording_attach(
                contact=contact,
                data=data,
                filename=files[0].name or "",
                agent_channel=request.POST.get("agent_channel", "left"),
                source=RecordingSource.DESK,
                by=actor(request),
            )
    except Invalid as exc:
        messages.error(request, exc.message)
        return _back(contact.pk)
    if recording.created_now:
        recording_audit(request, "recording.add", recording)
        messages.success(request, _("De opname is toegevoegd."))
    else:
        messages.info(request, _("Deze opname stond al bij dit contact."))
    return _back(contact.pk)


@requires(LISTEN_PERMISSION)  # type: ignore[arg-type]  # a streamed file, not an HttpResponse
@require_safe
def audio(request: HttpRequest, recording_id: int) -> HttpResponseBase:
    """The audio for the page's player (a `Range` gets 206, so it can seek): 404 for a recording of a
    contact this person may not see, 416 for a range past its end."""
    try:
        recording = recording_for(request.user, recording_id)
        response = recording_response(
            recording,
            range_header=request.headers.get("Range", ""),
            if_range=request.headers.get("If-Range", ""),
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except RangeNotSatisfiable as exc:
        refused = HttpResponse(exc.message, status=416, content_type="text/plain; charset=utf-8")
        refused["Content-Range"] = exc.content_range
        return refused
    recording_audit(request, "recording.listen", recording)
    return response


@requires("contacts.handle_contact")
@require_POST
def transcribe(request: HttpRequest, recording_id: int) -> HttpResponse:
    """ "Gesprek uitschrijven": the recording's speech as the contact's transcript turns (once)."""
    try:
        recording = recording_for(request.user, recording_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        result = transcript_request(recording, by=actor(request))
    except (Invalid, Unavailable) as exc:
        messages.error(request, exc.message)
        return _back(recording.contact_id)
    recording_audit(
        request,
        "recording.transcribe",
        recording,
        turns=len(result.messages) if result else 0,
        queued=result is None,
    )
    if result is None:
        messages.success(
            request,
            _(
                "Het gesprek wordt uitgeschreven; de beurten verschijnen straks als transcript"
                " bij het contact."
            ),
        )
    else:
        messages.info(request, _("Dit gesprek was al uitgeschreven."))
    return _back(recording.contact_id)


@requires(DELETE_PERMISSION)
@require_POST
def delete(request: HttpRequest, recording_id: int) -> HttpResponse:
    try:
        recording = recording_for(request.user, recording_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    with transaction.atomic():
        recording_audit(request, "recording.delete", recording)
        recording.delete()
    messages.success(request, _("De opname is verwijderd."))
    return _back(recording.contact_id)
