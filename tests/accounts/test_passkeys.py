"""Passkeys (WebAuthn, issue 17): registered on Mijn account or at the required two-factor set-up, a key as
the login's second step or as a sign-in of its own; every answer checked (challenge used once and
short-lived, origin, the person's own key, the signature counter) and failures counted by the login
throttle; someone's keys listed and removed through the API (audited); `gezien reset-2fa` removes them.

The answers come from tests/accounts/soft_authenticator.py (a real key pair; the browser test
test_browser_passkeys.py uses Chromium's virtual authenticator)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gezien.accounts import passkeys
from gezien.accounts.models import Passkey, User
from gezien.accounts.signin import SESSION_SECOND_FACTOR
from gezien.accounts.tokens import token_create
from gezien.audit.selectors import audit_entries
from gezien.cli import main
from tests.accounts.signin_helpers import post_login
from tests.accounts.soft_authenticator import SoftAuthenticator
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

ORIGIN = "http://localhost:8000"


@pytest.fixture(autouse=True)
def _relying_party(settings: Any) -> None:
    settings.GEZIEN_BASE_URL = ORIGIN + "/"
    settings.GEZIEN_2FA_REQUIRED_ROLES = ["manager", "admin"]


def _options(client: Client, url: str) -> dict[str, Any]:
    response = client.post(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def _register(client: Client, key: SoftAuthenticator, name: str = "laptop", **extra: str) -> Any:
    options = _options(client, "/desk/account/2fa/passkeys/options/")
    return client.post(
        "/desk/account/2fa/passkeys/", {"name": name, "credential": key.create(options), **extra}
    )


def _with_keys(user: User, count: int = 1) -> list[SoftAuthenticator]:
    """`user` with `count` registered keys (as Mijn account does it)."""
    client = Client()
    client.force_login(user)
    keys = [SoftAuthenticator(origin=ORIGIN) for _ in range(count)]
    for key in keys:
        assert _register(client, key)["Location"] == "/desk/account/"
    assert Passkey.objects.filter(user=user).count() == count
    return keys


def _with_key(user: User) -> SoftAuthenticator:
    return _with_keys(user)[0]


def _password_step(username: str) -> Client:
    client = Client()
    response = post_login(client, username, "geheim-wachtwoord-1")
    assert response["Location"] == "/login/verify/"
    return client


def _second_step(client: Client, answer: str) -> Any:
    return client.post("/login/verify/passkey/", {"credential": answer})


def _signed_in(client: Client) -> bool:
    response = client.get("/desk/account/")
    return response.status_code == 200


def test_a_manager_registers_a_key_instead_of_the_app_and_signs_in_with_it(
    make_user: Callable[..., User],
) -> None:
    marit = make_user("marit", "manager")
    client = Client()
    client.force_login(marit)
    assert client.get("/desk/")["Location"] == "/desk/account/2fa/"  # the role needs a second factor
    page = client.get("/desk/account/2fa/").content.decode()
    assert 'data-testid="passkey-add"' in page
    key = SoftAuthenticator(origin=ORIGIN)
    response = _register(client, key, name="  Laptop   kantoor ", **{"from": "2fa"})
    assert response["Location"] == "/desk/account/"
    stored = Passkey.objects.get(user=marit)
    assert stored.name == "Laptop kantoor"
    assert stored.credential_id == key.id and stored.sign_count == 0
    assert client.session[SESSION_SECOND_FACTOR] == "passkey"
    assert client.get("/desk/").status_code == 200  # the requirement is met by the key
    account = client.get("/desk/account/").content.decode()
    assert "Laptop kantoor" in account and "nog niet" in account
    assert [e.object_id for e in audit_entries(action="user.passkey_added")] == [str(stored.pk)]

    # next time: the password, then the key
    client = _password_step("marit")
    assert 'data-testid="passkey-verify"' in client.get("/login/verify/").content.decode()
    options = _options(client, "/login/verify/passkey/options/")
    assert [c["id"] for c in options["allowCredentials"]] == [key.id]
    assert options["userVerification"] == "preferred"
    assert options["rpId"] == "localhost"
    response = _second_step(client, key.get(options))
    assert response["Location"] == "/"
    assert client.session[SESSION_SECOND_FACTOR] == "passkey"
    assert client.get("/desk/").status_code == 200
    stored.refresh_from_db()
    assert stored.sign_count == 1 and stored.last_used_at is not None
    logins = audit_entries(action="user.login")
    assert logins[0].details["method"] == "password+passkey"


def test_a_challenge_works_once(make_user: Callable[..., User]) -> None:
    key = _with_key(make_user("marit", "manager"))
    client = _password_step("marit")
    options = _options(client, "/login/verify/passkey/options/")
    answer = key.get(options)
    assert _second_step(client, answer)["Location"] == "/"
    # the same answer again, in another sign-in: its challenge is spent
    other = _password_step("marit")
    _options(other, "/login/verify/passkey/options/")
    assert _second_step(other, answer)["Location"] == "/login/verify/"
    assert not _signed_in(other)
    # a wrong answer uses the challenge up too: the right one after it is refused
    third = _password_step("marit")
    options = _options(third, "/login/verify/passkey/options/")
    assert (
        _second_step(third, key.get(options, origin="https://phish.example"))["Location"] == "/login/verify/"
    )
    assert _second_step(third, key.get(options))["Location"] == "/login/verify/"
    assert not _signed_in(third)


def test_a_challenge_expires(make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch) -> None:
    key = _with_key(make_user("marit", "manager"))
    client = _password_step("marit")
    options = _options(client, "/login/verify/passkey/options/")
    later = time.time() + passkeys.CHALLENGE_SECONDS + 1
    monkeypatch.setattr(passkeys.time, "time", lambda: later)
    assert _second_step(client, key.get(options))["Location"] == "/login/verify/"


def test_a_wrong_origin_is_refused_and_counted(make_user: Callable[..., User]) -> None:
    marit = make_user("marit", "manager")
    key = _with_key(marit)
    client = _password_step("marit")
    options = _options(client, "/login/verify/passkey/options/")
    response = _second_step(client, key.get(options, origin="https://desk.example.evil"))
    assert response["Location"] == "/login/verify/"
    assert "niet aanvaard" in client.get("/login/verify/").content.decode()
    assert not _signed_in(client)
    failed = audit_entries(action="user.login_failed")
    assert failed[0].details["step"] == "passkey" and failed[0].object_id == str(marit.pk)
    assert Passkey.objects.get(user=marit).sign_count == 0  # nothing written


def test_a_counter_that_did_not_go_up_is_refused(make_user: Callable[..., User]) -> None:
    key = _with_key(make_user("marit", "manager"))
    client = _password_step("marit")
    assert (
        _second_step(client, key.get(_options(client, "/login/verify/passkey/options/")))["Location"] == "/"
    )
    # a copy of the key (its counter behind the original's) is refused
    clone = _password_step("marit")
    options = _options(clone, "/login/verify/passkey/options/")
    assert _second_step(clone, key.get(options, counter=1))["Location"] == "/login/verify/"
    assert not _signed_in(clone)
    assert Passkey.objects.get(credential_id=key.id).sign_count == 1


def test_another_persons_key_is_refused(make_user: Callable[..., User]) -> None:
    key_of_marit = _with_key(make_user("marit", "manager"))
    _with_key(make_user("sanne", "manager"))
    client = _password_step("sanne")
    options = _options(client, "/login/verify/passkey/options/")
    assert key_of_marit.id not in [c["id"] for c in options["allowCredentials"]]
    assert _second_step(client, key_of_marit.get(options))["Location"] == "/login/verify/"
    assert not _signed_in(client)


def test_failed_keys_lock_the_account_like_wrong_passwords(
    make_user: Callable[..., User], settings: Any
) -> None:
    settings.GEZIEN_LOGIN_MAX_FAILURES = 3
    marit = make_user("marit", "manager")
    key = _with_key(marit)
    client = _password_step("marit")
    for _ in range(3):
        options = _options(client, "/login/verify/passkey/options/")
        _second_step(client, key.get(options, origin="https://phish.example"))
    # locked: neither options nor a good answer are looked at
    assert client.post("/login/verify/passkey/options/").status_code == 429
    refused = _second_step(client, key.get({"challenge": "AAAA"}))
    assert refused.status_code == 429 and refused["Retry-After"]
    assert not _signed_in(client)
    assert str(marit.pk) in {e.object_id for e in audit_entries(action="user.locked")}


def test_signing_in_with_a_key_alone_needs_user_verification(make_user: Callable[..., User]) -> None:
    marit = make_user("marit", "manager")
    key = _with_key(marit)
    client = Client()
    options = _options(client, "/login/passkey/options/")
    assert options["userVerification"] == "required" and options.get("allowCredentials", []) == []
    response = client.post("/login/passkey/", {"credential": key.get(options), "next": "/desk/account/"})
    assert response["Location"] == "/desk/account/"
    assert client.session[SESSION_SECOND_FACTOR] == "passkey"
    assert client.get("/desk/").status_code == 200  # a manager: the key is both factors
    assert audit_entries(action="user.login")[0].details["method"] == "passkey"
    # a key that did not verify its user (no PIN, no fingerprint) is not enough on its own
    key.verifies_user = False
    other = Client()
    options = _options(other, "/login/passkey/options/")
    assert other.post("/login/passkey/", {"credential": key.get(options)})["Location"] == "/login/"
    assert not _signed_in(other)
    # nor is a key nobody registered, or a page that never asked for one
    stranger = SoftAuthenticator(origin=ORIGIN, user_handle=b"x" * 32)
    assert other.post("/login/passkey/", {"credential": stranger.get(options)})["Location"] == "/login/"
    assert other.post("/login/passkey/", {"credential": "{"})["Location"] == "/login/"
    assert not _signed_in(other)


def test_own_keys_on_mijn_account_the_last_one_kept_where_the_role_needs_it(
    make_user: Callable[..., User],
) -> None:
    marit = make_user("marit", "manager")
    client = Client()
    client.force_login(marit)
    _register(client, SoftAuthenticator(origin=ORIGIN), name="laptop")
    _register(client, SoftAuthenticator(origin=ORIGIN), name="YubiKey")
    first, second = Passkey.objects.filter(user=marit).order_by("pk")
    page = client.get("/desk/account/").content.decode()
    assert page.count('data-testid="passkey"') == 2
    assert client.post(f"/desk/account/2fa/passkeys/{first.pk}/remove/")["Location"] == "/desk/account/"
    client.post(f"/desk/account/2fa/passkeys/{second.pk}/remove/")
    assert list(Passkey.objects.filter(user=marit)) == [second]  # the last second factor stays
    assert "laatste sleutel" in client.get("/desk/account/").content.decode()
    # someone else's key: not found
    sanne = make_user("sanne", "agent")
    _with_key(sanne)
    assert client.post(f"/desk/account/2fa/passkeys/{sanne.passkeys.get().pk}/remove/").status_code == 404
    # an agent may remove their last
    agent_client = Client()
    agent_client.force_login(sanne)
    agent_client.post(f"/desk/account/2fa/passkeys/{sanne.passkeys.get().pk}/remove/")
    assert not sanne.passkeys.exists()
    assert len(audit_entries(action="user.passkey_removed")) == 2  # the refused one is not an entry


def test_a_key_registered_with_a_wrong_origin_or_twice_is_not_kept(make_user: Callable[..., User]) -> None:
    marit = make_user("marit", "agent")
    client = Client()
    client.force_login(marit)
    key = SoftAuthenticator(origin="https://elders.example")
    assert _register(client, key)["Location"] == "/desk/account/"
    assert not Passkey.objects.exists()
    key.origin = ORIGIN
    _register(client, key)
    _register(client, key)  # the same key again
    assert Passkey.objects.count() == 1
    # an answer without a challenge asked first
    response = client.post(
        "/desk/account/2fa/passkeys/",
        {
            "name": "x",
            "credential": SoftAuthenticator().create({"challenge": "AAAA", "user": {"id": "AAAA"}}),
        },
    )
    assert response.status_code == 302 and Passkey.objects.count() == 1


def test_the_api_lists_and_removes_keys_audited(make_user: Callable[..., User]) -> None:
    marit = make_user("marit", "manager")
    _with_keys(marit, 2)
    admin = ApiClient(token_create(user=make_user("beheer", "admin"))[1])
    own = ApiClient(token_create(user=marit)[1])
    agent = ApiClient(token_create(user=make_user("sanne", "agent"))[1])

    listed = admin.get(f"/api/users/{marit.pk}/passkeys")
    assert listed.status_code == 200
    assert [k["name"] for k in listed.json_body] == ["laptop", "laptop"]
    assert set(listed.json_body[0]) == {"id", "name", "created_at", "last_used_at"}
    viewed = audit_entries(action="user.passkeys_viewed")
    assert viewed[0].object_id == str(marit.pk)
    assert agent.get(f"/api/users/{marit.pk}/passkeys").status_code == 403
    assert own.get(f"/api/users/{marit.pk}/passkeys").status_code == 200
    assert len(audit_entries(action="user.passkeys_viewed")) == 1  # one's own: not an entry

    first, second = [k["id"] for k in listed.json_body]
    assert agent.delete(f"/api/users/{marit.pk}/passkeys/{first}").status_code == 403
    assert own.delete(f"/api/users/{marit.pk}/passkeys/{first}").status_code == 204
    refused = own.delete(f"/api/users/{marit.pk}/passkeys/{second}")  # her last, and she is a manager
    assert refused.status_code == 422 and "laatste sleutel" in refused.json_body["detail"][0]["msg"]
    assert admin.delete(f"/api/users/{marit.pk}/passkeys/{second}").status_code == 204
    assert admin.delete(f"/api/users/{marit.pk}/passkeys/{second}").status_code == 404
    assert not marit.passkeys.exists()
    assert len(audit_entries(action="user.passkey_removed")) == 2


def test_reset_2fa_removes_the_keys(
    make_user: Callable[..., User], capsys: pytest.CaptureFixture[str]
) -> None:
    marit = make_user("marit", "manager")
    _with_key(marit)
    assert main(["reset-2fa", "marit"]) == 0
    assert "staat uit" in capsys.readouterr().out
    assert not marit.passkeys.exists()
    # the next sign-in is the password alone, then the set-up
    client = Client()
    assert post_login(client, "marit", "geheim-wachtwoord-1")["Location"] == "/"
    assert client.get("/desk/")["Location"] == "/desk/account/2fa/"


def test_unknown_keys_lock_their_address_not_everyone(make_user: Callable[..., User], settings: Any) -> None:
    settings.GEZIEN_LOGIN_MAX_FAILURES = 3
    key = _with_key(make_user("marit", "manager"))
    flooder = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(3):
        options = _options(flooder, "/login/passkey/options/")
        stranger = SoftAuthenticator(origin=ORIGIN, user_handle=b"x" * 32)
        assert flooder.post("/login/passkey/", {"credential": stranger.get(options)})["Location"] == "/login/"
    assert flooder.post("/login/passkey/options/").status_code == 429
    # Marit, elsewhere, signs in with her key as before
    client = Client(REMOTE_ADDR="10.1.1.1")
    options = _options(client, "/login/passkey/options/")
    assert client.post("/login/passkey/", {"credential": key.get(options)})["Location"] == "/"
