"""Privacy in the desk: a customer's data as one archive (managers), their erasure with a confirm step
and an optional second manager, and an agent making part of a message unreadable. The same services
as the API (gezien.privacy)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gezien.contacts.models import Message
from gezien.customers.models import Customer
from gezien.privacy import erase, exporting, redact
from gezien.privacy.audited import Actor
from gezien.web.pages.privacy import erase_page
from gezien.web.views.common import actor, apply, requires


def _customer(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise Http404(_("Deze klant bestaat niet."))
    return customer


@require_safe
def customer_export(request: HttpRequest, customer_id: int) -> StreamingHttpResponse:
    """The archive, streamed (the check of `requires`, said here: a stream is no HttpResponse)."""
    if not request.user.has_perm("privacy.export_customer"):
        raise PermissionDenied(_("Uw rol mag dit niet."))
    customer = _customer(customer_id)
    return exporting.export_response(request, customer, via="desk")


@requires("privacy.erase_customer")
@require_http_methods(["GET", "POST"])
def customer_erase(request: HttpRequest, customer_id: int) -> HttpResponse:
    """GET: what will go, and a confirm step; POST (with the box ticked): erase, or ask a second manager."""
    customer = _customer(customer_id)
    page = erase_page(customer, viewer_id=actor(request).pk, approvers=settings.GEZIEN_ERASE_APPROVERS)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Vink aan dat u begrijpt dat wissen niet ongedaan kan worden."))
        else:
            done: list[erase.Erasure] = []
            who = Actor.of(request)
            if apply(
                request, None, lambda: done.append(erase.erase_request(customer_id=customer.pk, actor=who))
            ):
                messages.success(
                    request,
                    _("De gegevens van de klant zijn gewist.")
                    if done[0].done
                    else _("Het verzoek wacht nu op een tweede manager."),
                )
        return redirect("desk:customer_erase", customer_id=customer.pk)
    return render(request, "web/customer_erase.html", page)


@requires("privacy.erase_customer")
@require_POST
def customer_erase_approve(request: HttpRequest, customer_id: int) -> HttpResponse:
    if apply(request, None, lambda: erase.erase_approve(customer_id=customer_id, actor=Actor.of(request))):
        messages.success(request, _("De gegevens van de klant zijn gewist."))
    return redirect("desk:customer_erase", customer_id=customer_id)


@requires("privacy.erase_customer")
@require_POST
def customer_erase_cancel(request: HttpRequest, customer_id: int) -> HttpResponse:
    if apply(request, None, lambda: erase.erase_cancel(customer_id=customer_id, actor=Actor.of(request))):
        messages.success(request, _("Het verzoek om te wissen is ingetrokken."))
    return redirect("desk:customer_erase", customer_id=customer_id)


@requires("privacy.redact_message")
@require_POST
def message_redact(request: HttpRequest, message_id: int) -> HttpResponse:
    """Make the characters the agent gave (every place they occur) unreadable in the message."""
    message = Message.objects.filter(pk=message_id).only("pk", "contact_id").first()
    if message is None:
        raise Http404(_("Dit bericht bestaat niet."))
    words, who = request.POST.get("text", ""), Actor.of(request)
    if apply(request, None, lambda: redact.message_redact(message_id=message.pk, actor=who, text=words)):
        messages.success(request, _("Dat deel van het bericht is onleesbaar gemaakt."))
    return redirect(reverse("desk:contact", args=[message.contact_id]) + f"#message-{message.pk}")


urls: list[URLPattern] = [
    path("customers/<id:customer_id>/export/", customer_export, name="customer_export"),
    path("customers/<id:customer_id>/erase/", customer_erase, name="customer_erase"),
    path("customers/<id:customer_id>/erase/approve/", customer_erase_approve, name="customer_erase_approve"),
    path("customers/<id:customer_id>/erase/cancel/", customer_erase_cancel, name="customer_erase_cancel"),
    path("desk/messages/<id:message_id>/redact/", message_redact, name="message_redact"),
]
