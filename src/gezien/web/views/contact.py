"""One contact: the thread, the reply or call-notes box, status, reason, transfer, and the gezien-kaart."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gezien.contacts import selectors, services
from gezien.contacts.models import Channel, Contact
from gezien.contacts.transcripts import parse_transcript
from gezien.customers import services as customer_services
from gezien.customers.models import Customer
from gezien.customers.selectors import customer_search
from gezien.web.forms import (
    CustomerForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
    StatusForm,
    SummaryForm,
    TranscriptForm,
    TransferForm,
)
from gezien.web.views.common import apply, requires


def _contact(contact_id: int) -> Contact:
    try:
        return selectors.contact_with_thread(contact_id)
    except Contact.DoesNotExist as exc:
        raise Http404(_("Dit contact bestaat niet.")) from exc


def _render(request: HttpRequest, contact: Contact, status: int = 200, **forms: Any) -> HttpResponse:
    is_phone = contact.channel == Channel.PHONE
    context: dict[str, Any] = {
        "contact": contact,
        "thread": list(contact.messages.all()),
        "events": list(contact.events.all()),
        "is_phone": is_phone,
        "reply_form": forms.get("reply_form") or (NoteForm() if is_phone else ReplyForm()),
        "transcript_form": forms.get("transcript_form") or TranscriptForm(),
        "status_form": StatusForm(initial={"status": contact.status}),
        "reason_form": ReasonForm(initial={"reason": contact.reason.code if contact.reason else None}),
        "summary_form": forms.get("summary_form") or SummaryForm(initial={"summary": contact.summary}),
        "transfer_form": forms.get("transfer_form") or TransferForm(),
        "card": selectors.customer_card(contact.customer, current=contact) if contact.customer else None,
    }
    if contact.customer is None:
        query = request.GET.get("q", "").strip()
        context["link_query"] = query
        context["link_hits"] = customer_search(query) if query else []
        context["candidates"] = list(Customer.objects.filter(pk__in=contact.candidate_ids))
        context["customer_form"] = forms.get("customer_form") or CustomerForm()
    return render(request, "web/contact.html", context, status=status)


@requires("contacts.handle_contact")
def contact_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    return _render(request, _contact(contact_id))


def _back(contact: Contact) -> HttpResponse:
    return redirect("desk:contact", contact_id=contact.pk)


@requires("contacts.handle_contact")
@require_POST
def reply(request: HttpRequest, contact_id: int) -> HttpResponse:
    """A reply (chat, e-mail, web form) or a call note (phone)."""
    contact = _contact(contact_id)
    is_phone = contact.channel == Channel.PHONE
    form = NoteForm(request.POST) if is_phone else ReplyForm(request.POST)
    if form.is_valid() and apply(
        request,
        form,
        lambda: services.message_add(
            contact=contact,
            author="agent",
            kind="note" if is_phone else "message",
            text=form.cleaned_data["text"],
            agent=request.user,  # type: ignore[arg-type]
            status_after=form.cleaned_data["status_after"],
        ),
    ):
        return _back(contact)
    return _render(request, _contact(contact_id), status=422, reply_form=form)


@requires("contacts.handle_contact")
@require_POST
def transcript(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    form = TranscriptForm(request.POST)

    @transaction.atomic
    def add_turns() -> None:
        for turn in parse_transcript(form.cleaned_data["transcript"]):
            services.message_add(
                contact=contact,
                author=turn.author,
                kind="transcript",
                text=turn.text,
                agent=request.user if turn.author == "agent" else None,  # type: ignore[arg-type]
                start_s=turn.start_s,
                end_s=turn.end_s,
            )

    if form.is_valid() and apply(request, form, add_turns):
        return _back(contact)
    return _render(request, _contact(contact_id), status=422, transcript_form=form)


@requires("contacts.handle_contact")
@require_POST
def change_status(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        apply(
            request,
            None,
            lambda: services.contact_set_status(
                contact=contact,
                status=form.cleaned_data["status"],
                actor=request.user,  # type: ignore[arg-type]
            ),
        )
    else:
        messages.error(request, _("Kies een geldige status."))
    return _back(contact)


@requires("contacts.handle_contact")
@require_POST
def change_reason(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        services.contact_set_reason(
            contact=contact,
            reason=form.cleaned_data["reason"],
            actor=request.user,  # type: ignore[arg-type]
        )
    else:
        messages.error(request, _("Kies een geldige contactreden."))
    return _back(contact)


@requires("contacts.handle_contact")
@require_POST
def change_summary(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    form = SummaryForm(request.POST)
    if form.is_valid() and apply(
        request,
        form,
        lambda: services.contact_set_summary(
            contact=contact,
            summary=form.cleaned_data["summary"],
            actor=request.user,  # type: ignore[arg-type]
        ),
    ):
        return _back(contact)
    return _render(request, contact, status=422, summary_form=form)


@requires("contacts.handle_contact")
@require_POST
def transfer(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    form = TransferForm(request.POST)
    if form.is_valid() and apply(
        request,
        form,
        lambda: services.contact_transfer(
            contact=contact,
            actor=request.user,  # type: ignore[arg-type]
            to_agent=form.cleaned_data["to_agent"],
            to_team=form.cleaned_data["to_team"],
            note=form.cleaned_data["note"],
        ),
    ):
        messages.success(request, _("Contact doorgezet."))
        return redirect("desk:queue")
    return _render(request, contact, status=422, transfer_form=form)


@requires("contacts.handle_contact")
@require_POST
def take(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    services.contact_take(contact=contact, actor=request.user)  # type: ignore[arg-type]
    return _back(contact)


@requires("contacts.handle_contact")
@require_POST
def link(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    raw = request.POST.get("customer_id", "")
    customer = Customer.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if customer is None:
        messages.error(request, _("Kies een klant om te koppelen."))
    else:
        apply(
            request,
            None,
            lambda: services.contact_link_customer(contact=contact, customer=customer, actor=request.user),  # type: ignore[arg-type]
        )
    return _back(contact)


@requires("customers.add_customer")
@require_POST
def create_and_link(request: HttpRequest, contact_id: int) -> HttpResponse:
    """No match: create the customer from what the agent asked, and link this contact to them."""
    contact = _contact(contact_id)
    form = CustomerForm(request.POST)

    @transaction.atomic
    def create() -> None:
        customer = customer_services.customer_create(
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            identities=form.identities(),
            actor=request.user,  # type: ignore[arg-type]
        )
        services.contact_link_customer(contact=contact, customer=customer, actor=request.user)  # type: ignore[arg-type]

    if form.is_valid() and apply(request, form, create):
        return _back(contact)
    return _render(request, contact, status=422, customer_form=form)
