"""The address a request came from: `REMOTE_ADDR`, or behind `GEZIEN_TRUSTED_PROXIES` reverse proxies
the address the outermost of them saw (the entry that many places from the right of X-Forwarded-For:
entries further left were written by the client and prove nothing)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "GEZIEN_TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return forwarded[0] if forwarded else remote
    return forwarded[-proxies]
