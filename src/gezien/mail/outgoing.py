"""Replies that leave by e-mail: the sender for channel `email` (registered in `MailConfig.ready()`),
the automatic acknowledgement of a new e-mail contact, and sending a failed mail again.

An agent's reply on an e-mail contact is queued in the reply's own transaction: its `OutgoingMail` (the
mailbox it leaves from, the customer's address, the threading headers, the subject with the contact
token) and its `Delivery` (queued) commit with the message or not at all. After the commit the mail is
sent by the task queue (`gezien.mail.tasks`), or right away where no worker runs (SQLite); the periodic
job in `gezien.mail.delivery` picks up whatever a stopped process left queued.

Which mailbox: the one the customer's last mail came in on, else the contact's team's, else the default
(`GEZIEN_MAIL_DEFAULT_MAILBOX`, else the oldest active one); only active mailboxes with SMTP count."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.accounts.models import User
from gezien.contacts import services as contact_services
from gezien.contacts.addressing import contact_address
from gezien.contacts.attachments import attachments_link
from gezien.contacts.models import (
    EVENT_KINDS,
    Attachment,
    Author,
    Channel,
    Contact,
    Delivery,
    DeliveryStatus,
    Message,
)
from gezien.contacts.sending import ReplyExtras
from gezien.core.errors import Conflict, Invalid
from gezien.customers.identities import InvalidIdentity, normalise_email
from gezien.customers.models import Identity
from gezien.desksettings.store import desk_setting
from gezien.mail.delivery import delivery_send
from gezien.mail.intake import IngestResult
from gezien.mail.mime import references_of, reply_subject, thread_references
from gezien.mail.models import InboundMail, Mailbox, Outcome, OutgoingMail
from gezien.mail.sender import mail_sender_submit
from gezien.mail.tasks import mail_send_task
from gezien.mailparse import token_subject

logger = logging.getLogger(__name__)

MAX_CC = 20

# --- the expected answer time: insights.sla registers the provider (it sits above this app) ---------

AnswerExpected = Callable[[Contact, datetime], datetime | None]
_answer_expected: list[AnswerExpected] = []


def answer_expected_from(provider: AnswerExpected) -> None:
    """Register `provider(contact, now)`: when the customer of `contact` may expect an answer (None: no
    promise). The first provider with an answer is used (insights.sla registers the service level's)."""
    if provider not in _answer_expected:
        _answer_expected.append(provider)


def answer_expected(contact: Contact, now: datetime) -> datetime | None:
    for provider in _answer_expected:
        due = provider(contact, now)
        if due is not None:
            return due
    return None


# --- where a reply goes and how it threads ------------------------------------------------------------


def _usable(mailboxes: Iterable[Mailbox]) -> Mailbox | None:
    return next((m for m in mailboxes if m.active and m.smtp_url), None)


def _last_inbound(contact: Contact) -> InboundMail | None:
    return (
        InboundMail.objects.filter(contact=contact)
        .select_related("mailbox")
        .order_by("-received_at", "-id")
        .first()
    )


def mailbox_for(contact: Contact, last_inbound: InboundMail | None = None) -> Mailbox | None:
    """The mailbox a reply on `contact` leaves from (None: there is none that can send)."""
    if last_inbound is not None and _usable([last_inbound.mailbox]):
        return last_inbound.mailbox
    usable = Mailbox.objects.filter(active=True).exclude(smtp_url="").order_by("created_at", "id")
    if contact.team_id is not None:
        found = usable.filter(team_id=contact.team_id).first()
        if found is not None:
            return found
    if settings.GEZIEN_MAIL_DEFAULT_MAILBOX:
        return usable.filter(name=settings.GEZIEN_MAIL_DEFAULT_MAILBOX).first()
    return usable.first()


def _email(value: str) -> str | None:
    try:
        return normalise_email(value).value
    except InvalidIdentity:
        return None


def recipient_for(contact: Contact, last_inbound: InboundMail | None = None) -> str | None:
    """The customer's address: the contact's own e-mail identity, else the sender of their last mail,
    else the newest e-mail address of the linked customer."""
    if contact.identity_kind == "email" and contact.identity_value:
        found = _email(contact.identity_value)
        if found:
            return found
    if last_inbound is not None and last_inbound.from_address:
        found = _email(last_inbound.from_address)
        if found:
            return found
    if contact.customer_id is not None:
        values = Identity.objects.filter(customer_id=contact.customer_id, kind="email").order_by("-id")
        for value in values.values_list("value", flat=True):
            found = _email(value)
            if found:
                return found
    return None


def _thread(contact: Contact, last_inbound: InboundMail | None) -> tuple[str, str, str]:
    """(In-Reply-To, References, subject without token) for the next mail on `contact`: answering the
    customer's last mail, else following our own last mail, else starting from the contact's subject."""
    answered = None
    if last_inbound is not None and last_inbound.header_id:
        answered = last_inbound
    else:
        answered = (
            InboundMail.objects.filter(contact=contact)
            .exclude(header_id="")
            .order_by("-received_at", "-id")
            .first()
        )
    if answered is not None:
        references = thread_references(references_of(bytes(answered.raw)), answered.header_id)
        return answered.header_id, references, reply_subject(answered.subject or contact.subject)
    ours = OutgoingMail.objects.filter(message__contact=contact).order_by("-created_at", "-id").first()
    if ours is not None:
        return ours.header_id, thread_references(ours.references.split(), ours.header_id), ours.subject
    if contact.subject:
        return "", "", contact.subject
    with translation.override("nl"):  # the customer reads Dutch, whatever the agent's screen
        return "", "", _("Uw bericht aan %(name)s") % {"name": desk_setting("organisation_name")}


def _header_id(message: Message, mailbox: Mailbox) -> str:
    domain = mailbox.address.rpartition("@")[2] or "localhost"
    return f"{uuid.uuid4().hex}.{message.pk}@{domain}"


def _queue(
    message: Message,
    *,
    mailbox: Mailbox,
    to: str,
    cc: Sequence[str],
    kind: str,
    last_inbound: InboundMail | None,
) -> OutgoingMail:
    contact = message.contact
    in_reply_to, references, subject = _thread(contact, last_inbound)
    outgoing = OutgoingMail.objects.create(
        message=message,
        mailbox=mailbox,
        kind=kind,
        header_id=_header_id(message, mailbox),
        in_reply_to=in_reply_to,
        references=references,
        to_address=to,
        cc=list(cc),
        subject=token_subject(subject, contact.pk)[:998],
    )
    delivery = Delivery.objects.create(
        message=message, channel=Channel.EMAIL, status=DeliveryStatus.QUEUED, next_attempt_at=timezone.now()
    )
    transaction.on_commit(partial(delivery_dispatch, delivery.pk))
    return outgoing


def mail_queue(message: Message, *, mailbox: Mailbox, to: str) -> OutgoingMail:
    """Queue `message` (a system message another channel sends by mail, e.g. a chat transcript) from
    `mailbox` to `to`, in the caller's transaction: sent after the commit like any reply."""
    return _queue(message, mailbox=mailbox, to=to, cc=(), kind=OutgoingMail.Kind.REPLY, last_inbound=None)


def delivery_dispatch(delivery_id: int) -> None:
    """After the commit: hand it to this process's sender thread where one runs (`gezien serve` where no
    worker runs, `gezien.mail.sender`: the request does not wait for the SMTP server), else send it now
    where no worker runs (`GEZIEN_ANALYSIS_INLINE`: a script, `gezien demo-data`), else hand it to the
    task queue. Whatever goes wrong here, the delivery stays queued for the tick."""
    try:
        if mail_sender_submit(delivery_id):
            return
        if settings.GEZIEN_ANALYSIS_INLINE:
            delivery_send(delivery_id)
        else:
            mail_send_task.enqueue(delivery_id)
    except Exception:
        logger.exception("Delivery %s stays queued for the periodic job.", delivery_id)


# --- the sender for channel email -------------------------------------------------------------------


def cc_clean(addresses: Iterable[str]) -> tuple[str, ...]:
    """CC addresses, normalised and without doubles; `Invalid` (field `cc`) for one that is not one."""
    found: list[str] = []
    for raw in addresses:
        text = str(raw).strip()
        if not text:
            continue
        try:
            value = normalise_email(text).value
        except InvalidIdentity:
            raise Invalid(
                _("Dit is geen e-mailadres: %(value)s") % {"value": text[:60]}, field="cc"
            ) from None
        if value not in found:
            found.append(value)
    if len(found) > MAX_CC:
        raise Invalid(_("Hooguit %(n)d adressen in CC.") % {"n": MAX_CC}, field="cc")
    return tuple(found)


def reply_extras(
    *, contact: Contact, cc: Iterable[str] = (), attachment_ids: Iterable[int] = ()
) -> ReplyExtras:
    """What an agent adds to a reply, checked: real addresses, attachments uploaded to this contact that
    belong to no message yet. Raises `Invalid` naming the field at fault."""
    ids = list(dict.fromkeys(int(i) for i in attachment_ids))
    attachments = list(Attachment.objects.filter(pk__in=ids)) if ids else []
    known = {a.pk for a in attachments}
    missing = [i for i in ids if i not in known]
    if missing:
        raise Invalid(_("Onbekende bijlage: %(id)s") % {"id": missing[0]}, field="attachment_ids")
    _check_attachments(contact, attachments)
    attachments.sort(key=lambda a: ids.index(a.pk))
    return ReplyExtras(cc=cc_clean(cc), attachments=tuple(attachments))


def _check_attachments(
    contact: Contact, attachments: Iterable[Attachment], message: Message | None = None
) -> None:
    for attachment in attachments:
        if attachment.contact_id != contact.pk:
            raise Invalid(
                _("Bijlage %(id)s hoort bij een ander contact.") % {"id": attachment.pk},
                field="attachment_ids",
            )
        if attachment.message_id is not None and (message is None or attachment.message_id != message.pk):
            raise Invalid(
                _("Bijlage %(id)s is al met een ander bericht verstuurd.") % {"id": attachment.pk},
                field="attachment_ids",
            )


def email_reply(message: Message, extras: ReplyExtras) -> None:
    """The sender for channel `email`, called inside the reply's transaction: queue its mail, or refuse
    the reply (`Invalid`, and the transaction writes nothing) when it cannot leave."""
    contact = message.contact
    cc = cc_clean(extras.cc)
    _check_attachments(contact, extras.attachments, message)
    last_inbound = _last_inbound(contact)
    mailbox = mailbox_for(contact, last_inbound)
    if mailbox is None:
        raise Invalid(
            _(
                "Dit antwoord kan niet per e-mail weg: er is geen actieve mailbox met een SMTP-server. "
                "Vraag een beheerder een mailbox in te stellen."
            ),
            field="text",
        )
    to = recipient_for(contact, last_inbound)
    if to is None:
        raise Invalid(
            _("Dit antwoord kan niet per e-mail weg: van deze klant is geen e-mailadres bekend."),
            field="text",
        )
    if extras.attachments:
        attachments_link(contact=contact, message=message, attachment_ids=[a.pk for a in extras.attachments])
    _queue(message, mailbox=mailbox, to=to, cc=[a for a in cc if a != to], kind=OutgoingMail.Kind.REPLY,
           last_inbound=last_inbound)  # fmt: skip


RESEND_EVENT = EVENT_KINDS.register("mail_resend", gettext_lazy("E-mail opnieuw verstuurd"))


@transaction.atomic
def delivery_retry(*, message: Message, actor: User | None = None) -> Delivery:
    """Send a failed mail again ("Opnieuw versturen"): queued, its attempts counted from zero, and written
    in the contact's history (who, which message, the error it had)."""
    delivery = Delivery.objects.select_for_update().filter(message=message).first()
    if delivery is None or delivery.channel != Channel.EMAIL:
        raise Conflict(_("Dit bericht wordt niet per e-mail verstuurd."), field="message")
    if delivery.status != DeliveryStatus.FAILED:
        raise Conflict(_("Alleen een mislukte verzending kan opnieuw."), field="message")
    now = timezone.now()
    delivery.status = DeliveryStatus.QUEUED
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.finished_at = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "finished_at", "updated_at"])
    contact_services.contact_event_add(
        contact=message.contact, kind=RESEND_EVENT, actor=actor, message=message.pk, error=delivery.last_error
    )
    transaction.on_commit(partial(delivery_dispatch, delivery.pk))
    return delivery


