"""Single sign-on with OpenID Connect, against a real provider the test starts on 127.0.0.1
(tests/oidc_provider.py): the authorization code flow with PKCE, state and nonce, the ID token's
signature checked against the provider's published keys, and groups that give the role every login."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from gezien.accounts.models import SignOnIdentity, User
from gezien.accounts.oidc import oidc_forget
from gezien.audit.selectors import audit_entries
from tests.oidc_provider import Provider

ANNE = {
    "sub": "a1b2c3",
    "preferred_username": "anne.visser",
    "given_name": "Anne",
    "family_name": "Visser",
    "email": "anne.visser@voorbeeld.nl",
    "groups": ["alle-medewerkers", "gezien-managers", "gezien-zuid"],
}


@pytest.fixture
def provider(settings: Any, db: None) -> Iterator[Provider]:
    started = Provider().start()
    settings.GEZIEN_OIDC_ISSUER = started.issuer
    settings.GEZIEN_OIDC_CLIENT_ID = started.client_id
    settings.GEZIEN_OIDC_CLIENT_SECRET = started.client_secret
    settings.GEZIEN_OIDC_GROUP_ROLES = {"gezien-managers": "manager", "gezien-agents": "agent"}
    settings.GEZIEN_OIDC_GROUP_TEAMS = {"gezien-zuid": "Team Zuid"}
    settings.GEZIEN_OIDC_NAME = "Testdienst"
    started.person = dict(ANNE)
    yield started
    started.stop()
    oidc_forget()


def sign_in(client: Client, provider: Provider, start: str = "/login/sso/") -> Any:
    """The browser's trip: the desk sends it to the provider, the provider sends it back with a code."""
    to_provider = client.get(start)
    assert to_provider.status_code == 302
    assert to_provider["Location"].startswith(provider.issuer + "/authorize?")
    back = urlsplit(provider.visit(to_provider["Location"]))
    assert back.path == "/login/sso/callback/"
    return client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})


