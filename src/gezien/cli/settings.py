"""The desk's settings: `gezien settings show|set KEY VALUE|reset KEY` (README "Settings")."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gezien.cli._base import setup


def cmd_settings_show(args: argparse.Namespace) -> int:
    setup()
    import json

    from gezien.desksettings.selectors import settings_shown

    for setting in settings_shown():
        where = "desk" if setting.saved else f"default ({setting.env or 'none'})"
        print(f"{setting.key} = {json.dumps(setting.value, ensure_ascii=False)}  [{where}]")
    return 0


def _save(changes: dict[str, Any]) -> int:
    from gezien.core.errors import DomainError
    from gezien.desksettings.services import settings_save

    try:
        changed = settings_save(changes=changes, actor_id=None, actor_name="cli", source="cli")
    except DomainError as exc:
        print(f"{exc.field or 'settings'}: {exc.message}", file=sys.stderr)
        return 2
    print(", ".join(changed) + ": saved" if changed else "unchanged")
    return 0


def cmd_settings_set(args: argparse.Namespace) -> int:
    """VALUE is JSON where the setting takes a number, a map or a list; a plain word otherwise."""
    setup()
    import json

    try:
        value = json.loads(args.value)
    except ValueError:
        value = args.value
    return _save({args.key: value})


def cmd_settings_reset(args: argparse.Namespace) -> int:
    setup()
    return _save({args.key: None})


def add(sub: Any) -> None:
    settings = sub.add_parser("settings", help="the desk's settings (opening hours, surveys, ...)")
    settings_sub = settings.add_subparsers(dest="settings_command", required=True)
    settings_sub.add_parser(
        "show", help="every setting, and whether the desk or the default gives it"
    ).set_defaults(func=cmd_settings_show)
    change = settings_sub.add_parser("set", help="save a value (JSON for numbers, maps and lists)")
    change.add_argument("key")
    change.add_argument("value")
    change.set_defaults(func=cmd_settings_set)
    reset = settings_sub.add_parser("reset", help="back to the environment's default")
    reset.add_argument("key")
    reset.set_defaults(func=cmd_settings_reset)
