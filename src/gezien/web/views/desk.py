"""The queue and the incoming-call flow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gezien.contacts import services
from gezien.contacts.models import Channel, Contact
from gezien.web.forms import IncomingCallForm
from gezien.web.navigation import landing
from gezien.web.pages import desk as pages
from gezien.web.views.common import actor, requires, submit

if TYPE_CHECKING:
    from gezien.accounts.models import User


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where everyone starts: the queue for the desk, the board for a department owner."""
    target = landing(request.user)
    if target is None:
        raise PermissionDenied(_("Uw account heeft nog geen rol in de desk. Vraag de beheerder om er een."))
    return redirect(target)


@requires("contacts.handle_contact")
def queue_view(request: HttpRequest) -> HttpResponse:
    page = pages.queue_page(pages.queue_channel(request.GET.get("channel")))
    return render(request, "web/queue.html", page)


@requires("contacts.handle_contact")
def queue_table(request: HttpRequest) -> HttpResponse:
    """The queue table alone, polled by htmx so waiting times stay current without a reload."""
    return render(
        request, "web/_queue_table.html", pages.queue_table(pages.queue_channel(request.GET.get("channel")))
    )


@transaction.atomic
def _open_call(number: str, note: str, agent: User) -> Contact:
    """The agent takes the call: a phone contact, recognised by the number, assigned to them."""
    opened = services.contact_open(
        channel=Channel.PHONE, identities=[("phone", number)] if number else [], actor=agent
    )
    services.contact_take(contact=opened.contact, actor=agent)
    if note.strip():
        services.message_add(contact=opened.contact, author="agent", kind="note", text=note, agent=agent)
    return opened.contact


@requires("contacts.handle_contact")
@require_http_methods(["GET", "POST"])
def incoming_call(request: HttpRequest) -> HttpResponse:
    """Log a call as it comes in: the number recognises the customer, the card opens with the contact."""
    form = IncomingCallForm(request.POST or None)
    if request.method != "POST":
        return render(request, "web/incoming_call.html", pages.incoming_call_page(form))
    opened: list[Contact] = []
    return submit(
        request,
        form,
        lambda data: opened.append(_open_call(data["number"].strip(), data["note"], actor(request))),
        done=lambda: redirect("desk:contact", contact_id=opened[0].pk),
        again=lambda f: render(request, "web/incoming_call.html", pages.incoming_call_page(f)),
    )
