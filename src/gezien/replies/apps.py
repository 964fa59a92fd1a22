from __future__ import annotations

import re
from typing import Any

from django.apps import AppConfig
from django.core import checks


class RepliesConfig(AppConfig):
    name = "gezien.replies"
    label = "replies"
    verbose_name = "Replies and macros"

    def ready(self) -> None:
        checks.register(order_number_pattern_check)


def order_number_pattern_check(**_: Any) -> list[checks.CheckMessage]:
    """A pattern that does not compile would leave {ordernummer} empty in every reply: say so at start."""
    from django.conf import settings

    pattern = getattr(settings, "GEZIEN_ORDER_NUMBER_PATTERN", "")
    try:
        re.compile(pattern)
    except re.error as exc:
        return [
            checks.Error(
                f"GEZIEN_ORDER_NUMBER_PATTERN is not a regular expression: {exc}",
                hint=r"For example \bVT\d{7}\b (the default).",
                id="gezien.replies.E001",
            )
        ]
    return []
