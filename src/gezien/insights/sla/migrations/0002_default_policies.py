"""Sensible starting targets, in minutes of opening hours; managers change them in the desk or API."""

from django.db import migrations

# channel -> priority -> (first response, resolution); None: no target.
DEFAULTS = {
    "chat": {"normal": (2, 60), "high": (1, 30), "urgent": (1, 15)},
    "email": {"normal": (480, 2400), "high": (240, 960), "urgent": (60, 480)},
    "webform": {"normal": (480, 2400), "high": (240, 960), "urgent": (60, 480)},
    "phone": {"normal": (None, 480), "high": (None, 240), "urgent": (None, 120)},
}


def create(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    for channel, by_priority in DEFAULTS.items():
        for priority, (first_response, resolution) in by_priority.items():
            SlaPolicy.objects.get_or_create(
                channel=channel,
                priority=priority,
                defaults={"first_response_minutes": first_response, "resolution_minutes": resolution},
            )


def remove(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    for channel, by_priority in DEFAULTS.items():
        for priority, (first_response, resolution) in by_priority.items():
            SlaPolicy.objects.filter(
                channel=channel,
                priority=priority,
                first_response_minutes=first_response,
                resolution_minutes=resolution,
            ).delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
