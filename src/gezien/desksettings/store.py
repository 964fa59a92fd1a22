"""The one accessor: `desk_setting(key)` is the value saved in the desk, else the environment's default.

Settings are read on hot paths (the chat widget's opening hours, routing's capacity, every link the API
answers with), so the saved values are kept per process: read in one query, then answered from memory.
A save or reset in this process forgets them at once (post_save/post_delete, connected in
`DeskSettingsConfig.ready`); another server process or worker reads them again within
`GEZIEN_SETTINGS_CACHE_SECONDS` (5 by default), as it sees a revoked API token or a changed role. Only the
saved values are kept: the defaults are read from the Django settings each time, so an override in a test
(`settings.GEZIEN_...`) counts while nothing is saved.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import DatabaseError

from gezien.desksettings.models import DeskSetting
from gezien.desksettings.registry import DEFINITIONS, Holiday, definition

_kept: dict[str, Any] = {}
_state = {"loaded": -1.0, "generation": 0}


def _loaded() -> dict[str, Any]:
    now = time.monotonic()
    seconds = getattr(settings, "GEZIEN_SETTINGS_CACHE_SECONDS", 5)
    if _state["loaded"] >= 0 and now - _state["loaded"] < seconds:
        return _kept
    generation = _state["generation"]
    try:
        rows = list(DeskSetting.objects.filter(key__in=DEFINITIONS).values_list("key", "value"))
    except DatabaseError:  # before `migrate` made the table (a command run on a new database)
        return {}
    values = {key: DEFINITIONS[key].inside(value) for key, value in rows}
    if generation == _state["generation"]:  # nothing was saved while reading
        _kept.clear()
        _kept.update(values)
        _state["loaded"] = now
    return values


def desk_setting(key: str) -> Any:
    """The value of a setting (`registry.DEFINITIONS`): saved in the desk, else its GEZIEN_* default."""
    values = _loaded()
    if key in values:
        return values[key]
    return definition(key).default()


def desk_setting_saved(key: str) -> bool:
    """Whether the desk holds a value of its own for `key` (else the environment's default counts)."""
    return key in _loaded()


def desk_settings_forget(**_kwargs: object) -> None:
    """Read the saved values again at the next use (after a save, a reset, a test's rollback)."""
    _state["generation"] += 1
    _state["loaded"] = -1.0
    _kept.clear()


def calendar_settings() -> tuple[str, str, tuple[Holiday, ...]]:
    """The working calendar's inputs (core.calendar.default_calendar): opening hours, the optional
    holidays that count, and the organisation's own days."""
    return desk_setting("opening_hours"), desk_setting("holidays_extra"), desk_setting("holidays")
