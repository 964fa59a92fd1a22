"""What the settings area and `GET /api/settings` show: each setting's value, its default, where the value
comes from, and the recent changes from the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise

from gezien.audit.chain import audit_seal
from gezien.audit.models import AuditEntry
from gezien.desksettings.registry import DEFINITIONS, setting_text
from gezien.desksettings.store import desk_setting, desk_setting_saved


@dataclass(frozen=True)
class SettingShown:
    key: str
    group: str
    label: str | Promise
    help: str | Promise
    env: str  # the GEZIEN_* variable that gives the default ("" when there is none)
    value: Any  # as the API shows it
    default: Any
    saved: bool  # saved in the desk (else the default counts)
    value_text: str  # for people: one line
    default_text: str


def settings_values() -> dict[str, Any]:
    """Every setting's value as the API shows it."""
    return {key: d.shown(desk_setting(key)) for key, d in DEFINITIONS.items()}


def settings_shown() -> list[SettingShown]:
    return [
        SettingShown(
            key=key,
            group=d.group,
            label=d.label,
            help=d.help,
            env=d.env,
            value=d.shown(desk_setting(key)),
            default=d.shown(d.default()),
            saved=desk_setting_saved(key),
            value_text=setting_text(key, desk_setting(key)),
            default_text=setting_text(key, d.default()),
        )
        for key, d in DEFINITIONS.items()
    ]


def settings_changes(limit: int = 20) -> list[AuditEntry]:
    """The latest changes of the desk's settings, newest first (from the audit log)."""
    audit_seal()
    query = Q(action__in=("setting.change", "setting.reset")) | Q(object_type="service_target")
    return list(AuditEntry.objects.filter(query).order_by("-id")[:limit])
