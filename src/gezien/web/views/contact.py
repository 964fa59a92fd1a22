"""One contact: the thread, the reply or call-notes box, status, reason, transfer, and the gezien-kaart."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gezien.audit.log import audit_contact
from gezien.contacts import corrections, handling, selectors, services
from gezien.contacts.attachments import attachment_store
from gezien.contacts.models import Channel, Contact, Message, Status
from gezien.contacts.transcripts import parse_transcript
from gezien.core.errors import Invalid
from gezien.customers import services as customer_services
from gezien.customers.models import Customer
from gezien.mail.outgoing import delivery_retry, reply_extras
from gezien.web.forms import (
    CustomerForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
    SignalCorrectionForm,
    StatusForm,
    SummaryForm,
    TranscriptForm,
    TransferForm,
)
from gezien.web.pages.contact import agent_replied, contact_page, correcting
from gezien.web.signal_display import message_view
from gezien.web.views.common import actor, apply, requires, submit

if TYPE_CHECKING:
    from gezien.accounts.models import User


def _contact(contact_id: int) -> Contact:
    try:
        return selectors.contact_with_thread(contact_id)
    except Contact.DoesNotExist as exc:
        raise Http404(_("Dit contact bestaat niet.")) from exc


def _render(
    request: HttpRequest,
    contact: Contact,
    status: int = 200,
    *,
    forms: dict[str, Form] | None = None,
    close_confirm: bool = False,
) -> HttpResponse:
    """The contact page (`web.pages.contact` gathers it); `forms`: a refused form to show again;
    `close_confirm`: ask whether to close without a reply."""
    query = request.GET.get("q", "").strip()
    page = contact_page(actor(request), contact, query=query, forms=forms, close_confirm=close_confirm)
    return render(request, "web/contact.html", page.context(), status=status)


@requires("contacts.handle_contact")
def contact_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    audit_contact(request, "contact.view", contact)
    return _render(request, contact)


def _back(contact: Contact) -> HttpResponse:
    return redirect("desk:contact", contact_id=contact.pk)


def _again(request: HttpRequest, contact: Contact, name: str) -> Callable[[Form], HttpResponse]:
    """Show the contact again with the refused form `name` and its errors."""
    return lambda form: _render(request, _contact(contact.pk), status=422, forms={name: form})


MAX_FILES = 10


@requires("contacts.handle_contact")
@require_POST
def reply(request: HttpRequest, contact_id: int) -> HttpResponse:
    """A reply (chat, e-mail, web form) or a call note (phone). On e-mail: with CC and attachments."""
    contact = _contact(contact_id)
    is_phone = contact.channel == Channel.PHONE
    files = request.FILES.getlist("attachments") if contact.channel == Channel.EMAIL else []

    @transaction.atomic  # the files, the reply and its mail: all or nothing
    def send(data: dict[str, Any]) -> Message:
        agent = actor(request)
        extras = None
        if contact.channel == Channel.EMAIL and (files or data.get("cc")):
            if len(files) > MAX_FILES:
                raise Invalid(_("Hooguit %(n)d bijlagen per antwoord.") % {"n": MAX_FILES}, field="text")
            stored = [
                attachment_store(
                    contact=contact,
                    data=upload.read(),
                    filename=upload.name or "",
                    content_type=upload.content_type or "",
                    uploaded_by=agent,
                )
                for upload in files
            ]
            cc = re.split(r"[,;\s]+", data.get("cc") or "")
            extras = reply_extras(contact=contact, cc=cc, attachment_ids=[a.pk for a in stored])
        return services.message_add(
            contact=contact,
            author="agent",
            kind="note" if is_phone else "message",
            text=data["text"],
            agent=agent,
            status_after=data["status_after"],
            extras=extras,
        )

    return submit(
        request,
        NoteForm(request.POST) if is_phone else ReplyForm(request.POST),
        send,
        done=lambda: _back(contact),
        again=_again(request, contact, "reply_form"),
        audit=lambda: audit_contact(request, "message.add", contact, kind="note" if is_phone else "message"),
    )


@requires("contacts.handle_contact")
@require_POST
def resend(request: HttpRequest, contact_id: int, message_id: int) -> HttpResponse:
    """ "Opnieuw versturen": a reply whose mail failed goes into the queue again."""
    message = Message.objects.filter(pk=message_id, contact_id=contact_id).select_related("contact").first()
    if message is None:
        raise Http404(_("Dit bericht bestaat niet."))
    if apply(request, None, lambda: delivery_retry(message=message, actor=actor(request))):
        audit_contact(request, "message.resend", message.contact, message_id=message.pk)
        messages.success(request, _("Het bericht staat weer in de wachtrij om te versturen."))
    return _back(message.contact)


@transaction.atomic
def _add_turns(contact: Contact, text: str, agent: User) -> None:
    for turn in parse_transcript(text):
        services.message_add(
            contact=contact,
            author=turn.author,
            kind="transcript",
            text=turn.text,
            agent=agent if turn.author == "agent" else None,
            start_s=turn.start_s,
            end_s=turn.end_s,
        )


@requires("contacts.handle_contact")
@require_POST
def transcript(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    return submit(
        request,
        TranscriptForm(request.POST),
        lambda data: _add_turns(contact, data["transcript"], actor(request)),
        done=lambda: _back(contact),
        again=_again(request, contact, "transcript_form"),
        audit=lambda: audit_contact(request, "message.add", contact, kind="transcript"),
    )


def _flash_invalid(request: HttpRequest, contact: Contact, text: str) -> Callable[[Form], HttpResponse]:
    """For the one-field forms beside the thread: say what was wrong above the contact."""

    def show(form: Form) -> HttpResponse:
        messages.error(request, text)
        return _back(contact)

    return show


@requires("contacts.handle_contact")
@require_POST
def change_status(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The one status control. Closing a contact no agent answered yet asks first: without `confirm=1`
    the page comes back (409) with the question; the API closes as asked (an integration decides)."""
    contact = _contact(contact_id)
    closing = request.POST.get("status") == Status.CLOSED and contact.status != Status.CLOSED
    if closing and request.POST.get("confirm") != "1" and not agent_replied(contact):
        return _render(request, contact, status=409, close_confirm=True)
    return submit(
        request,
        StatusForm(request.POST),
        lambda data: handling.contact_set_status(
            contact=contact, status=data["status"], actor=actor(request)
        ),
        done=lambda: _back(contact),
        again=_flash_invalid(request, contact, _("Kies een geldige status.")),
        audit=lambda: audit_contact(request, "contact.update", contact, field="status"),
    )


