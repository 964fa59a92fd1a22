"""The address a request came from: `REMOTE_ADDR`, or the address a trusted reverse proxy says it
forwarded for.

A proxy header is only believed when `GEZIEN_PROXY_ADDRESS_HEADER` names one (e.g. "X-Forwarded-For" or
"X-Real-IP") and the request reached us from one of `GEZIEN_TRUSTED_PROXIES`: anyone else could write any
address there, and so step around a limit kept per address. Of a list ("client, proxy1, proxy2") the
last entry is taken: the one our own proxy appended, which the client cannot choose.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(raw: str) -> str:
    raw = raw.strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return ""


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text ("" when unknown)."""
    remote = _valid(str(request.META.get("REMOTE_ADDR") or ""))
    header = settings.GEZIEN_PROXY_ADDRESS_HEADER
    if header and remote and remote in settings.GEZIEN_TRUSTED_PROXIES:
        forwarded = str(request.headers.get(header) or "")
        last = forwarded.rsplit(",", 1)[-1]
        return _valid(last) or remote
    return remote
