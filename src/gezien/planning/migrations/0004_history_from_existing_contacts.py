"""Count the interval history of the contacts that were there before planning existed: every day with
contact facts is marked, and the tick builds its intervals (a few days per tick)."""

from django.db import migrations
from django.utils import timezone


def mark_days(apps, schema_editor):
    ContactFact = apps.get_model("insights", "ContactFact")
    HistoryStaleDay = apps.get_model("planning", "HistoryStaleDay")
    now = timezone.now()
    days = ContactFact.objects.order_by().values_list("day", flat=True).distinct()
    HistoryStaleDay.objects.bulk_create(
        [HistoryStaleDay(day=day, since=now) for day in days], ignore_conflicts=True, batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_forecast_history_shifts"),
        ("insights", "0003_rebuild_days_for_team_agent"),
    ]
    operations = [migrations.RunPython(mark_days, migrations.RunPython.noop)]
