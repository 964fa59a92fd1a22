"""E-mail in the desk: mailboxes and the quarantine (admins), marking a contact as spam (agents)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gezien.accounts.models import Team
from gezien.contacts.models import Contact
from gezien.core.errors import Invalid
from gezien.mail import selectors, services
from gezien.mail.intake import ERROR
from gezien.mail.models import BlockedSender, InboundMail, Mailbox, Outcome
from gezien.web.views.common import actor, apply, audited_setting, requires, submit


class MailboxForm(forms.Form):
    name = forms.SlugField(
        label=gettext_lazy("Naam"), max_length=60, help_text=gettext_lazy("Letters, cijfers, - en _.")
    )
    address = forms.CharField(
        label=gettext_lazy("Adres"), max_length=320, widget=forms.TextInput(attrs={"size": 40})
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"), queryset=Team.objects.order_by("name"), required=False
    )
    imap_url = forms.CharField(
        label=gettext_lazy("IMAP"),
        max_length=500,
        widget=forms.TextInput(attrs={"size": 60}),
        required=False,
        help_text=gettext_lazy("Bijvoorbeeld imaps://gebruiker@imap.voorbeeld.nl:993/INBOX; leeg: geen."),
    )
    smtp_url = forms.CharField(
        label=gettext_lazy("SMTP"),
        max_length=500,
        widget=forms.TextInput(attrs={"size": 60}),
        required=False,
        help_text=gettext_lazy("Bijvoorbeeld smtp+starttls://gebruiker@smtp.voorbeeld.nl:587."),
    )
    signature = forms.CharField(
        label=gettext_lazy("Ondertekening"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    auto_acknowledge = forms.BooleanField(label=gettext_lazy("Ontvangstbevestiging sturen"), required=False)
    active = forms.BooleanField(label=gettext_lazy("Actief"), required=False, initial=True)


def _mailbox(mailbox_id: int) -> Mailbox:
    found = Mailbox.objects.filter(pk=mailbox_id).first()
    if found is None:
        raise Http404(_("Deze mailbox bestaat niet."))
    return found


def _inbound(inbound_id: int) -> InboundMail:
    found = InboundMail.objects.filter(pk=inbound_id).first()
    if found is None:
        raise Http404(_("Deze e-mail bestaat niet."))
    return found


def _shown(mailbox: Mailbox) -> dict[str, Any]:
    return {
        "mailbox": mailbox,
        "imap": services.server_display(mailbox.imap_url, kind="imap", mailbox=mailbox.name),
        "smtp": services.server_display(mailbox.smtp_url, kind="smtp", mailbox=mailbox.name),
    }


@requires("mail.view_mailbox")
def mailboxes(request: HttpRequest) -> HttpResponse:
    rows = [_shown(box) | {"quarantined": box.quarantined} for box in selectors.mailboxes()]  # type: ignore[attr-defined]
    return render(request, "web/mail/mailboxes.html", {"rows": rows})


def _form_page(
    request: HttpRequest, form: MailboxForm, mailbox: Mailbox | None, status: int = 200
) -> HttpResponse:
    return render(request, "web/mail/mailbox_form.html", {"form": form, "mailbox": mailbox}, status=status)


@requires("mail.add_mailbox")
@audited_setting("mailbox")
def mailbox_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, MailboxForm(), None)
    form = MailboxForm(request.POST)
    return submit(
        request,
        form,
        lambda data: services.mailbox_add(
            name=data["name"],
            address=data["address"],
            imap_url=data["imap_url"],
            smtp_url=data["smtp_url"],
            team=data["team"],
            signature=data["signature"],
            auto_acknowledge=data["auto_acknowledge"],
            active=data["active"],
            actor=actor(request),
        ),
        done=lambda: redirect("desk:mailboxes"),
        again=lambda refused: _form_page(request, form, None, status=422),
    )


@requires("mail.change_mailbox")
@audited_setting("mailbox", "mailbox_id")
def mailbox_edit(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    mailbox = _mailbox(mailbox_id)
    shown = _shown(mailbox)
    initial = {
        "name": mailbox.name,
        "address": mailbox.address,
        "team": mailbox.team_id,
        "imap_url": shown["imap"],
        "smtp_url": shown["smtp"],
        "signature": mailbox.signature,
        "auto_acknowledge": mailbox.auto_acknowledge,
        "active": mailbox.active,
    }
    form = MailboxForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["name"].disabled = True  # the name is in the environment's variable names: it stays
    if request.method != "POST":
        return _form_page(request, form, mailbox)
    return submit(
        request,
        form,
        lambda data: services.mailbox_update(
            mailbox=mailbox,
            address=data["address"],
            imap_url=data["imap_url"],
            smtp_url=data["smtp_url"],
            team=data["team"],
            clear_team=data["team"] is None,
            signature=data["signature"],
            auto_acknowledge=data["auto_acknowledge"],
            active=data["active"],
            actor=actor(request),
        ),
        done=lambda: redirect("desk:mailboxes"),
        again=lambda refused: _form_page(request, form, mailbox, status=422),
    )


@requires("mail.view_inboundmail")
def quarantine(request: HttpRequest) -> HttpResponse:
    mails = list(selectors.inbound_mails(outcome=Outcome.QUARANTINED)[:200])
    recent = list(selectors.inbound_mails().exclude(outcome=Outcome.QUARANTINED)[:20])
    blocked = list(selectors.blocked_senders()[:200])
    context = {"mails": mails, "recent": recent, "blocked": blocked}
    return render(request, "web/mail/quarantine.html", context)


@requires("mail.delete_blockedsender")
@require_POST
def unblock(request: HttpRequest, blocked_id: int) -> HttpResponse:
    blocked = BlockedSender.objects.filter(pk=blocked_id).first()
    if blocked is not None:
        services.sender_unblock(blocked=blocked, actor=actor(request))
        messages.success(request, _("%(address)s is niet meer geblokkeerd.") % {"address": blocked.address})
    return redirect("desk:mail_quarantine")


@requires("mail.view_inboundmail")
def inbound_raw(request: HttpRequest, inbound_id: int) -> HttpResponse:
    return selectors.raw_response(_inbound(inbound_id))


@requires("mail.change_inboundmail")
@require_POST
def inbound_retry(request: HttpRequest, inbound_id: int) -> HttpResponse:
    inbound = _inbound(inbound_id)
    result = services.inbound_retry(inbound=inbound, release=request.POST.get("release") == "1")
    if result.outcome == Outcome.QUARANTINED:
        messages.error(
            request, _("De e-mail staat nog in quarantaine: %(reason)s") % {"reason": result.reason}
        )
    else:
        messages.success(request, _("De e-mail is verwerkt."))
    return redirect("desk:mail_quarantine")


@requires("mail.change_inboundmail")
@require_POST
def inbound_retry_many(request: HttpRequest) -> HttpResponse:
    """The quarantine's bulk retry: the ticked mails ("Geselecteerde opnieuw", "... toch verwerken"), or
    every mail held by an error ("Alle fouten opnieuw")."""
    chosen: dict[str, Any] = {"reason": ERROR}
    if request.POST.get("scope") != "errors":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        if not ids:
            messages.error(request, _("Kies eerst de e-mails die opnieuw moeten."))
            return redirect("desk:mail_quarantine")
        chosen = {"ids": ids, "release": request.POST.get("release") == "1"}
    try:
        results, left = services.inbound_retry_many(**chosen)
    except Invalid as refused:
        messages.error(request, refused.message)
        return redirect("desk:mail_quarantine")
    handled = sum(1 for _pk, result in results if result.outcome != Outcome.QUARANTINED)
    messages.success(
        request,
        _("%(handled)s van %(total)s e-mails verwerkt; %(left)s staan nog in quarantaine.")
        % {"handled": handled, "total": len(results), "left": left},
    )
    return redirect("desk:mail_quarantine")


@requires("mail.add_blockedsender")
@require_POST
def contact_spam(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        raise Http404(_("Dit contact bestaat niet."))
    if apply(request, None, lambda: services.contact_mark_spam(contact=contact, actor=actor(request))):
        messages.success(
            request,
            _("Gemarkeerd als spam; mail van %(address)s gaat voortaan naar de quarantaine.")
            % {"address": contact.identity_value},
        )
    return redirect("desk:contact", contact_id=contact.pk)


urls = [
    path("desk/mail/mailboxes/", mailboxes, name="mailboxes"),
    path("desk/mail/mailboxes/new/", mailbox_new, name="mailbox_new"),
    path("desk/mail/mailboxes/<id:mailbox_id>/", mailbox_edit, name="mailbox_edit"),
    path("desk/mail/quarantine/", quarantine, name="mail_quarantine"),
    path("desk/mail/inbound/<id:inbound_id>/raw/", inbound_raw, name="mail_raw"),
    path("desk/mail/inbound/retry/", inbound_retry_many, name="mail_retry_many"),
    path("desk/mail/inbound/<id:inbound_id>/retry/", inbound_retry, name="mail_retry"),
    path("desk/mail/blocked/<id:blocked_id>/unblock/", unblock, name="mail_unblock"),
    path("desk/contacts/<id:contact_id>/spam/", contact_spam, name="contact_spam"),
]
