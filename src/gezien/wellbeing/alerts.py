"""Wellbeing alerts: a team lead hears when someone works too long without a break (one stretch, a day on
the queue, or a day with only a lunch break), once per stretch and once per person, day and kind; leads
say they saw it and acted. Care, never a sanction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from gezien.accounts.models import User
from gezien.assist.services import team_leads_for
from gezien.core.errors import Forbidden
from gezien.notifications.models import Notification
from gezien.presence.models import StateSpan
from gezien.wellbeing.models import WellbeingAlert, WellbeingPolicy
from gezien.wellbeing.selectors import LOOKBACK, Kind, alerts_for, crossings, days_for, policy
from gezien.wellbeing.stretches import day_start, local_day
from gezien.wellbeing.telling import WELLBEING_KIND, agent_page, in_desk_language


def _hm(minutes: float) -> str:
    whole = int(minutes)
    return _("%(h)s u %(m)02d m") % {"h": whole // 60, "m": whole % 60}


@in_desk_language
def alerts_raise(now: datetime, user_ids: Iterable[int] | None = None) -> list[WellbeingAlert]:
    """Raise the alerts of yesterday and today for everyone with a state in that time (or `user_ids`):
    once per stretch, and once per person, day and kind. Returns the alerts made."""
    rules = policy()
    today = local_day(now)
    yesterday = today - timedelta(days=1)
    if user_ids is None:
        since = day_start(yesterday) - LOOKBACK
        ids = sorted(
            set(
                StateSpan.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=since), started_at__lt=now)
                .values_list("user_id", flat=True)
                .distinct()
            )
        )
    else:
        ids = sorted(set(user_ids))
    if not ids:
        return []
    times = days_for(ids, yesterday, today, now, rules)
    people = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    made = []
    for user_id in ids:
        for time in times[user_id].values():
            for kind in crossings(time, rules):
                for alert in _alerts_of(people[user_id], kind, time, now, rules):
                    if _raise(alert):
                        made.append(alert)
    return made


def _alerts_of(
    user: User, kind: str, time: Any, now: datetime, rules: WellbeingPolicy
) -> list[WellbeingAlert]:
    who = user.display_name
    if kind == Kind.CONTINUOUS:
        alerts = []
        for stretch in time.stretches:
            if stretch.seconds <= rules.continuous_minutes * 60:
                continue
            since = time_format(timezone.localtime(stretch.start), "H:i")
            ongoing = stretch.end >= now
            text = (
                _("%(who)s werkt sinds %(since)s aan één stuk op de wachtrij (%(hm)s) zonder pauze.")
                if ongoing
                else _("%(who)s werkte vanaf %(since)s aan één stuk op de wachtrij (%(hm)s) zonder pauze.")
            ) % {"who": who, "since": since, "hm": _hm(stretch.minutes)}
            alerts.append(
                WellbeingAlert(
                    user=user,
                    kind=kind,
                    day=time.day,
                    key=stretch.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    minutes=int(stretch.minutes),
                    since=stretch.start,
                    text=text[:300],
                    raised_at=now,
                )
            )
        return alerts
    if kind == Kind.DAILY_QUEUE:
        text = _("%(who)s zat %(day)s %(hm)s op de wachtrij; het beleid is hoogstens %(max)s.") % {
            "who": who,
            "day": _day_words(time.day, now),
            "hm": _hm(time.queue_minutes),
            "max": _hm(rules.daily_queue_minutes),
        }
    else:
        text = _("%(who)s werkte %(day)s %(hm)s op de wachtrij zonder pauze buiten de lunch.") % {
            "who": who,
            "day": _day_words(time.day, now),
            "hm": _hm(time.queue_minutes),
        }
    return [
        WellbeingAlert(
            user=user,
            kind=kind,
            day=time.day,
            key=time.day.isoformat(),
            minutes=time.queue_minutes,
            text=text[:300],
            raised_at=now,
        )
    ]


def _day_words(day: Any, now: datetime) -> str:
    today = local_day(now)
    if day == today:
        return _("vandaag")
    if day == today - timedelta(days=1):
        return _("gisteren")
    return _("op %(d)s") % {"d": day.strftime("%d-%m")}


def _raise(alert: WellbeingAlert) -> bool:
    """Store the alert and tell the team leads, unless it was raised before."""
    if WellbeingAlert.objects.filter(user=alert.user, kind=alert.kind, key=alert.key).exists():
        return False
    try:
        with transaction.atomic():
            alert.save()
            Notification.objects.bulk_create(
                Notification(
                    recipient=lead,
                    kind=WELLBEING_KIND,
                    text=alert.text,
                    link=agent_page(alert.user_id),
                )
                for lead in team_leads_for(alert.user)
                if lead.pk != alert.user_id
            )
    except IntegrityError:  # raised at the same moment by another tick
        return False
    return True


def alert_acknowledge(*, alert: WellbeingAlert, actor: User) -> WellbeingAlert:
    """A team lead (or manager) says they saw it and acted; saying it again changes nothing."""
    if not (
        actor.has_perm("wellbeing.view_team_wellbeing") or actor.has_perm("wellbeing.view_all_wellbeing")
    ):
        raise Forbidden(_("Alleen teamleiders en managers zetten een signaal op gezien."))
    if not alerts_for(actor).filter(pk=alert.pk).exists():
        raise Forbidden(_("Dit signaal gaat over iemand buiten uw team."))
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return alert
