from django.db import migrations


def add_defaults(apps, schema_editor):
    from gezien.planning.models import DEFAULT_TARGETS

    ServiceTarget = apps.get_model("planning", "ServiceTarget")
    for channel, values in DEFAULT_TARGETS.items():
        ServiceTarget.objects.get_or_create(channel=channel, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
