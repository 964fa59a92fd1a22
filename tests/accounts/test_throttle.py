"""Login throttling (issue 17): after ten failed sign-ins for one account, or from one client address,
within fifteen minutes, further attempts are refused (429, a Dutch message) without the password hasher
running; the admin site's login too; administrators unlock (desk, API, `gezien unlock`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from gezien.accounts import throttle
from gezien.accounts.models import User
from gezien.cli import main
from tests.accounts.signin_helpers import HASHER, PASSWORD, CountingHasher, post_login
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

LOCKED = "Te veel mislukte pogingen"


@pytest.fixture(autouse=True)
def _counting_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = [HASHER]
    CountingHasher.calls.clear()


def _fail(client: Client, username: str, times: int, path: str = "/login/", **extra: Any) -> None:
    for _ in range(times):
        response = post_login(client, username, "fout-wachtwoord", path, **extra)
        assert response.status_code == 200, response.status_code  # the form again, "wrong password"


def test_the_eleventh_attempt_is_refused_without_hashing_even_with_the_right_password(
    client: Client, agent: User
) -> None:
    _fail(client, "sanne", 10)
    CountingHasher.calls.clear()
    response = post_login(client, "sanne", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert CountingHasher.calls == []  # no password work for a refused attempt


def test_a_flood_of_wrong_passwords_costs_no_hashing_after_the_limit(client: Client, agent: User) -> None:
    CountingHasher.calls.clear()
    _fail(client, "sanne", 10)
    assert CountingHasher.calls.count("verify") == 10
    CountingHasher.calls.clear()
    for _ in range(50):
        assert post_login(client, "sanne", "nog-een-gok").status_code == 429
    assert CountingHasher.calls == []


def test_the_account_is_locked_from_every_address(client: Client, agent: User) -> None:
    _fail(client, "Sanne", 10, REMOTE_ADDR="10.0.0.1")  # the username's case does not matter
    response = post_login(Client(), "sanne", PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429


def test_one_address_is_locked_for_every_account(client: Client, make_user: Callable[..., User]) -> None:
    make_user("piet")
    for name in ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"):  # ten names that are no account
        assert post_login(client, name, "gok", REMOTE_ADDR="10.0.0.9").status_code == 200
    CountingHasher.calls.clear()
    assert post_login(client, "piet", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 429
    assert CountingHasher.calls == []
    # another address is not concerned
    other = Client()
    assert post_login(other, "piet", PASSWORD, REMOTE_ADDR="10.0.0.10").status_code == 302


def test_a_successful_sign_in_clears_the_account_count(client: Client, agent: User) -> None:
    _fail(client, "sanne", 9, REMOTE_ADDR="10.0.0.1")
    assert post_login(Client(), "sanne", PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 302
    _fail(client, "sanne", 9, REMOTE_ADDR="10.0.0.3")
    assert post_login(Client(), "sanne", PASSWORD, REMOTE_ADDR="10.0.0.4").status_code == 302


def test_the_window_ends(client: Client, agent: User, settings: Any) -> None:
    settings.GEZIEN_LOGIN_WINDOW_MINUTES = 15
    _fail(client, "sanne", 10)
    assert post_login(client, "sanne", PASSWORD).status_code == 429
    cache.clear()  # what the counters' expiry does after the window (the cache's own clock)
    assert post_login(client, "sanne", PASSWORD).status_code == 302


def test_the_admin_site_login_is_throttled_too(client: Client, make_user: Callable[..., User]) -> None:
    make_user("beheer", "admin")
    _fail(client, "beheer", 10, path="/admin/login/")
    CountingHasher.calls.clear()
    response = post_login(client, "beheer", PASSWORD, "/admin/login/")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert CountingHasher.calls == []
    # and shared with the desk's form: the same account is locked there
    assert post_login(Client(), "beheer", PASSWORD).status_code == 429


def test_the_admin_site_login_signs_in_to_the_admin(client: Client, make_user: Callable[..., User]) -> None:
    make_user("beheer", "admin")
    response = post_login(client, "beheer", PASSWORD, "/admin/login/?next=/admin/", data_next="/admin/")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_admin_unlocks_through_the_api(
    client: Client, agent: User, api_as: Callable[[str], ApiClient]
) -> None:
    _fail(client, "sanne", 10)
    assert api_as("agent").post(f"/api/users/{agent.pk}/unlock").status_code == 403
    admin = api_as("admin")
    listed = {row["username"]: row for row in admin.get("/api/users").json_body}
    assert listed["sanne"]["locked"] is True
    response = admin.post(f"/api/users/{agent.pk}/unlock")
    assert response.status_code == 200
    assert response.json_body == {"id": agent.pk, "was_locked": True}
    assert post_login(client, "sanne", PASSWORD).status_code == 302
    assert admin.post("/api/users/999999/unlock").status_code == 404


def test_an_admin_unlocks_on_the_people_page(
    client: Client, agent: User, make_user: Callable[..., User]
) -> None:
    _fail(client, "sanne", 10)
    admin = Client()
    admin.force_login(make_user("beheer", "admin"))
    page = admin.get("/desk/users/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="user-sanne"' in html and 'data-testid="locked"' in html
    response = admin.post(f"/desk/users/{agent.pk}/unlock/")
    assert response.status_code == 302
    assert post_login(client, "sanne", PASSWORD).status_code == 302
    # an agent may not
    other = Client()
    other.force_login(make_user("piet"))
    assert other.get("/desk/users/").status_code == 403
    assert other.post(f"/desk/users/{agent.pk}/unlock/").status_code == 403


def test_gezien_unlock(client: Client, agent: User, capsys: pytest.CaptureFixture[str]) -> None:
    _fail(client, "sanne", 10)
    assert main(["unlock", "sanne"]) == 0
    assert "ontgrendeld" in capsys.readouterr().out
    assert post_login(client, "sanne", PASSWORD).status_code == 302
    assert main(["unlock", "niemand"]) == 2
    assert "onbekende gebruiker" in capsys.readouterr().err


def test_gezien_unlock_an_address(client: Client, agent: User, capsys: pytest.CaptureFixture[str]) -> None:
    for name in "abcdefghij":
        post_login(client, name, "gok", REMOTE_ADDR="10.0.0.7")
    assert post_login(client, "sanne", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 429
    assert main(["unlock", "--address", "10.0.0.7"]) == 0
    assert post_login(client, "sanne", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 302


def _via(forwarded: str, username: str = "sanne", password: str = PASSWORD) -> int:
    proxied = {"REMOTE_ADDR": "10.9.9.9", "HTTP_X_FORWARDED_FOR": forwarded}
    response = post_login(Client(), username, password, **proxied)
    return int(response.status_code)


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(agent: User, settings: Any) -> None:
    # No trusted proxy (the default): the header is not believed, so a client cannot pick a fresh
    # address for each attempt.
    settings.GEZIEN_TRUSTED_PROXIES = 0
    for i, name in enumerate("abcdefghij"):
        assert _via(f"1.1.1.{i}", name, "gok") == 200
    assert _via("1.1.1.200") == 429
    # Behind one trusted proxy the address it appended is the client's; ten failures lock that one only.
    cache.clear()
    settings.GEZIEN_TRUSTED_PROXIES = 1
    for name in "abcdefghij":
        assert _via("1.2.3.4, 5.6.7.8", name, "gok") == 200
    assert _via("5.6.7.8") == 429
    assert _via("5.6.7.9") == 302  # another client behind the same proxy is not concerned


def test_counters_in_a_shared_redis(client: Client, agent: User, settings: Any, redis_url: str) -> None:
    """With GEZIEN_CACHE_URL (Redis) every server process sees the same counters."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    from django.core.cache import caches

    caches["default"].clear()
    try:
        _fail(client, "sanne", 10)
        CountingHasher.calls.clear()
        assert post_login(Client(), "sanne", PASSWORD).status_code == 429
        assert CountingHasher.calls == []
        assert throttle.login_unlock("sanne") is True
        assert post_login(Client(), "sanne", PASSWORD).status_code == 302
    finally:
        caches["default"].clear()