# --- the automatic acknowledgement -------------------------------------------------------------------


def _when(due: datetime) -> str:
    local = timezone.localtime(due)
    today = timezone.localdate()
    if local.date() == today:
        day = _("vandaag")
    elif local.date() == today + timedelta(days=1):
        day = _("morgen")
    else:
        day = formats.date_format(local, "l j F")
    return _("%(day)s om %(time)s") % {"day": day, "time": local.strftime("%H:%M")}


def acknowledgement_text(
    contact: Contact,
    *,
    due: datetime | None,
    signature_name: str,
    sender_name: str = "",
    language: str = "nl",
) -> str:
    """A short acknowledgement in the customer's register ("u" or "je"), in Dutch unless `language`
    says otherwise; `sender_name`: the name the customer gave, for a customer we do not know yet."""
    choice = contact_address(contact)
    if not choice.name and sender_name:
        choice = replace(choice, name=" ".join(sender_name.split())[:100])
    with translation.override(language):
        if choice.address == "je":
            first = contact.customer.first_name if contact.customer is not None else choice.name.split(" ")[0]
            name = choice.name if choice.source == "remembered" else first
            lines = [
                _("Hoi %(name)s,") % {"name": name} if name else _("Hoi,"),
                "",
                _("Bedankt voor je bericht! We hebben het goed ontvangen (nummer %(number)s).")
                % {"number": contact.pk},
                _("Je hoort uiterlijk %(when)s van ons.") % {"when": _when(due)}
                if due
                else _("We antwoorden je zo snel mogelijk."),
                _("Wil je nog iets aanvullen? Antwoord dan gewoon op deze e-mail."),
                "",
                _("Groeten,"),
            ]
        else:
            lines = [
                _("Beste %(name)s,") % {"name": choice.name} if choice.name else _("Goedendag,"),
                "",
                _("Hartelijk dank voor uw bericht. Wij hebben het goed ontvangen (nummer %(number)s).")
                % {"number": contact.pk},
                _("U krijgt uiterlijk %(when)s antwoord van ons.") % {"when": _when(due)}
                if due
                else _("Wij antwoorden u zo snel mogelijk."),
                _("Wilt u nog iets aanvullen? Beantwoord dan deze e-mail."),
                "",
                _("Met vriendelijke groet,"),
            ]
        return "\n".join([*lines, signature_name])


