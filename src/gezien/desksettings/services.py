"""Saving and resetting the desk's settings: every value checked before anything is written (one bad
value writes nothing), one transaction, and one audit entry per setting changed with its old and new
value ("setting.change", "setting.reset")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gezien.audit.log import audit_record
from gezien.core.errors import Invalid
from gezien.desksettings.models import DeskSetting
from gezien.desksettings.registry import DEFINITIONS, definition, setting_text
from gezien.desksettings.store import desk_setting, desk_settings_forget

_SHOWN_CHARS = 1000  # of a value in the audit log


def _shown(key: str, inside: Any) -> str:
    text = setting_text(key, inside)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def settings_save(
    *, changes: Mapping[str, Any], actor_id: int | None, actor_name: str, source: str
) -> list[str]:
    """Save `changes` (key -> value as the API takes it; None: back to the default, `settings_reset`);
    the keys whose value changed. An unknown key or a value that cannot be used raises `Invalid` naming
    it, and nothing is saved."""
    if not changes:
        raise Invalid(_("Geef minstens één instelling."))
    cleaned = {key: definition(key).clean(value) for key, value in changes.items() if value is not None}
    changed = []
    with transaction.atomic():
        resets = [key for key, value in changes.items() if value is None]
        changed += settings_reset(keys=resets, actor_id=actor_id, actor_name=actor_name, source=source)
        for key, stored in cleaned.items():
            before = desk_setting(key)
            after = DEFINITIONS[key].inside(stored)
            if after == before:  # the same as now (saved or the default): nothing to save or audit
                continue
            saved = DeskSetting.objects.filter(key=key).exists()
            DeskSetting.objects.update_or_create(
                key=key,
                defaults={"value": stored, "changed_by_id": actor_id, "changed_by_name": actor_name[:150]},
            )
            audit_record(
                action="setting.change",
                actor_id=actor_id,
                actor_name=actor_name,
                source=source,
                object_type="setting",
                object_id=key,
                details={"old": _shown(key, before), "new": _shown(key, after), "was_default": not saved},
            )
            changed.append(key)
    desk_settings_forget()
    return changed


def settings_reset(*, keys: Iterable[str], actor_id: int | None, actor_name: str, source: str) -> list[str]:
    """Back to the environment's default ("terug naar standaard"): the saved values of `keys` removed;
    the keys that had one."""
    keys = [definition(key).key for key in keys]
    reset = []
    with transaction.atomic():
        for key in keys:
            if not DeskSetting.objects.filter(key=key).exists():
                continue
            before = desk_setting(key)
            DeskSetting.objects.filter(key=key).delete()
            audit_record(
                action="setting.reset",
                actor_id=actor_id,
                actor_name=actor_name,
                source=source,
                object_type="setting",
                object_id=key,
                details={"old": _shown(key, before), "new": _shown(key, DEFINITIONS[key].default())},
            )
            reset.append(key)
    desk_settings_forget()
    return reset
