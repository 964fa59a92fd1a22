"""The skills routing asks for (gevoelige gesprekken, klachten) and one more every desk has (techniek)."""

from django.db import migrations

SKILLS = [
    ("gevoelige_gesprekken", "Gevoelige gesprekken"),
    ("klachten", "Klachten en boze klanten"),
    ("techniek", "Techniek"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    Skill = apps.get_model("routing", "Skill")
    for code, name in SKILLS:
        Skill.objects.get_or_create(code=code, defaults={"name": name})


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Only what this migration added and nobody has given to an agent since.
    Skill = apps.get_model("routing", "Skill")
    Skill.objects.filter(code__in=[code for code, _name in SKILLS], profiles__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
