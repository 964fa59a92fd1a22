"""Reading a person's notifications."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from gezien.core.prepared import IdsQuery
from gezien.notifications.models import Notification


def notifications_for(user: AbstractBaseUser, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient_id=user.pk)
    return qs.filter(read_at__isnull=True) if unread_only else qs


# Prepared (`IdsQuery`): the top bar of every desk page counts them.
_UNREAD = IdsQuery(
    lambda ids: (
        Notification.objects.filter(recipient_id__in=ids, read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("n")
    )
)


def unread_count(user: AbstractBaseUser) -> int:
    counted = _UNREAD.column([user.pk]) if user.pk is not None else []
    return int(counted[0]) if counted else 0
