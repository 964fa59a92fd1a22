"""Data: every day with figures is rebuilt on the next catch-up, so the new team×agent rollups exist."""

from django.db import migrations
from django.utils import timezone


def mark_days_stale(apps, schema_editor):
    ContactFact = apps.get_model("insights", "ContactFact")
    StaleDay = apps.get_model("insights", "StaleDay")
    now = timezone.now()
    days = ContactFact.objects.order_by().values_list("day", flat=True).distinct()
    StaleDay.objects.bulk_create([StaleDay(day=d, since=now) for d in days], ignore_conflicts=True, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("insights", "0002_team_agent_dimension_open_index")]

    operations = [migrations.RunPython(mark_days_stale, migrations.RunPython.noop)]