def signed_in_as(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_login_page_offers_the_provider_only_when_configured(client: Client, settings: Any) -> None:
    settings.GEZIEN_OIDC_ISSUER = ""
    assert 'data-testid="sso-login"' not in client.get("/login/").content.decode()  # passkeys: offered anyway
    assert client.get("/login/sso/").status_code == 404
    settings.GEZIEN_OIDC_ISSUER = "https://login.microsoftonline.com/tenant-id/v2.0"
    settings.GEZIEN_OIDC_CLIENT_ID = "desk"
    settings.GEZIEN_OIDC_NAME = ""
    assert "Inloggen met Microsoft" in client.get("/login/").content.decode()


def test_the_first_login_creates_the_person_with_the_role_of_their_group(provider: Provider) -> None:
    client = Client()
    landed = sign_in(client, provider)
    assert landed.status_code == 302 and landed["Location"] == "/"
    user = signed_in_as(client)
    assert user is not None
    assert (user.username, user.display_name, user.email) == ("anne.visser", "Anne Visser", ANNE["email"])
    assert user.role == "manager"
    assert user.team is not None and user.team.name == "Team Zuid"
    assert not user.has_usable_password()
    assert SignOnIdentity.objects.get().subject == "a1b2c3"
    assert client.get("/insights/").status_code == 200  # a manager's page, signed in
    again = Client()
    sign_in(again, provider)
    assert signed_in_as(again) == user
    assert User.objects.count() == 1
    made = audit_entries(action="user.create").get()
    assert (made.actor_id, made.object_id, made.details) == (
        user.pk,
        str(user.pk),
        {"method": "oidc", "role": "manager"},
    )
    logins = list(audit_entries(action="user.login"))
    assert len(logins) == 2 and all(entry.details == {"method": "oidc"} for entry in logins)
    assert logins[0].source == "127.0.0.1"


def test_a_changed_group_changes_the_role_at_the_next_login(provider: Provider) -> None:
    sign_in(Client(), provider)
    provider.person["groups"] = ["gezien-agents"]
    client = Client()
    sign_in(client, provider)
    user = signed_in_as(client)
    assert user is not None and user.role == "agent"
    assert client.get("/insights/").status_code == 403
    change = audit_entries(action="user.role_change").get()
    assert change.details == {"method": "oidc", "from": "manager", "to": "agent"}


def test_someone_in_no_mapped_group_gets_no_access_and_no_account(provider: Provider) -> None:
    provider.person["groups"] = ["alle-medewerkers"]
    client = Client()
    refused = sign_in(client, provider)
    assert refused.status_code == 403
    assert "Geen toegang tot Gezien" in refused.content.decode()
    assert signed_in_as(client) is None
    assert not User.objects.exists()
    refused_entry = audit_entries(action="user.login_failed").get()
    assert refused_entry.details == {"method": "oidc", "reason": "no_mapped_group"}


def test_someone_who_left_every_mapped_group_loses_their_role(provider: Provider) -> None:
    sign_in(Client(), provider)
    provider.person["groups"] = []
    client = Client()
    refused = sign_in(client, provider)
    assert refused.status_code == 403
    assert signed_in_as(client) is None
    assert User.objects.get().role is None


def test_someone_made_inactive_in_gezien_stays_out(provider: Provider) -> None:
    """Review finding: a person an administrator had made inactive signed in through the provider
    anyway: their session was made, their role and staff rights restored from their groups, and the
    sign-in recorded as `user.login`."""
    sign_in(Client(), provider)
    user = User.objects.get()
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.groups.clear()
    client = Client()
    refused = sign_in(client, provider)
    assert refused.status_code == 403
    assert "Geen toegang tot Gezien" in refused.content.decode()
    assert signed_in_as(client) is None
    user.refresh_from_db()
    assert not user.is_active
    assert user.role is None
    assert audit_entries(action="user.login").count() == 1  # the first sign-in only
    failed = audit_entries(action="user.login_failed").get()
    assert failed.details == {"method": "oidc", "reason": "inactive"}


@pytest.mark.parametrize("tamper", ["signature", "nonce", "audience", "expired"])
def test_an_id_token_that_does_not_check_out_is_refused(
    provider: Provider, tamper: str, caplog: pytest.LogCaptureFixture
) -> None:
    provider.tamper = tamper
    client = Client()
    refused = sign_in(client, provider)
    assert refused.status_code == 400
    assert provider.refused == []  # the provider gave the token: the desk refused it
    assert "OIDC ID token refused" in caplog.text
    assert "Inloggen via Testdienst is mislukt" in refused.content.decode()
    assert signed_in_as(client) is None
    assert not User.objects.exists()


def test_a_state_is_used_once_and_must_be_the_browsers_own(provider: Provider) -> None:
    client = Client()
    to_provider = client.get("/login/sso/")
    back = urlsplit(provider.visit(to_provider["Location"]))
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    stranger = Client()  # another browser cannot finish this sign-in
    assert stranger.get(back.path, query).status_code == 400
    assert signed_in_as(stranger) is None
    assert client.get(back.path, query).status_code == 302
    assert client.get(back.path, query).status_code == 400  # replayed


def test_the_provider_gets_the_pkce_verifier_and_the_client_secret(provider: Provider, settings: Any) -> None:
    sign_in(Client(), provider)
    assert provider.refused == []
    settings.GEZIEN_OIDC_CLIENT_SECRET = "verkeerd"
    client = Client()
    assert sign_in(client, provider).status_code == 400
    assert provider.refused == ["client"]


def test_a_rotated_provider_key_is_fetched_again(provider: Provider) -> None:
    sign_in(Client(), provider)
    provider.rotate()
    client = Client()
    assert sign_in(client, provider).status_code == 302
    assert signed_in_as(client) is not None


def test_the_way_back_keeps_only_a_local_next_page(provider: Provider) -> None:
    client = Client()
    assert sign_in(client, provider, "/login/sso/?next=/desk/").headers["Location"] == "/desk/"
    elsewhere = Client()
    assert sign_in(elsewhere, provider, "/login/sso/?next=https://kwaad.example/").headers["Location"] == "/"


def test_the_group_mappings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from gezien.config.env import ConfigError, env_pairs

    monkeypatch.setenv("GEZIEN_OIDC_GROUP_ROLES", " gezien-managers = manager , gezien-agents=agent ")
    assert env_pairs("GEZIEN_OIDC_GROUP_ROLES") == {"gezien-managers": "manager", "gezien-agents": "agent"}
    monkeypatch.setenv("GEZIEN_OIDC_GROUP_ROLES", "gezien-managers")
    with pytest.raises(ConfigError, match="not key=value"):
        env_pairs("GEZIEN_OIDC_GROUP_ROLES")


def test_a_wrong_configuration_is_refused_at_once(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from gezien.accounts.oidc import oidc_settings

    settings.GEZIEN_OIDC_ISSUER = "http://sso.voorbeeld.nl/realms/gezien"
    settings.GEZIEN_OIDC_CLIENT_ID = "desk"
    with pytest.raises(ImproperlyConfigured, match="https"):
        oidc_settings()
    settings.GEZIEN_OIDC_ISSUER = "https://sso.voorbeeld.nl/realms/gezien"
    settings.GEZIEN_OIDC_GROUP_ROLES = {"gezien-bazen": "baas"}
    with pytest.raises(ImproperlyConfigured, match="unknown roles: baas"):
        oidc_settings()
    settings.GEZIEN_OIDC_GROUP_ROLES = {"gezien-bazen": "manager"}
    assert oidc_settings().name == "Keycloak"
