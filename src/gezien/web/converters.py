"""URL converters for the desk."""

from __future__ import annotations

from django.urls import register_converter


class DbIdConverter:
    """A database id: digits that fit in a signed 64-bit integer. Longer ones cannot exist, so 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


# Registered on import, before any view module builds its routes with `<id:...>`.
register_converter(DbIdConverter, "id")