def _acknowledge_once(
    contact: Contact,
    mailbox: Mailbox,
    *,
    to: str,
    sender_name: str,
    language: str = "nl",
    last_inbound: InboundMail | None = None,
) -> Message | None:
    """The acknowledgement itself, at most once per address per day: a system message on the contact,
    queued as an auto-reply from `mailbox`. None when this address had one today already."""
    now = timezone.now()
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        # One at a time per mailbox, so two mails from one sender at once get one acknowledgement.
        list(Mailbox.objects.select_for_update().filter(pk=mailbox.pk).values_list("pk", flat=True))
        if OutgoingMail.objects.filter(
            kind=OutgoingMail.Kind.ACKNOWLEDGEMENT, to_address=to, created_at__gte=day_start
        ).exists():
            return None
        text = acknowledgement_text(
            contact,
            due=answer_expected(contact, now),
            signature_name=mailbox.name,
            sender_name=sender_name,
            language=language,
        )
        message = contact_services.message_add(contact=contact, author=Author.SYSTEM, text=text)
        _queue(
            message,
            mailbox=mailbox,
            to=to,
            cc=(),
            kind=OutgoingMail.Kind.ACKNOWLEDGEMENT,
            last_inbound=last_inbound,
        )
    return message


def acknowledge(contact: Contact, inbound: InboundMail) -> Message | None:
    """Acknowledge a new e-mail contact when its mailbox asks for it (`auto_acknowledge`), at most once
    per sender per day: a system message on the contact, sent as an auto-reply. Called by the intake
    after it opened the contact; returns the message, or None when no acknowledgement is due."""
    mailbox = inbound.mailbox
    if not (mailbox.auto_acknowledge and mailbox.active and mailbox.smtp_url):
        return None
    to = _email(inbound.from_address) if inbound.from_address else None
    if to is None or Mailbox.objects.filter(address__iexact=to).exists():  # never to ourselves
        return None
    return _acknowledge_once(
        contact, mailbox, to=to, sender_name=getattr(inbound, "from_name", ""), last_inbound=inbound
    )


