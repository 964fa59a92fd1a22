"""Marking a notification read. Features write their notifications themselves, with a kind they
registered (`gezien.notifications.kinds`)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.core.errors import Forbidden, Invalid
from gezien.notifications.kinds import NOTIFICATION_KINDS
from gezien.notifications.models import Notification


def notification_read(*, notification: Notification, user: AbstractBaseUser) -> Notification:
    if notification.recipient_id != user.pk:
        raise Forbidden(_("Deze melding is voor iemand anders."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user: AbstractBaseUser, kind: str | None = None) -> int:
    """Mark every unread notification of `user` (of one kind, when given) read ("alles gelezen");
    how many were."""
    if kind is not None and kind not in NOTIFICATION_KINDS:
        raise Invalid(_("Onbekende soort melding: %(kind)s") % {"kind": kind[:20]}, field="kind")
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if kind is not None:
        unread = unread.filter(kind=kind)
    return unread.update(read_at=timezone.now())
