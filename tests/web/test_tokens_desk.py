"""API tokens in the desk: made with scopes and an expiry (shown once), listed with their last use,
revoked; people see and revoke their own, an administrator everyone's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gezien.accounts.models import ApiToken, User
from gezien.accounts.tokens import token_create
from tests.browser import sign_in
from tests.conftest import ApiClient
from tests.web import test_browser

page = test_browser.page


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_token_made_in_the_desk_is_shown_once_and_works_within_its_scopes(agent: User) -> None:
    desk = _signed_in(agent)
    page = desk.get("/desk/tokens/")
    assert page.status_code == 200
    assert "Token maken" in page.content.decode()
    made = desk.post("/desk/tokens/", {"name": "telefooncentrale", "scopes": ["contacts:read"], "days": "30"})
    assert made.status_code == 302
    shown = desk.get("/desk/tokens/").content.decode()
    record = ApiToken.objects.get()
    token = shown.split('data-testid="token-shown"')[1].split("<code>")[1].split("</code>")[0]
    assert token.startswith(record.prefix)
    assert token not in desk.get("/desk/tokens/").content.decode()  # once
    api = ApiClient(token)
    assert api.get("/api/contacts").status_code == 200
    assert api.post("/api/contacts", {"channel": "phone", "text": "Hallo"}).status_code == 403
    listed = desk.get("/desk/tokens/").content.decode()
    assert "telefooncentrale" in listed and "contacts:read" in listed and "nog niet" not in listed


def test_an_agent_cannot_make_a_token_that_never_expires(agent: User) -> None:
    refused = _signed_in(agent).post("/desk/tokens/", {"scopes": ["*"], "days": "0"})
    assert refused.status_code == 422
    assert "Alleen een beheerder" in refused.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_in_the_desk_stops_the_token(agent: User) -> None:
    record, token = token_create(user=agent)
    assert ApiClient(token).get("/api/reasons").status_code == 200
    desk = _signed_in(agent)
    assert desk.post(f"/desk/tokens/{record.pk}/revoke/").status_code == 302
    assert ApiClient(token).get("/api/reasons").status_code == 401
    assert "ingetrokken" in desk.get("/desk/tokens/").content.decode()


def test_people_see_and_revoke_their_own_tokens_and_an_admin_everyones(
    make_user: Callable[..., User],
) -> None:
    sanne, kees = make_user("sanne", "agent"), make_user("kees", "agent")
    record, _token = token_create(user=sanne, name="van-sanne")
    assert "van-sanne" not in _signed_in(kees).get("/desk/tokens/").content.decode()
    assert _signed_in(kees).post(f"/desk/tokens/{record.pk}/revoke/").status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None
    admin = _signed_in(make_user("beheer", "admin"))
    assert "van-sanne" in admin.get("/desk/tokens/").content.decode()
    assert admin.post(f"/desk/tokens/{record.pk}/revoke/").status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None


def test_the_menu_offers_the_tokens_page(agent: User) -> None:
    assert 'href="/desk/tokens/"' in _signed_in(agent).get("/desk/").content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_tokens_page_in_a_browser(page: Any, make_user: Callable[..., User], tmp_path: Any) -> None:
    make_user("sanne", "agent")
    page.set_viewport_size({"width": 1440, "height": 1000})
    sign_in(page, "sanne", "geheim-wachtwoord-1", landing=lambda url: "/login/" not in url)
    page.goto("/desk/tokens/")
    page.fill("input[name=name]", "rapportage")
    page.uncheck("[data-testid=scope-all]")
    page.check("input[value='insights:read']")
    page.check("input[value='contacts:write']")
    page.click("[data-testid=token-create]")
    page.wait_for_selector("[data-testid=token-shown]")
    assert page.locator("[data-testid=tokens] tbody tr").count() == 1
    page.screenshot(path=str(tmp_path / "tokens.png"), full_page=True)
    print(tmp_path / "tokens.png")
