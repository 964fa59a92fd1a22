"""Bearer-token authentication and permission checks for the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from gezien.accounts.tokens import TokenGrant, token_grant, token_rate_check
from gezien.core.errors import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    """A token of any scope (what the API's operations start with; `ScopedBearer` replaces it on each)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        grant = token_grant(token)
        if grant is None:
            return None
        token_rate_check(grant)
        request.user = grant.user
        request.token_grant = grant  # type: ignore[attr-defined]
        return grant.user


class ScopedBearer(BearerToken):
    """A token whose scopes hold `area` for reading (a GET) or writing (anything else): 403 otherwise."""

    def __init__(self, area: str) -> None:
        super().__init__()
        self.area = area

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = super().authenticate(request, token)
        if user is None:
            return None
        grant: TokenGrant = request.token_grant  # type: ignore[attr-defined]
        write = request.method not in SAFE_METHODS
        if not grant.allows(self.area, write=write):
            scope = f"{self.area}:{'write' if write else 'read'}"
            raise Forbidden(_("Dit token mist de scope %(s)s.") % {"s": scope})
        return user


def token_scopes(request: HttpRequest) -> frozenset[str] | None:
    """The scopes of the token a request came with (None: not by token)."""
    grant: TokenGrant | None = getattr(request, "token_grant", None)
    return grant.scopes if grant is not None else None


def require_perm(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise Forbidden(_("Uw rol mag dit niet."))
