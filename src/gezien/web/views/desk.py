"""The queue and the incoming-call flow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gezien.audit.log import audit_customer
from gezien.contacts import handling, services
from gezien.contacts.models import Channel, Contact
from gezien.phone.models import Call
from gezien.phone.selectors import call_by_id
from gezien.phone.services import call_take
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
def _open_call(number: str, note: str, agent: User, call: Call | None = None) -> Contact:
    """The agent takes the call: a phone contact, recognised by the number, assigned to them. A ringing
    call the telephone system told of (its pop-up's "Aannemen") becomes that call's contact."""
    if call is not None:
        contact = call_take(call=call, agent=agent)
    else:
        opened = services.contact_open(
            channel=Channel.PHONE, identities=[("phone", number)] if number else [], actor=agent
        )
        contact = handling.contact_take(contact=opened.contact, actor=agent)
    if note.strip():
        services.message_add(contact=contact, author="agent", kind="note", text=note, agent=agent)
    return contact


def _ringing(raw: object) -> Call | None:
    pk = (
        raw
        if isinstance(raw, int)
        else int(raw)
        if isinstance(raw, str) and raw.isdigit() and len(raw) < 19
        else None
    )
    return call_by_id(pk) if pk is not None else None


@requires("contacts.handle_contact")
@require_GET
def calls_ringing(request: HttpRequest) -> HttpResponse:
    """The pop-ups of the calls ringing now for this agent (a desk page just opened shows them too)."""
    popups = pages.ringing_popups(actor(request))
    for popup in popups:
        if popup.call.customer_id is not None:
            audit_customer(request, "customer.view", popup.call.customer_id, part="call_popup")
    return render(request, "web/phone/_call_popups.html", {"popups": popups})


@requires("contacts.handle_contact")
@require_GET
def call_popup(request: HttpRequest, call_id: int) -> HttpResponse:
    """The pop-up of a ringing call: who calls (the gezien-kaart in brief) or "Onbekend nummer"."""
    call = call_by_id(call_id)
    if call is None:
        raise Http404(_("Dit gesprek bestaat niet."))
    if call.customer_id is not None:
        audit_customer(request, "customer.view", call.customer_id, part="call_popup")
    return render(request, "web/phone/_call_popup.html", {"popup": pages.call_popup_part(call)})


@requires("contacts.handle_contact")
@require_http_methods(["GET", "POST"])
def incoming_call(request: HttpRequest) -> HttpResponse:
    """Log a call as it comes in: the number recognises the customer, the card opens with the contact."""
    call = _ringing(request.POST.get("call") if request.method == "POST" else request.GET.get("call"))
    if request.method != "POST":
        initial = {"number": call.number_raw, "call": call.pk} if call is not None else None
        form = IncomingCallForm(initial=initial)
        return render(request, "web/incoming_call.html", pages.incoming_call_page(form, call))
    form = IncomingCallForm(request.POST)
    opened: list[Contact] = []
    return submit(
        request,
        form,
        lambda data: opened.append(_open_call(data["number"].strip(), data["note"], actor(request), call)),
        done=lambda: redirect("desk:contact", contact_id=opened[0].pk),
        again=lambda f: render(request, "web/incoming_call.html", pages.incoming_call_page(f, call)),
    )
