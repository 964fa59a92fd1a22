"""The registry of notification kinds: each feature registers the kinds it writes, with the label
people read (Dutch, through gettext). Core names no feature: the kinds live with their features."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

MAX_CODE = 20


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str | Promise


_kinds: dict[str, NotificationKind] = {}


def kind_register(code: str, label: str | Promise) -> NotificationKind:
    """Register a kind (registering the same code again replaces its label). Returns it, so a feature
    can keep it as a constant: `TRANSFER = kind_register("transfer", _("Doorverbinden")).code`."""
    if not code or len(code) > MAX_CODE or not code.isidentifier():
        raise ValueError(f"A notification kind is a short identifier, not {code!r}.")
    kind = NotificationKind(code, label)
    _kinds[code] = kind
    return kind


def kind_label(code: str) -> str:
    """The label people read for a kind (the code itself for a kind no feature registers any more)."""
    kind = _kinds.get(code)
    return str(kind.label) if kind else code


def kinds() -> list[NotificationKind]:
    return list(_kinds.values())


def kind_check(code: str) -> str:
    if code not in _kinds:
        raise ValueError(f"No feature registered the notification kind {code!r}.")
    return code
