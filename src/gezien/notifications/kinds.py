"""The registry of notification kinds: each feature registers the kinds it writes, with the label
people read: `TRANSFER = kind_register("transfer", gettext_lazy("Doorverbinden"))`."""

from __future__ import annotations

from gezien.core.kinds import KindRegistry

MAX_CODE = 20
NOTIFICATION_KINDS = KindRegistry("notification", max_length=MAX_CODE)

kind_register = NOTIFICATION_KINDS.register
kind_label = NOTIFICATION_KINDS.label
kind_check = NOTIFICATION_KINDS.check
kinds = NOTIFICATION_KINDS.kinds
