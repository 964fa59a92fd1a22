"""The signed-in person of a request, typed as the project's user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from gezien.accounts.models import User


def current_user(request: HttpRequest) -> User:
    """The person behind a request that needs one: the API's bearer token and the desk's login middleware
    have made sure there is one (Django types `request.user` as possibly anonymous). Nobody: 403."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