def acknowledge_processed(inbound: InboundMail, result: IngestResult) -> None:
    """The intake's listener (`intake.on_mail_processed`, after the mail's commit): acknowledge a mail
    that opened a new contact. A failure is logged; the customer's mail is safe whatever happens here."""
    if result.outcome != Outcome.CONTACT or result.contact_id is None:
        return
    mailbox = inbound.mailbox  # the one the intake was given: no queries where nothing is acknowledged
    if not (mailbox.auto_acknowledge and mailbox.active and mailbox.smtp_url):
        return
    try:
        contact = Contact.objects.select_related("customer").get(pk=result.contact_id)
        acknowledge(contact, InboundMail.objects.select_related("mailbox").get(pk=inbound.pk))
    except Exception:
        logger.exception("No acknowledgement for mail %s.", inbound.pk)


def confirm_form(contact: Contact, *, to: str, name: str = "", language: str = "nl") -> Message | None:
    """Confirm a contact that came in through the web form to the address the customer gave, from the
    mailbox a reply would leave from (`GEZIEN_WEBFORM_MAILBOX`, else the contact's team's, else the
    default), in the caller's transaction: a system message on the contact, sent as an auto-reply after
    the commit. None, and nothing written, when no mailbox can send, the address is ours, or this
    address had a confirmation or acknowledgement today already (a form is no way to flood someone)."""
    address = _email(to)
    if address is None or Mailbox.objects.filter(address__iexact=address).exists():
        return None
    named = settings.GEZIEN_WEBFORM_MAILBOX
    mailbox = (_usable(Mailbox.objects.filter(name=named)) if named else None) or mailbox_for(contact)
    if mailbox is None:
        return None
    return _acknowledge_once(contact, mailbox, to=address, sender_name=name, language=language)
