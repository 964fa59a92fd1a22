"""Getting a queued mail out: one attempt (`delivery_send`), claimed so that two workers never send the
same mail, with back-off after a temporary failure and the agent told when it fails for good; the
periodic job (`deliveries_due`) picks up retries that fell due and queued mails whose task was lost.

A delivery is claimed by moving its `next_attempt_at` a lease ahead: a process that stops mid-send leaves
it queued, and the periodic job tries it again once the lease ran out. Nothing queued is lost. The job
claims and loads its whole batch at once and sends it over one SMTP connection per server."""

from __future__ import annotations

import logging
import secrets
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
from gezien.mail.transport import Connections, SendFailure, mail_send
from gezien.notifications.kinds import kind_register
from gezien.notifications.models import Notification

logger = logging.getLogger(__name__)

MAIL_FAILED_KIND = kind_register("mail_failed", gettext_lazy("E-mail niet bezorgd"))
DUE_BATCH = 200


def retry_delays() -> list[timedelta]:
    """The wait after the 1st, 2nd, ... failed attempt (`GEZIEN_MAIL_RETRY_MINUTES`; the last repeats)."""
    minutes = [int(m) for m in str(settings.GEZIEN_MAIL_RETRY_MINUTES).split(",") if m.strip()] or [5]
    return [timedelta(minutes=max(0, m)) for m in minutes]


def _delay_after(attempts: int) -> timedelta:
    delays = retry_delays()
    return delays[min(max(attempts, 1), len(delays)) - 1]


def _claim(delivery_ids: list[int], now: datetime) -> list[Delivery]:
    """Claim the deliveries among `delivery_ids` that are queued and due, in one statement: their
    `next_attempt_at` moves to a lease end of this claim's own (a random microsecond on it), which then
    tells the rows this claim won from those another worker won. Returns them with their attempts."""
    if not delivery_ids:
        return []
    lease = timedelta(seconds=settings.GEZIEN_MAIL_LEASE_SECONDS)
    token = now + lease + timedelta(microseconds=secrets.randbelow(1_000_000))
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = Delivery.objects.filter(
        due, pk__in=delivery_ids, status=DeliveryStatus.QUEUED, channel=Channel.EMAIL
    ).update(next_attempt_at=token, attempts=F("attempts") + 1, updated_at=now)
    if not claimed:
        return []
    return list(
        Delivery.objects.filter(pk__in=delivery_ids, next_attempt_at=token, status=DeliveryStatus.QUEUED)
        .only("pk", "message_id", "attempts", "channel", "status")
        .order_by("next_attempt_at", "id")
    )


def _outgoing_of(deliveries: list[Delivery]) -> dict[int, OutgoingMail]:
    """The mails of claimed deliveries, by message id, with what building them reads (two queries)."""
    mails = (
        OutgoingMail.objects.filter(message_id__in=[d.message_id for d in deliveries])
        .select_related("mailbox", "message", "message__agent")
        .prefetch_related("message__attachments")
    )
    return {mail.message_id: mail for mail in mails}


def delivery_send(
    delivery_id: int, *, now: datetime | None = None, connections: Connections | None = None
) -> str | None:
    """One attempt at a queued e-mail delivery that is due. Returns its status afterwards, or None when
    it was not this call's to send (sent, failed, not due yet, or claimed by another worker).
    `connections`: SMTP connections a batch shares (`deliveries_due`)."""
    now = now or timezone.now()
    claimed = _claim([delivery_id], now)
    if not claimed:
        return None
    outgoing = _outgoing_of(claimed).get(claimed[0].message_id)
    return _attempt(claimed[0], outgoing, now, connections)


def _attempt(
    delivery: Delivery, outgoing: OutgoingMail | None, now: datetime, connections: Connections | None
) -> str:
    if outgoing is None:  # a delivery without its mail: nothing to send, ever
        return _failed(delivery, None, False, "no outgoing mail", permanent=True, now=now)
    delivery.message = outgoing.message
    built = not outgoing.raw
    try:
        raw = bytes(outgoing.raw or b"")
        if built:  # built once: a retry sends the very same bytes (same Message-ID, same Date)
            raw = mail_build(outgoing, now=now)
            outgoing.raw = raw
        server = server_parse(outgoing.mailbox.smtp_url, kind="smtp", mailbox=outgoing.mailbox.name)
        refused = mail_send(
            server,
            sender=outgoing.mailbox.address,
            recipients=[outgoing.to_address, *outgoing.cc],
            header_id=outgoing.header_id,
            raw=raw,
            connections=connections,
        )
    except SendFailure as failure:
        return _failed(delivery, outgoing, built, failure.answer, permanent=failure.permanent, now=now)
    except DomainError as error:  # the mailbox's SMTP address cannot be used: no retry mends that
        return _failed(delivery, outgoing, built, error.message, permanent=True, now=now)
    except Exception as error:  # a bug or a missing file: logged, tried again, failed after the last try
        logger.exception("Sending the mail of delivery %s failed.", delivery.pk)
        answer = f"{type(error).__name__}: {error}"
        return _failed(delivery, outgoing, built, answer, permanent=False, now=now)
    with transaction.atomic():
        if built:
            OutgoingMail.objects.filter(pk=outgoing.pk).update(raw=raw)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=None, last_error=refused, updated_at=now
        )
    return DeliveryStatus.SENT


def _failed(
    delivery: Delivery,
    outgoing: OutgoingMail | None,
    built: bool,
    answer: str,
    *,
    permanent: bool,
    now: datetime,
) -> str:
    attempts = delivery.attempts
    final = permanent or attempts >= settings.GEZIEN_MAIL_MAX_ATTEMPTS
    with transaction.atomic():
        if built and outgoing is not None and outgoing.raw:
            OutgoingMail.objects.filter(pk=outgoing.pk).update(raw=outgoing.raw)
        if not final:
            Delivery.objects.filter(pk=delivery.pk).update(
                next_attempt_at=now + _delay_after(attempts), last_error=answer[:2000], updated_at=now
            )
            return DeliveryStatus.QUEUED
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
    claimed = _claim(list(due), now)
    mails = _outgoing_of(claimed)
    connections = Connections()
    try:
        outcomes = [_attempt(d, mails.get(d.message_id), now, connections) for d in claimed]
    finally:
        connections.close()
    return outcomes.count(DeliveryStatus.SENT)
