"""The workspace around a contact: the queue pane and the picker of standard replies and articles."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gezien.contacts.models import Contact
from gezien.contacts.selectors import contact_with_thread
from gezien.web.pages import workspace as pages
from gezien.web.pages.desk import queue_channel
from gezien.web.views.common import actor, requires


def _current(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 19 else None


@requires("contacts.handle_contact")
@require_GET
def queue_pane(request: HttpRequest) -> HttpResponse:
    """The queue beside an open contact (`current`), filtered by `scope` (all, mine, free) and
    `channel`; htmx loads it after the contact page and refreshes it."""
    page = pages.queue_pane(
        actor(request),
        scope=pages.queue_scope(request.GET.get("scope")),
        channel=queue_channel(request.GET.get("channel")),
        current=_current(request.GET.get("current")),
    )
    return render(request, "web/_queue_pane.html", page)


@requires("contacts.handle_contact")
@require_GET
def picker(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The composer's picker: standard replies written out for this contact and knowledge articles,
    searched by `q` as the agent types."""
    try:
        contact: Contact = contact_with_thread(contact_id)
    except Contact.DoesNotExist as exc:
        raise Http404(_("Dit contact bestaat niet.")) from exc
    page = pages.picker_part(actor(request), contact, request.GET.get("q", "")[:200])
    return render(request, "web/_picker_results.html", page)


urls: list[URLPattern] = [
    path("werkruimte/wachtrij/", queue_pane, name="workspace_queue"),
    path("desk/contacts/<id:contact_id>/picker/", picker, name="picker"),
]
