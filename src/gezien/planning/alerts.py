"""The forecast's alert to scale up, told to the team leads once a day: the gaps of today (from now on)
and tomorrow per channel, as a `capacity` notification. `CapacityNotice` (unique per person and day)
makes sure nobody hears it twice a day, also when two workers tick at once.

The job runs on the insights tick; until someone has been told today it looks again at most every
`CHECK_EVERY` (the plans of two days for every channel), so a gap made at noon is still told that day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gezien.accounts.models import Role, User
from gezien.contacts.models import Channel
from gezien.notifications.kinds import kind_register
from gezien.notifications.models import Notification
from gezien.planning.models import CapacityNotice
from gezien.planning.plan import GapRange, plans_for_days, scale_up
from gezien.planning.selectors import CHANNELS

ALERT_FROM_HOUR = 6  # local time: nobody is told about the day at night
CHECK_EVERY = timedelta(minutes=15)
TEXT_LIMIT = 300

CAPACITY_KIND = kind_register("capacity", gettext_lazy("Bezetting"))


@dataclass(frozen=True)
class ChannelGaps:
    day: date
    channel: str
    ranges: tuple[GapRange, ...]


def upcoming_gaps(days: list[date], now: datetime) -> list[ChannelGaps]:
    """The short ranges per day and channel, leaving out intervals already past."""
    found = []
    for channel in CHANNELS:
        for plan in plans_for_days(days, channel, now=now):
            ahead = scale_up([i for i in plan.intervals if not i.past])
            if ahead:
                found.append(ChannelGaps(plan.day, channel, ahead.ranges))
    return found


def _channel_text(gaps: ChannelGaps) -> str:
    name = Channel(gaps.channel).label.lower()
    if len(gaps.ranges) <= 2:
        ranges = ", ".join(
            _("%(range)s (%(n)s extra)") % {"range": r.label, "n": r.extra} for r in gaps.ranges
        )
        return f"{name} {ranges}"
    return _("%(channel)s %(count)s tijdvakken (tot %(n)s extra)") % {
        "channel": name,
        "count": len(gaps.ranges),
        "n": max(r.extra for r in gaps.ranges),
    }


def alert_text(gaps: list[ChannelGaps], today: date) -> str:
    """ "Te weinig mensen ingeroosterd volgens de prognose. Vandaag: telefoon 08:00–11:00 (4 extra).
    Morgen: ..." (at most 300 characters)."""
    lines = [_("Te weinig mensen ingeroosterd volgens de prognose.")]
    for label, items in (
        (_("Vandaag"), [g for g in gaps if g.day == today]),
        (_("Morgen"), [g for g in gaps if g.day != today]),
    ):
        if items:
            lines.append(f"{label}: " + "; ".join(_channel_text(g) for g in items) + ".")
    text = " ".join(lines)
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _cache_key(today: date) -> str:
    return f"planning:capacity-checked:{today.isoformat()}"


def capacity_alerts_tick(now: datetime) -> int:
    """Tell every team lead not yet told today about today's and tomorrow's gaps. Returns how many
    were told."""
    local = timezone.localtime(now)
    today = local.date()
    if local.hour < ALERT_FROM_HOUR:
        return 0
    leads = User.objects.filter(is_active=True, groups__name=Role.TEAMLEAD).distinct()
    waiting = list(leads.exclude(pk__in=CapacityNotice.objects.filter(day=today).values("recipient_id")))
    if not waiting or cache.get(_cache_key(today)):
        return 0
    gaps = upcoming_gaps([today, today + timedelta(days=1)], now)
    if not gaps:
        cache.set(_cache_key(today), True, CHECK_EVERY.total_seconds())
        return 0
    with translation.override(settings.LANGUAGE_CODE):  # stored: in the desk's language, whoever reads it
        text = alert_text(gaps, today)
    first = gaps[0]  # the plan to open: the first short day and channel
    link = f"{reverse('desk:planning')}?{urlencode({'day': first.day.isoformat(), 'channel': first.channel})}"
    told = 0
    for lead in waiting:
        try:
            with transaction.atomic():
                CapacityNotice.objects.create(recipient=lead, day=today)
                Notification.objects.create(recipient=lead, kind=CAPACITY_KIND, text=text, link=link)
        except IntegrityError:  # another worker told them just now
            continue
        told += 1
    return told
