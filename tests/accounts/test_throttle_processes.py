"""The login limits hold across server processes that share a Redis cache (GEZIEN_CACHE_URL): failures
counted by one `gezien serve` lock the account in the other, and `gezien unlock` frees it in both."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

import pytest

from tests.gezien_server import GezienServer, _cookie

pytestmark = pytest.mark.slow  # real server processes

PASSWORD = "lang-genoeg-wachtwoord-1"


def _attempt(server: GezienServer, username: str, password: str) -> int:
    status, headers, page = server.request("GET", "/login/")
    csrf = _cookie(headers, "csrftoken")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert status == 200 and csrf and token
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token[1].decode()})
    status, _headers, _page = server.request(
        "POST",
        "/login/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": server.url("/login/"),
        },
    )
    return status


def test_failures_in_one_process_lock_the_account_in_the_other(
    gezien_servers: Callable[..., list[GezienServer]], redis_url: str
) -> None:
    first, second = gezien_servers(2, live_url=redis_url, cache_url=redis_url)
    first.gezien("manage", "shell", "-c", "from django.core.cache import cache; cache.clear()")
    first.gezien("createuser", "sanne", "--password", PASSWORD)
    for _ in range(10):
        assert _attempt(first, "sanne", "fout-wachtwoord") == 200
    assert _attempt(second, "sanne", PASSWORD) == 429
    assert "ontgrendeld" in second.gezien("unlock", "sanne")
    assert _attempt(first, "sanne", PASSWORD) == 302
