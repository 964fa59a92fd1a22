"""A small typed reader for settings from the environment (house style rule 6)."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path


class ConfigError(ValueError):
    """An environment variable holds a value the settings cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not an integer") from exc


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigError(f"{name}={raw!r} is not one of {', '.join(choices)}")
    return value


def env_url(name: str, default: str) -> str:
    """An absolute http(s) address without a trailing slash (links are made by appending a path)."""
    raw = os.environ.get(name, "").strip() or default
    scheme, sep, rest = raw.partition("://")
    host = rest.strip("/")
    if scheme.lower() not in ("http", "https") or not sep or not host or any(c.isspace() for c in raw):
        raise ConfigError(f"{name}={raw!r} is not an http(s) address such as https://desk.example.nl")
    return raw.rstrip("/")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_pairs(name: str) -> dict[str, str]:
    """ "key=value,key=value" (spaces around either trimmed); empty when unset."""
    pairs: dict[str, str] = {}
    for item in env_list(name, []):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigError(f"{name}: {item!r} is not key=value (e.g. gezien-managers=manager)")
        pairs[key.strip()] = value.strip()
    return pairs


def env_paths(name: str) -> tuple[Path, ...]:
    """Folders separated by ':' (as PATH), each made absolute; none when unset."""
    raw = os.environ.get(name, "")
    return tuple(Path(part.strip()).resolve() for part in raw.split(":") if part.strip())


def stored_secret_key(path: Path) -> str:
    """The key in `path`, made (readable by the owner only) if it is not there yet.

    Server processes start together: O_EXCL lets exactly one of them write it; the others read it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the writer may not have finished writing yet
            key = path.read_text(encoding="ascii").strip()
            if key:
                return key
            time.sleep(0.02)
        raise ConfigError(f"{path} is empty; remove it or set GEZIEN_SECRET_KEY") from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(handle, "w", encoding="ascii") as out:
        out.write(key)
    return key
