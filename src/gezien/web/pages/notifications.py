"""The notifications page (/desk/notifications/): notifications grouped by kind, each kind's newest on
the overview or one kind paged, beside the warm transfers and incidents that concern the reader."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from django.core.paginator import Page
from django.db.models import Count, Q
from django.utils import timezone

from gezien.accounts.models import User
from gezien.assist import selectors
from gezien.assist.models import Incident, WarmTransfer
from gezien.notifications.kinds import NOTIFICATION_KINDS
from gezien.notifications.models import Notification
from gezien.notifications.selectors import notifications_for
from gezien.web.pages.shapes import Label, paged

NOTIFICATIONS_PER_KIND = 10  # on the overview, the newest of each kind
NOTIFICATIONS_PAGE = 30  # one kind, paged
INCIDENTS_SHOWN = 50


class Section(TypedDict):
    kind: str
    label: Label
    items: list[Notification]
    total: int
    unread: int


class NotificationsPage(TypedDict):
    sections: list[Section]
    page: Page[Notification] | None  # when one kind is shown
    kind: str | None
    tabs: list[tuple[str, Label, int]]  # (kind, label, unread) for each kind with notifications
    unread_here: int
    transfers: list[WarmTransfer]
    incidents: list[Incident]
    now: datetime


def _counts(user: User) -> dict[str, list[int]]:
    """[total, unread] per notification kind (every registered kind, zero when none)."""
    counts: dict[str, list[int]] = {k.code: [0, 0] for k in NOTIFICATION_KINDS.kinds()}
    for value, total, unread in (
        Notification.objects.filter(recipient=user)
        .values("kind")
        .annotate(total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))
        .values_list("kind", "total", "unread")
    ):
        counts[value] = [total, unread]
    return counts


def notifications_page(user: User, kind: str | None, page_number: str | None) -> NotificationsPage:
    """`user`'s notifications: every kind's newest, or (`kind`) that kind paged."""
    counts = _counts(user)
    page = None
    sections: list[Section] = []
    for value in [kind] if kind else list(counts):
        total, unread = counts[value]
        if not total:
            continue
        rows = notifications_for(user).filter(kind=value)
        if kind:
            page = paged(rows, page_number, NOTIFICATIONS_PAGE)
            items = list(page.object_list)
        else:
            items = list(rows[:NOTIFICATIONS_PER_KIND])
        label = NOTIFICATION_KINDS.label(value)
        sections.append({"kind": value, "label": label, "items": items, "total": total, "unread": unread})
    return {
        "sections": sections,
        "page": page,
        "kind": kind,
        "tabs": [(value, NOTIFICATION_KINDS.label(value), n[1]) for value, n in counts.items() if n[0]],
        "unread_here": counts[kind][1] if kind else sum(unread for _total, unread in counts.values()),
        "transfers": list(selectors.transfers_for(user).select_related("contact__customer")),
        "incidents": list(
            selectors.incidents_visible_to(user).select_related("contact__customer")[:INCIDENTS_SHOWN]
        ),
        "now": timezone.now(),
    }
