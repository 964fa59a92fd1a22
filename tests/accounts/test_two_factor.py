"""Two-factor sign-in (issue 17): TOTP with ten one-time recovery codes, set up in the desk, asked after the
password; required for managers and administrators by default (GEZIEN_2FA_REQUIRED_ROLES), who are sent
to set it up before anything else; switched off by an administrator; API tokens are not concerned.

The rest of the suite runs with no role requiring it (conftest's _no_second_factor_required); this module
turns the default back on."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gezien.accounts.models import RecoveryCode, SecondFactor, User
from gezien.accounts.twofactor import current_step, factor_begin, factor_confirm, totp_at
from gezien.cli import main
from tests.accounts.signin_helpers import PASSWORD, post_login
from tests.accounts.test_oidc import provider, sign_in  # noqa: F401 (the OpenID provider fixture)
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required_for_managers_and_admins(settings: Any) -> None:
    settings.GEZIEN_2FA_REQUIRED_ROLES = ["manager", "admin"]


def _code(secret: str, offset: int = 0) -> str:
    return totp_at(secret, current_step() + offset)


def _set_up(user: User) -> tuple[str, list[str]]:
    """Two-factor sign-in switched on for `user` (as the set-up screen does): its secret and codes."""
    factor = factor_begin(user=user)
    codes = factor_confirm(user=user, code=_code(factor.secret, -1))
    assert codes is not None
    return factor.secret, codes


def test_totp_follows_rfc_6238() -> None:
    # RFC 6238 appendix B, SHA-1 seed "12345678901234567890": 94287082 at T=59 s, 07081804 at 1111111109 s
    # (the last six digits of the eight shown there).
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp_at(secret, 59 // 30) == "287082"
    assert totp_at(secret, 1111111109 // 30) == "081804"


def test_a_manager_without_it_is_sent_to_set_it_up_before_anything_else(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user("marit", "manager")
    response = post_login(client, "marit", PASSWORD)
    assert response.status_code == 302
    for path in ("/desk/", "/customers/", "/desk/account/", "/admin/"):
        assert client.get(path)["Location"] == "/desk/account/2fa/", path
    htmx = client.get("/desk/queue-table/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == "/desk/account/2fa/"
    page = client.get("/desk/account/2fa/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Uw rol vereist tweestapsverificatie" in html
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', html)
    assert secret
    wrong = client.post("/desk/account/2fa/", {"code": "000000"})
    assert "klopt niet" in wrong.content.decode()
    done = client.post("/desk/account/2fa/", {"code": _code(secret[1])})
    assert done["Location"] == "/desk/account/2fa/"
    codes_page = client.get("/desk/account/2fa/").content.decode()
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    # shown once; only hashes are kept
    again = client.get("/desk/account/2fa/", follow=True).content.decode()
    assert not set(codes) & set(re.findall(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", again))
    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 10 and not set(stored) & set(codes)
    assert client.get("/desk/").status_code == 200  # set up: the desk opens


def test_an_agent_is_not_asked(client: Client, agent: User) -> None:
    assert post_login(client, "sanne", PASSWORD).status_code == 302
    assert client.get("/desk/").status_code == 200


def test_which_roles_is_a_setting(client: Client, agent: User, settings: Any) -> None:
    settings.GEZIEN_2FA_REQUIRED_ROLES = ["agent"]
    post_login(client, "sanne", PASSWORD)
    assert client.get("/desk/")["Location"] == "/desk/account/2fa/"


def test_the_password_alone_does_not_sign_in_someone_with_a_second_factor(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user("marit", "manager")
    secret, _codes = _set_up(user)
    response = post_login(client, "marit", PASSWORD, data_next="/customers/")
    assert response["Location"] == "/login/verify/"
    assert "_auth_user_id" not in client.session
    assert client.get("/desk/")["Location"].startswith("/login/")  # not signed in yet
    page = client.get("/login/verify/")
    assert page.status_code == 200 and "authenticator-app" in page.content.decode()
    assert client.post("/login/verify/", {"code": "123456"}).status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post("/login/verify/", {"code": _code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/desk/").status_code == 200


def test_a_code_works_once(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user("marit", "manager")
    secret, _codes = _set_up(user)
    code = _code(secret, 1)
    post_login(client, "marit", PASSWORD)
    assert client.post("/login/verify/", {"code": code}).status_code == 302
    other = Client()
    post_login(other, "marit", PASSWORD)
    assert other.post("/login/verify/", {"code": code}).status_code == 200  # replayed: refused
    assert "_auth_user_id" not in other.session


def test_a_recovery_code_works_once(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user("marit", "manager")
    _secret, codes = _set_up(user)
    post_login(client, "marit", PASSWORD)
    response = client.post("/login/verify/", {"code": codes[3].upper()})
    assert response.status_code == 302
    assert "nog 9 over" in client.get("/desk/").content.decode()
    other = Client()
    post_login(other, "marit", PASSWORD)
    assert other.post("/login/verify/", {"code": codes[3]}).status_code == 200
    assert "_auth_user_id" not in other.session


def test_wrong_codes_count_towards_the_lock(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user("marit", "manager")
    secret, _codes = _set_up(user)
    post_login(client, "marit", PASSWORD)
    for _ in range(9):
        assert client.post("/login/verify/", {"code": "000000"}).status_code == 200
    assert client.post("/login/verify/", {"code": "000001"}).status_code == 429
    assert client.post("/login/verify/", {"code": _code(secret)}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_second_step_expires(client: Client, make_user: Callable[..., User], monkeypatch: Any) -> None:
    user = make_user("marit", "manager")
    secret, _codes = _set_up(user)
    post_login(client, "marit", PASSWORD)
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post("/login/verify/", {"code": _code(secret)})
    assert response["Location"] == "/login/"


def test_a_session_signed_in_without_the_second_step_is_signed_out(
    client: Client, make_user: Callable[..., User]
) -> None:
    """A `login()` elsewhere (a forgotten path, a test's force_login) does not skip the second factor."""
    user = make_user("marit", "manager")
    _set_up(user)
    client.force_login(user)
    response = client.get("/desk/")
    assert response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_an_admin_switches_it_off_and_the_person_sets_it_up_again(
    client: Client, make_user: Callable[..., User], api_as: Callable[[str], ApiClient]
) -> None:
    user = make_user("marit", "manager")
    _set_up(user)
    admin = Client()
    admin_user = make_user("beheer", "admin")
    _set_up(admin_user)
    admin.force_login(admin_user)
    session = admin.session
    session["gezien_2fa"] = "totp"  # (as the second step leaves it)
    session.save()
    page = admin.get("/desk/users/").content.decode()
    assert 'data-testid="reset-2fa"' in page
    assert admin.post(f"/desk/users/{user.pk}/2fa/reset/").status_code == 302
    assert not SecondFactor.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    post_login(client, "marit", PASSWORD)
    assert client.get("/desk/")["Location"] == "/desk/account/2fa/"
    # and through the API and the command line
    _set_up(user)
    assert api_as("teamlead").post(f"/api/users/{user.pk}/2fa/reset").status_code == 403
    response = api_as("admin").post(f"/api/users/{user.pk}/2fa/reset")
    assert response.json_body == {"id": user.pk, "was_on": True}
    _set_up(user)
    assert main(["reset-2fa", "marit"]) == 0
    assert not SecondFactor.objects.filter(user=user).exists()


def test_api_tokens_are_not_concerned(make_user: Callable[..., User]) -> None:
    from gezien.accounts.tokens import token_create

    user = make_user("marit", "manager")
    assert ApiClient(token_create(user=user)[1]).get("/api/reasons").status_code == 200
    _set_up(user)
    assert ApiClient(token_create(user=user)[1]).get("/api/reasons").status_code == 200


def test_own_account_page_renews_codes_and_switches_off_only_where_allowed(
    client: Client, agent: User, make_user: Callable[..., User]
) -> None:
    secret, codes = _set_up(agent)
    post_login(client, "sanne", PASSWORD)
    client.post("/login/verify/", {"code": _code(secret)})
    page = client.get("/desk/account/").content.decode()
    assert "Nog 10 herstelcodes over" in page
    assert client.post("/desk/account/2fa/codes/")["Location"] == "/desk/account/2fa/"
    new_codes = re.findall(r"<code>([a-z2-9-]{14})</code>", client.get("/desk/account/2fa/").content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    assert client.post("/desk/account/2fa/off/").status_code == 302
    assert not SecondFactor.objects.filter(user=agent).exists()
    # a manager may not switch it off
    manager = make_user("marit", "manager")
    secret, _codes = _set_up(manager)
    other = Client()
    post_login(other, "marit", PASSWORD)
    other.post("/login/verify/", {"code": _code(secret)})
    other.post("/desk/account/2fa/off/")
    assert SecondFactor.objects.filter(user=manager).exists()


def test_the_admin_site_asks_the_second_step_too(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user("beheer", "admin")
    secret, _codes = _set_up(user)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "beheer", "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/login/verify/"
    assert client.get("/admin/").status_code == 302
    response = client.post("/login/verify/", {"code": _code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_single_sign_on_is_not_asked_for_the_desks_own_second_factor(provider: Any) -> None:  # noqa: F811
    """The provider does the sign-in's steps (and its own second factor, by its policy): a manager
    signed in through it goes straight to the desk, with or without an authenticator app here."""
    client = Client()
    sign_in(client, provider)
    user = User.objects.get(username="anne.visser")
    assert user.role == "manager"
    assert client.get("/insights/").status_code == 200
    _set_up(user)
    again = Client()
    sign_in(again, provider)
    assert again.get("/insights/").status_code == 200
