"""The desk's menu and landing page, derived from the views' own permission rules.

Every item points at a named URL; whether a person sees it is asked of the view behind that URL
(`view_allows`: the rule its `requires`/`allowed_when` decorators declared), so that nobody is offered a
page that answers 403 and the menu never keeps a list of permissions of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gezien.accounts.kept import kept
from gezien.web.views.common import view_allows


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    testid: str = ""
    # Only for views outside the desk that declare no rule of their own (Django's admin).
    check: Callable[[Any], bool] | None = None


def _staff(user: Any) -> bool:
    """Django's AdminSite.has_permission: an active staff member."""
    return bool(user.is_active and user.is_staff)


MAIN = (
    NavItem("desk:queue", _("Wachtrij")),
    NavItem("desk:incoming_call", _("Inkomend gesprek")),
    NavItem("desk:customers", _("Klanten")),
    NavItem("desk:notifications", _("Meldingen"), "notifications-link"),
    NavItem("desk:articles", _("Kennisbank")),
    NavItem("desk:insights", _("Inzichten"), "insights-link"),
    NavItem("desk:live", _("Live"), "live-link"),
    NavItem("desk:planning", _("Planning"), "planning-link"),
    NavItem("desk:wellbeing", _("Welzijn"), "wellbeing-link"),
    NavItem("desk:coaching", _("Coaching"), "coaching-link"),
)
# Used less often: behind "Meer", so that the bar stays one line.
MORE = (
    NavItem("desk:practice", _("Oefenruimte"), "practice-link"),  # main made a team lead's bar too wide
    NavItem("desk:macros", _("Standaardantwoorden")),
    NavItem("desk:routing_skills", _("Vaardigheden")),
    NavItem("desk:mailboxes", _("Mailboxen"), "mailboxes-link"),
    NavItem("desk:mail_quarantine", _("Quarantaine"), "quarantine-link"),
    NavItem("desk:chat_widgets", _("Chatwidgets"), "chat-widgets-link"),
    NavItem("desk:webhooks", _("Webhooks"), "webhooks-link"),
    NavItem("desk:tokens", _("API-tokens"), "tokens-link"),
    NavItem("desk:audit_log", _("Auditlog"), "audit-log-link"),
    NavItem("desk:settings", _("Instellingen"), "settings-link"),
    NavItem("desk:users", _("Gebruikers"), "users-link"),
    NavItem("desk:phone_extensions", _("Toestellen"), "phone-extensions-link"),
    NavItem("api:openapi-view", _("API-documentatie")),
    NavItem("admin:index", _("Beheer"), check=_staff),
)
# Where a person lands after logging in (and on "/"): the first of these they may open.
LANDING = ("desk:queue", "desk:insights_board", "desk:insights", "desk:wellbeing")


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str | Promise
    testid: str
    key: str
    current: bool


@lru_cache(maxsize=512)
def _page(url_name: str, urlconf: str, prefix: str) -> tuple[str, Callable[..., object]] | None:
    """The URL of a named page and its view (None: no such page). URLs are fixed while the process runs,
    so they are worked out once per URLconf and script prefix, not for every item on every page."""
    try:
        url = reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None
    return url, resolve(url, urlconf=urlconf).func


def url_allowed(url_name: str, user: Any, check: Callable[[Any], bool] | None = None) -> str | None:
    """The URL of a named page when `user` may open it, else None (also when the page does not exist)."""
    page = _page(url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if page is None:
        return None
    url, view = page
    allowed = check(user) if check is not None else view_allows(view, user)
    return url if allowed else None


@dataclass(frozen=True)
class Menu:
    main: list[NavLink]
    more: list[NavLink]


def menu(user: Any, path: str = "") -> Menu:
    """The items `user` may open, in order; `path` (the page shown) marks the item whose URL is the
    longest start of it as the current one."""
    found = kept(
        user.pk,
        f"menu {get_urlconf() or settings.ROOT_URLCONF} {get_script_prefix()}",
        lambda: _allowed(user),
    )
    current = max((url for _item, url, _more in found if path.startswith(url)), key=len, default=None)
    links = [
        (NavLink(url, item.label, item.testid, item.url_name.split(":")[-1], url == current), more)
        for item, url, more in found
    ]
    return Menu([link for link, more in links if not more], [link for link, more in links if more])


def _allowed(user: Any) -> tuple[tuple[NavItem, str, bool], ...]:
    """The items `user` may open with their URLs, and whether each is under "Meer". What the rules ask
    depends on the person's roles, team and departments only: kept for a few seconds (accounts.kept)."""
    return tuple(
        (item, url, item in MORE)
        for item in (*MAIN, *MORE)
        if (url := url_allowed(item.url_name, user, item.check)) is not None
    )


def landing(user: Any) -> str | None:
    """The page a person starts on: the queue for the desk, their board for a department owner."""
    for name in LANDING:
        url = url_allowed(name, user)
        if url is not None:
            return url
    return None
