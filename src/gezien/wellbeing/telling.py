"""How wellbeing tells people: texts that are stored (reasons, alerts, notifications) in the desk's own
language, the kind of notification wellbeing sends, and the page a notification about an agent leads to."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from gezien.notifications.kinds import kind_register

Fn = TypeVar("Fn", bound=Callable[..., Any])
WELLBEING_KIND = kind_register("wellbeing", gettext_lazy("Welzijn"))


def in_desk_language(fn: Fn) -> Fn:
    """Texts that are stored (reasons, alerts, notifications) are written in the desk's own language,
    whichever request or thread's language led to them: everyone reads them later."""

    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with translation.override(settings.LANGUAGE_CODE):
            return fn(*args, **kwargs)

    return cast("Fn", wrapped)


def agent_page(user_id: int) -> str:
    """The lead's page of this agent, where a notification about them leads."""
    return reverse("desk:wellbeing_agent", args=[user_id])
