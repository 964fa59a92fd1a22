"""Template context every desk page needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from gezien.accounts.roles import user_role


def desk(request: HttpRequest) -> dict[str, object]:
    return {
        "organisation_name": settings.GEZIEN_ORGANISATION_NAME,
        "user_role": user_role(request.user) if hasattr(request, "user") else None,
    }
