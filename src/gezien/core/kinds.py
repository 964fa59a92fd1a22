"""A registry of kinds that features add to a lower app's table (notification kinds, contact event
kinds): a short code stored in a plain column, and the label people read (Dutch, through gettext).
The lower app keeps no list of them, so a feature adding a kind needs no change or migration below."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise


class KindRegistry:
    def __init__(self, what: str, *, max_length: int) -> None:
        self.what = what
        self.max_length = max_length
        self._kinds: dict[str, Kind] = {}

    def register(self, code: str, label: str | Promise) -> str:
        """Register a kind (again: its label is replaced). Returns the code, for a constant."""
        if not code or len(code) > self.max_length or not code.isidentifier():
            raise ValueError(f"A {self.what} kind is a short identifier, not {code!r}.")
        self._kinds[code] = Kind(code, label)
        return code

    def label(self, code: str) -> str:
        """The label people read (the code itself for a kind no feature registers any more)."""
        kind = self._kinds.get(code)
        return str(kind.label) if kind else code

    def check(self, code: str) -> str:
        if code not in self._kinds:
            raise ValueError(f"No feature registered the {self.what} kind {code!r}.")
        return code

    def __contains__(self, code: object) -> bool:
        return code in self._kinds

    def kinds(self) -> list[Kind]:
        return list(self._kinds.values())
