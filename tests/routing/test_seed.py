"""The data migration seeds the skills routing asks for; running it twice changes nothing."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

from gezien.routing.models import Skill


def test_the_skills_routing_needs_are_seeded_once(db: None) -> None:
    migration = import_module("gezien.routing.migrations.0002_seed_skills")
    Skill.objects.all().delete()
    migration.seed(apps, None)
    migration.seed(apps, None)
    assert dict(Skill.objects.values_list("code", "name")) == {
        "gevoelige_gesprekken": "Gevoelige gesprekken",
        "klachten": "Klachten en boze klanten",
        "techniek": "Techniek",
    }
    migration.unseed(apps, None)
    assert not Skill.objects.exists()
