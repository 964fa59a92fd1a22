"""Reading the demo's data files (`gezien/demo/data/*.toml`) into typed values, with clear errors.

`Table` wraps one TOML table of one file and hands out its fields by type: a missing field, a field of
the wrong type, a value outside its choices and a field nobody asked for all raise `DemoDataError`
naming the file and the path to the field (`scripts/mail.toml: script[3] "letter_billing".turn[2]:
...`). Pure Python, no Django: the generator reads its scripts through it.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Collection, Iterable
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

_REQUIRED: object = object()


class DemoDataError(ValueError):
    """A demo data file that does not fit its schema: says which file and which field."""

    def __init__(self, file: str, where: str, problem: str) -> None:
        self.file = file
        self.where = where
        super().__init__(f"demo data {file}: {where}: {problem}" if where else f"demo data {file}: {problem}")


def read_file(name: str, data_dir: Path = DATA_DIR) -> Table:
    """The top-level table of data file `name` (relative to the data directory, e.g. "people.toml")."""
    path = data_dir / name
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise DemoDataError(name, "", "the file is missing") from None
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(name, "", f"not valid TOML ({error})") from None
    return Table(data, name, "")


def _kind(value: object) -> str:
    return {
        str: "a string",
        int: "a whole number",
        float: "a number",
        bool: "true/false",
        list: "a list",
    }.get(type(value), "a table" if isinstance(value, dict) else type(value).__name__)


class Table:
    """One table of a data file. Read every field through the typed getters, then call `done()`."""

    def __init__(self, data: dict[str, object], file: str, where: str) -> None:
        self.data = data
        self.file = file
        self.where = where
        self.read: set[str] = set()

    def error(self, field: str, problem: str) -> DemoDataError:
        path = f"{self.where}.{field}" if self.where and field else self.where or field
        return DemoDataError(self.file, path, problem)

    def has(self, name: str) -> bool:
        return name in self.data

    def fields(self) -> list[str]:
        self.read.update(self.data)
        return list(self.data)

    def raw(self, name: str, default: object) -> object:
        self.read.add(name)
        if name in self.data:
            return self.data[name]
        if default is _REQUIRED:
            raise self.error(name, "missing")
        return default

    def text(self, name: str, default: object = _REQUIRED, choices: Collection[str] | None = None) -> str:
        value = self.raw(name, default)
        if not isinstance(value, str):
            raise self.error(name, f"expected a string, got {_kind(value)}")
        if choices is not None and value not in choices:
            raise self.error(name, f"{value!r} is not one of {', '.join(sorted(choices))}")
        return value

    def whole(self, name: str, default: object = _REQUIRED) -> int:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, f"expected a whole number, got {_kind(value)}")
        return value

    def number(self, name: str, default: object = _REQUIRED) -> float:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, f"expected a number, got {_kind(value)}")
        return value

    def flag(self, name: str, default: object = _REQUIRED) -> bool:
        value = self.raw(name, default)
        if not isinstance(value, bool):
            raise self.error(name, f"expected true or false, got {_kind(value)}")
        return value

    def texts(self, name: str, default: object = _REQUIRED, *, one_allowed: bool = False) -> tuple[str, ...]:
        """A list of strings; with `one_allowed`, a single string stands for a list of one."""
        value = self.raw(name, default)
        if one_allowed and isinstance(value, str):
            return (value,)
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            expected = "a string or a list of strings" if one_allowed else "a list of strings"
            raise self.error(name, f"expected {expected}, got {_kind(value)}")
        if one_allowed and not value and name in self.data:
            raise self.error(name, "is empty")
        return tuple(value)

    def pairs(self, name: str) -> tuple[tuple[str, float], ...]:
        """A list of [text, weight] pairs."""
        value = self.raw(name, _REQUIRED)
        ok = isinstance(value, list) and all(
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], int | float)
            and not isinstance(item[1], bool)
            for item in value
        )
        if not ok or not isinstance(value, list):
            raise self.error(name, f"expected a list of [text, weight] pairs, got {_kind(value)}")
        return tuple((item[0], item[1]) for item in value)

    def table(self, name: str) -> Table:
        value = self.raw(name, _REQUIRED)
        if not isinstance(value, dict):
            raise self.error(name, f"expected a table, got {_kind(value)}")
        return Table(value, self.file, f"{self.where}.{name}" if self.where else name)

    def tables(self, name: str, default: object = _REQUIRED) -> list[Table]:
        """An array of tables ([[name]] in the file); each one's path says its index."""
        value = self.raw(name, default)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.error(name, f"expected a list of tables ([[{name}]]), got {_kind(value)}")
        prefix = f"{self.where}.{name}" if self.where else name
        return [Table(item, self.file, f"{prefix}[{index}]") for index, item in enumerate(value)]

    def named(self, label: str) -> Table:
        """The same table, its path naming it too (`script[3] "letter_billing"`) for clearer errors."""
        self.where = f'{self.where} "{label}"'
        return self

    def done(self) -> None:
        """Every field must have been read: an unknown one is a typo or a field in the wrong place."""
        unknown = [key for key in self.data if key not in self.read]
        if unknown:
            raise self.error(unknown[0], "unknown field")


def check_slots(table: Table, field: str, texts: Iterable[str], allowed: Collection[str]) -> None:
    """Every `{slot}` in the texts must be one the generator fills, and the braces must be balanced."""
    for text in texts:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as error:
            raise table.error(field, f"broken {{slot}} in {text[:60]!r}: {error}") from None
        unknown = sorted(name for name in names if name not in allowed)
        if unknown:
            raise table.error(field, f"unknown slot {{{unknown[0]}}} in {text[:60]!r}")


def known(table: Table, field: str, value: str, allowed: Collection[str], what: str) -> str:
    if value not in allowed:
        raise table.error(field, f"{what} {value!r} does not exist")
    return value
