"""Template context every desk page needs."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.http import HttpRequest

from gezien.accounts.roles import user_role
from gezien.assist.selectors import unread_count
from gezien.web.navigation import menu
from gezien.wellbeing.selectors import prompt_for

if TYPE_CHECKING:
    from gezien.accounts.models import User


def my_state(user: User) -> object:
    """The top bar's state picker: the person's state now (None: not signed on, or no desk role)."""
    from gezien.presence.selectors import current_state

    if not user.has_perm("presence.set_own_state"):
        return None
    return current_state(user.pk) or False


def desk(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "organisation_name": settings.GEZIEN_ORGANISATION_NAME,
        "user_role": user_role(request.user) if hasattr(request, "user") else None,
        # Counted only when a page shows it (templates call callables).
        "unread_notifications": (lambda: unread_count(cast("User", user))) if signed_in else 0,
        "menu": (lambda: menu(user, request.path)) if signed_in else None,
        "wellbeing_prompt": (lambda: prompt_for(cast("User", user))) if signed_in else None,
        "my_state": (lambda: my_state(cast("User", user))) if signed_in else None,
    }
