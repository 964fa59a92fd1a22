"""What retention does on every insights tick (`gezien.core.tick`): catch up stale churn risks,
recompute every recent customer's risk once a day (evidence fades with time alone), and send last week's
digest to departments that have not had it (from Monday `DIGEST_HOUR` on; DigestLog keeps it to once)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from gezien.accounts.models import Department
from gezien.insights.retention.digest import digest_recipients, digest_send, last_week
from gezien.insights.retention.models import CustomerRisk, DigestLog
from gezien.insights.retention.risk import risks_catch_up, risks_refresh_all

DIGEST_HOUR = 7


def risks_tick(now: datetime) -> int:

    done = risks_catch_up(now=now)
    oldest = CustomerRisk.objects.order_by("computed_for").values_list("computed_for", flat=True).first()
    if oldest is not None and (now - oldest).total_seconds() > 86400:
        done += risks_refresh_all(now=now)
    return done


def digests_tick(now: datetime) -> int:
    """Send the digests that are due; departments without addresses are skipped quietly here (the
    command and the department page say why)."""
    local = timezone.localtime(now)
    if local.weekday() == 0 and local.hour < DIGEST_HOUR:
        return 0
    week = last_week(now)
    done = DigestLog.objects.filter(week_start=week).values_list("department_id", flat=True)
    sent = 0
    for department in Department.objects.exclude(pk__in=done).prefetch_related("owners"):
        if digest_recipients(department):
            sent += int(digest_send(department, week, now).sent)
    return sent
