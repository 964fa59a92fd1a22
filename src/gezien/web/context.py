"""Template context every desk page needs."""

from __future__ import annotations

from django.http import HttpRequest

from gezien.accounts.kept import groups_kept
from gezien.accounts.models import User
from gezien.desksettings.store import desk_setting
from gezien.notifications.selectors import unread_count
from gezien.presence.selectors import current_state
from gezien.web.navigation import menu
from gezien.wellbeing.selectors import prompt_for


def my_state(user: User) -> object:
    """The top bar's state picker: the person's state now (None: not signed on, or no desk role)."""
    if not user.has_perm("presence.set_own_state"):
        return None
    return current_state(user.pk) or False


def desk(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    me = user if isinstance(user, User) and user.is_authenticated else None
    if me is not None:
        # The role is asked here and again by the navigation's rules: its groups once per request at
        # most (kept for a few seconds, accounts.kept).
        groups_kept(me)
    return {
        "organisation_name": desk_setting("organisation_name"),
        "user_role": me.role if me is not None else None,
        # Counted only when a page shows it (templates call callables).
        "unread_notifications": (lambda: unread_count(me)) if me is not None else 0,
        # The menu: the pages this person may open (web.navigation, from the views' own rules).
        "menu": (lambda: menu(me, request.path)) if me is not None else None,
        "wellbeing_prompt": (lambda: prompt_for(me)) if me is not None else None,
        "my_state": (lambda: my_state(me)) if me is not None else None,
    }
