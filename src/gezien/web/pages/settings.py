"""The settings area (Meer > Instellingen, admins): the desk's settings by group with where each value
comes from, the service targets per channel, and the latest changes from the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from django.utils.functional import Promise

from gezien.audit.models import AuditEntry
from gezien.contacts.models import Channel
from gezien.desksettings.registry import GROUPS
from gezien.desksettings.selectors import SettingShown, settings_changes, settings_shown
from gezien.planning.selectors import Target, targets_by_channel


@dataclass(frozen=True)
class SettingsGroup:
    key: str
    label: str | Promise
    settings: list[SettingShown]
    form: Any  # the group's form (web.views.settings), bound when it was refused


@dataclass(frozen=True)
class TargetShown:
    channel: str
    label: str
    target: Target
    percent: int
    form: Any

    @property
    def occupancy_percent(self) -> int | None:
        occupancy = self.target.max_occupancy
        return round(occupancy * 100) if occupancy is not None else None


class SettingsPage(TypedDict):
    groups: list[SettingsGroup]
    targets: list[TargetShown]
    changes: list[AuditEntry]


def settings_page(forms: dict[str, Any], target_forms: dict[str, Any]) -> SettingsPage:
    shown = settings_shown()
    groups = [
        SettingsGroup(key, label, [s for s in shown if s.group == key], forms[key])
        for key, label in GROUPS.items()
    ]
    targets = [
        TargetShown(
            channel,
            str(Channel(channel).label),
            target,
            round(target.service_level * 100),
            target_forms[channel],
        )
        for channel, target in targets_by_channel().items()
    ]
    return {"groups": groups, "targets": targets, "changes": settings_changes()}