@requires("contacts.handle_contact")
@require_POST
def change_reason(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    return submit(
        request,
        ReasonForm(request.POST),
        lambda data: handling.contact_set_reason(
            contact=contact, reason=data["reason"], actor=actor(request)
        ),
        done=lambda: _back(contact),
        again=_flash_invalid(request, contact, _("Kies een geldige contactreden.")),
        audit=lambda: audit_contact(request, "contact.update", contact, field="reason"),
    )


@requires("contacts.handle_contact")
@require_POST
def change_summary(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    return submit(
        request,
        SummaryForm(request.POST),
        lambda data: handling.contact_set_summary(
            contact=contact, summary=data["summary"], actor=actor(request)
        ),
        done=lambda: _back(contact),
        again=_again(request, contact, "summary_form"),
        audit=lambda: audit_contact(request, "contact.update", contact, field="summary"),
    )


def _transferred(request: HttpRequest) -> HttpResponse:
    messages.success(request, _("Contact doorgezet."))
    return redirect("desk:queue")


@requires("contacts.handle_contact")
@require_POST
def transfer(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    return submit(
        request,
        TransferForm(request.POST),
        lambda data: handling.contact_transfer(
            contact=contact,
            actor=actor(request),
            to_agent=data["to_agent"],
            to_team=data["to_team"],
            note=data["note"],
        ),
        done=lambda: _transferred(request),
        again=_again(request, contact, "transfer_form"),
        audit=lambda: audit_contact(request, "contact.assign", contact, via="transfer"),
    )


@requires("contacts.handle_contact")
@require_POST
def take(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    handling.contact_take(contact=contact, actor=actor(request))
    audit_contact(request, "contact.assign", contact, via="take")
    return _back(contact)


@requires("contacts.handle_contact")
@require_POST
def link(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = _contact(contact_id)
    raw = request.POST.get("customer_id", "")
    customer = (
        Customer.objects.filter(pk=int(raw)).first()
        if raw.isascii() and raw.isdigit() and len(raw) < 19
        else None
    )
    if customer is None:
        messages.error(request, _("Kies een klant om te koppelen."))
    elif apply(
        request,
        None,
        lambda: handling.contact_link_customer(contact=contact, customer=customer, actor=actor(request)),
    ):
        audit_contact(request, "contact.link", contact)
    return _back(contact)


@transaction.atomic
def _create_and_link(contact: Contact, form: CustomerForm, agent: User) -> None:
    customer = customer_services.customer_create(
        first_name=form.cleaned_data["first_name"],
        last_name=form.cleaned_data["last_name"],
        identities=form.identities(),
        actor=agent,
    )
    handling.contact_link_customer(contact=contact, customer=customer, actor=agent)


@requires("contacts.handle_contact")
@requires("customers.add_customer")
@require_POST
def create_and_link(request: HttpRequest, contact_id: int) -> HttpResponse:
    """No match: create the customer from what the agent asked, and link this contact to them."""
    contact = _contact(contact_id)
    form = CustomerForm(request.POST)
    return submit(
        request,
        form,
        lambda data: _create_and_link(contact, form, actor(request)),
        done=lambda: _back(contact),
        again=_again(request, contact, "customer_form"),
        audit=lambda: audit_contact(request, "contact.link", contact, customer_created=True),
    )


def _message(message_id: int) -> Message:
    message = selectors.message_with_signals(message_id)
    if message is None:
        raise Http404(_("Dit bericht bestaat niet."))
    return message


def _signals_block(request: HttpRequest, message_id: int, error: str = "") -> HttpResponse:
    # htmx swaps only 2xx answers: a refused correction comes back as 200 with its error in the block.
    context = {"v": message_view(_message(message_id)), "error": error, **correcting(actor(request))}
    return render(request, "web/_message_signals.html", context)


def _after_correction(request: HttpRequest, message: Message, error: str = "") -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return _signals_block(request, message.pk, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Correctie opgeslagen. Dank je: zo leert Gezien."))
    return redirect(f"{reverse('desk:contact', args=[message.contact_id])}#message-{message.pk}")


@requires("contacts.handle_contact")
@requires("contacts.add_signalcorrection")
@require_POST
def correct_signal(request: HttpRequest, message_id: int) -> HttpResponse:
    """ "niet boos", "wel teleurgesteld": the agent corrects a signal on one message."""
    message = _message(message_id)
    return submit(
        request,
        SignalCorrectionForm(request.POST),
        lambda data: corrections.signal_correct(
            message=message,
            signal=data["signal"],
            value=data["value"] == "wel",
            note=data["note"],
            actor=actor(request),
        ),
        done=lambda: _after_correction(request, message),
        again=lambda form: _after_correction(
            request, message, " ".join(str(e) for errors in form.errors.values() for e in errors)
        ),
    )
