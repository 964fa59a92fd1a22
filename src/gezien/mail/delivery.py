"""Getting a queued mail out: one attempt (`delivery_send`), claimed so that two workers never send the
same mail, with back-off after a temporary failure and the agent told when it fails for good; the
periodic job (`deliveries_due`) picks up retries that fell due and queued mails whose task was lost.

A delivery is claimed by moving its `next_attempt_at` a lease ahead: a process that stops mid-send leaves
it queued, and the periodic job tries it again once the lease ran out. Nothing queued is lost."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.contacts.models import Channel, Delivery, DeliveryStatus
from gezien.core.errors import DomainError
from gezien.mail.mime import mail_build
from gezien.mail.models import OutgoingMail
from gezien.mail.servers import server_parse
from gezien.mail.transport import SendFailure, mail_send
from gezien.notifications.kinds import kind_register
from gezien.notifications.models import Notification

logger = logging.getLogger(__name__)

MAIL_FAILED_KIND = kind_register("mail_failed", gettext_lazy("E-mail niet bezorgd"))
LEASE = timedelta(minutes=10)  # longer than any one attempt (the SMTP timeout, a large attachment)
DUE_BATCH = 200


def retry_delays() -> list[timedelta]:
    """The wait after the 1st, 2nd, ... failed attempt (`GEZIEN_MAIL_RETRY_MINUTES`; the last repeats)."""
    minutes = [int(m) for m in str(settings.GEZIEN_MAIL_RETRY_MINUTES).split(",") if m.strip()] or [5]
    return [timedelta(minutes=max(0, m)) for m in minutes]


def _delay_after(attempts: int) -> timedelta:
    delays = retry_delays()
    return delays[min(max(attempts, 1), len(delays)) - 1]


def _claim(delivery_id: int, now: datetime) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        Delivery.objects.filter(
            due, pk=delivery_id, status=DeliveryStatus.QUEUED, channel=Channel.EMAIL
        ).update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1, updated_at=now)
    )


def delivery_send(delivery_id: int, *, now: datetime | None = None) -> str | None:
    """One attempt at a queued e-mail delivery that is due. Returns its status afterwards, or None when
    it was not this call's to send (sent, failed, not due yet, or claimed by another worker)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = Delivery.objects.select_related("message__contact", "message__agent").get(pk=delivery_id)
    outgoing = OutgoingMail.objects.select_related("mailbox", "message__agent").get(
        message_id=delivery.message_id
    )
    try:
        raw = bytes(outgoing.raw or b"")
        if not raw:  # built once: a retry sends the very same bytes (same Message-ID, same Date)
            raw = mail_build(outgoing, now=now)
            outgoing.raw = raw
            outgoing.save(update_fields=["raw"])
        server = server_parse(outgoing.mailbox.smtp_url, kind="smtp", mailbox=outgoing.mailbox.name)
        refused = mail_send(
            server,
            sender=outgoing.mailbox.address,
            recipients=[outgoing.to_address, *outgoing.cc],
            header_id=outgoing.header_id,
            raw=raw,
        )
    except SendFailure as failure:
        return _failed(delivery, failure.answer, permanent=failure.permanent, now=now)
    except DomainError as error:  # the mailbox's SMTP address cannot be used: no retry mends that
        return _failed(delivery, error.message, permanent=True, now=now)
    except Exception as error:  # a bug or a missing file: logged, tried again, failed after the last try
        logger.exception("Sending the mail of delivery %s failed.", delivery_id)
        return _failed(delivery, f"{type(error).__name__}: {error}", permanent=False, now=now)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT,
        sent_at=now,
        next_attempt_at=None,
        last_error=refused,
        updated_at=now,
    )
    return DeliveryStatus.SENT


def _failed(delivery: Delivery, answer: str, *, permanent: bool, now: datetime) -> str:
    attempts = delivery.attempts
    if not permanent and attempts < settings.GEZIEN_MAIL_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=now + _delay_after(attempts), last_error=answer[:2000], updated_at=now
        )
        return DeliveryStatus.QUEUED
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            finished_at=now,
            last_error=answer[:2000],
            updated_at=now,
        )
        _tell(delivery, _("Uw e-mail aan de klant is niet bezorgd: %(answer)s") % {"answer": answer})
    return DeliveryStatus.FAILED


def _tell(delivery: Delivery, text: str) -> None:
    """Tell the agent who wrote the message (else the contact's agent) that it did not arrive."""
    message = delivery.message
    recipient = message.agent or message.contact.assigned_agent
    if recipient is None:
        return
    Notification.objects.create(
        recipient=recipient,
        kind=MAIL_FAILED_KIND,
        text=text[:300],
        contact_id=message.contact_id,
        link=f"/desk/contacts/{message.contact_id}/#message-{message.pk}",
    )


def deliveries_due(now: datetime | None = None) -> int:
    """The periodic job: send the queued e-mails that are due (retries, and mails whose task was lost or
    whose sender stopped mid-send). Returns how many were sent."""
    now = now or timezone.now()
    due = (
        Delivery.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )
    return sum(1 for pk in list(due) if delivery_send(pk, now=now) == DeliveryStatus.SENT)
