"""Marking a notification read. Features write their notifications themselves, with a kind they
registered (`gezien.notifications.kinds`)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.core.errors import Forbidden
from gezien.notifications.models import Notification


def notification_read(*, notification: Notification, user: AbstractBaseUser) -> Notification:
    if notification.recipient_id != user.pk:
        raise Forbidden(_("Deze melding is voor iemand anders."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
