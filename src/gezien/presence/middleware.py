"""Notes when a person was last seen in the desk (routing only gives contacts to people who are there,
and the tick signs off people gone for a while) and makes a desk person available when they arrive."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponseBase

from gezien.presence.services import desk_seen, signed_in

logger = logging.getLogger(__name__)


class LastSeenMiddleware:
    """After authentication: every desk request of a logged-in person marks them present (one write a
    minute at most) and, when they have no state yet or were signed off for being away, available. API
    calls are integrations, not people at the desk, and do not count."""

    skipped_prefixes = ("/api/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.skipped_prefixes):
            try:
                if desk_seen(user=user) and user.has_perm("presence.set_own_state"):
                    signed_in(user=user)  # opening the desk makes a desk person available
            except DatabaseError:  # never worth failing the page for
                logger.exception("Could not note that user %s was seen in the desk.", user.pk)
        return self.get_response(request)
