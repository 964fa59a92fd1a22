"""The live queue asks for more people: on the tick, each team lead whose board needs more agents on a
channel than are there hears it (a `capacity` notification), at most once an hour per channel."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gezien.accounts.models import Role, User
from gezien.notifications.models import Notification
from gezien.planning.alerts import CAPACITY_KIND
from gezien.planning.live import LiveBoard, LiveScope, live_board

QUIET = timedelta(hours=1)


def _text(label: str, short: int, now_level: float, with_level: float) -> str:
    return ngettext(
        "Live %(channel)s: %(n)d medewerker extra nodig. "
        "Verwacht servicelevel nu %(now)s %%, met hen %(with)s %%.",
        "Live %(channel)s: %(n)d medewerkers extra nodig. "
        "Verwacht servicelevel nu %(now)s %%, met hen %(with)s %%.",
        short,
    ) % {"channel": label, "n": short, "now": f"{now_level * 100:.0f}", "with": f"{with_level * 100:.0f}"}


def live_scale_up_alerts(now: datetime) -> int:
    """Tell team leads when their live queue needs more people. Returns how many were told."""
    leads = User.objects.filter(is_active=True, groups__name=Role.TEAMLEAD, team__isnull=False).distinct()
    told = 0
    boards: dict[int, LiveBoard] = {}
    for lead in leads:
        team_id = lead.team_id
        if team_id is None:
            continue
        if team_id not in boards:
            boards[team_id] = live_board(LiveScope(team_id), now)
        for channel in boards[team_id].channels:
            up = channel.scale_up
            if up is None or up.short <= 0:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                prefix = _("Live %(channel)s:") % {"channel": channel.label}
                text = _text(channel.label, up.short, up.service_level_now, up.service_level_with)
            recent = Notification.objects.filter(
                recipient=lead,
                kind=CAPACITY_KIND,
                text__startswith=prefix,
                created_at__gte=now - QUIET,
            )
            if recent.exists():
                continue
            Notification.objects.create(
                recipient=lead, kind=CAPACITY_KIND, text=text[:300], link=reverse("desk:live")
            )
            told += 1
    return told
