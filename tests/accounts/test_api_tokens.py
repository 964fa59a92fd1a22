"""API tokens: scopes per area (read or write), an expiry, a last-used time, a rate limit of 429 with
Retry-After, and a revoke that every server process honours within a second."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gezien.accounts.models import ApiToken, User
from gezien.accounts.tokens import scope_names, token_create
from gezien.api.main import api
from gezien.core.errors import Invalid
from tests.conftest import ApiClient
from tests.gezien_server import GezienServer


def _client(user: User, **kwargs: Any) -> ApiClient:
    return ApiClient(token_create(user=user, **kwargs)[1])


def test_the_scopes_are_read_and_write_per_area_of_the_api() -> None:
    tags = {
        operation["tags"][0]
        for path in api.get_openapi_schema()["paths"].values()
        for operation in path.values()
    }
    names = scope_names()
    assert names[0] == "*"
    assert {"contacts:read", "contacts:write", "insights:read", "customers:write", "tokens:write"} <= set(
        names
    )
    assert {name.split(":")[0] for name in names[1:]} == tags


def test_a_read_scope_reads_and_cannot_write(agent: User, customer: Any) -> None:
    reader = _client(agent, scopes=["contacts:read"])
    assert reader.get("/api/contacts").status_code == 200
    refused = reader.post("/api/contacts", {"channel": "phone", "text": "Mijn pakket is zoek"})
    assert refused.status_code == 403
    assert refused.json_body["detail"][0]["msg"] == "Dit token mist de scope contacts:write."
    assert reader.get(f"/api/customers/{customer.pk}").status_code == 403  # another area
    writer = _client(agent, scopes=["contacts:write"])  # write includes read
    assert (
        writer.post("/api/contacts", {"channel": "phone", "text": "Mijn pakket is zoek"}).status_code == 201
    )
    assert writer.get("/api/contacts").status_code == 200


def test_a_token_never_exceeds_its_owners_role(agent: User) -> None:
    everything = _client(agent)  # "*": all an agent may, which is not managing webhooks
    assert everything.get("/api/webhooks").status_code == 403
    assert ApiToken.objects.get().scopes == ["*"]


def test_a_token_cannot_make_a_token_that_may_more_than_itself(agent: User) -> None:
    narrow = _client(agent, scopes=["tokens:write", "contacts:read"])
    wider = narrow.post("/api/tokens", {"scopes": ["*"]})
    assert wider.status_code == 403
    assert "meer mag dan het zelf" in wider.json_body["detail"][0]["msg"]
    assert narrow.post("/api/tokens", {"scopes": ["contacts:write"]}).status_code == 403
    made = narrow.post("/api/tokens", {"name": "lezer", "scopes": ["contacts:read"]})
    assert made.status_code == 201, made.json_body
    assert made.json_body["scopes"] == ["contacts:read"]
    assert ApiToken.objects.count() == 2


def test_unknown_scopes_and_bad_limits_are_refused_and_leave_nothing(agent: User) -> None:
    with pytest.raises(Invalid, match="Onbekende scope: contacts:delete"):
        token_create(user=agent, scopes=["contacts:delete"])
    with pytest.raises(Invalid):
        token_create(user=agent, scopes=[])
    with pytest.raises(Invalid):
        token_create(user=agent, rate="heel veel")
    answer = _client(agent).post("/api/tokens", {"scopes": ["alles"]})
    assert answer.status_code == 422
    assert answer.json_body["detail"][0]["loc"] == ["body", "scopes"]
    assert ApiToken.objects.count() == 1


def test_a_token_expires_by_default_and_only_an_admin_may_have_one_that_never_does(
    make_user: Callable[..., User], settings: Any
) -> None:
    settings.GEZIEN_TOKEN_DAYS = 30
    agent = make_user("sanne", "agent")
    record, _token = token_create(user=agent)
    assert record.expires_at is not None
    assert abs(record.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    with pytest.raises(Invalid, match="Alleen een beheerder"):
        token_create(user=agent, days=0)
    admin = make_user("beheer", "admin")
    assert token_create(user=admin, days=0)[0].expires_at is None
    answer = _client(agent).post("/api/tokens", {"days": 0})
    assert answer.status_code == 422
    assert answer.json_body["detail"][0]["loc"] == ["body", "days"]


def test_an_expired_token_is_refused(agent: User) -> None:
    record, token = token_create(user=agent, days=1)
    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(token).get("/api/reasons").status_code == 401


def test_an_expiry_reached_while_the_token_is_remembered_is_refused(agent: User) -> None:
    record, token = token_create(user=agent, days=1)
    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() + timedelta(seconds=1))
    client = ApiClient(token)
    assert client.get("/api/reasons").status_code == 200  # now remembered by this process
    time.sleep(1.1)
    assert client.get("/api/reasons").status_code == 401


def test_last_used_is_recorded(agent: User) -> None:
    record, token = token_create(user=agent)
    assert record.last_used_at is None
    assert ApiClient(token).get("/api/reasons").status_code == 200
    record.refresh_from_db()
    assert record.last_used_at is not None
    listed = ApiClient(token).get("/api/tokens").json_body
    assert listed[0]["last_used_at"] is not None
    assert listed[0]["expires_at"] is not None


def test_past_its_rate_a_token_gets_429_with_retry_after(agent: User, settings: Any) -> None:
    settings.GEZIEN_TOKEN_RATE = "1000/min"
    limited = _client(agent, rate="3/min")
    for _ in range(3):
        assert limited.get("/api/reasons").status_code == 200
    refused = limited.get("/api/reasons")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert refused.json_body["detail"][0]["type"] == "TooMany"
    assert "Te veel verzoeken" in refused.json_body["detail"][0]["msg"]
    assert _client(agent).get("/api/reasons").status_code == 200  # another token counts on its own


def test_the_default_rate_comes_from_the_setting(agent: User, settings: Any) -> None:
    settings.GEZIEN_TOKEN_RATE = "2/min"
    client = _client(agent)
    assert [client.get("/api/reasons").status_code for _ in range(3)] == [200, 200, 429]


def test_scopes_are_listed(agent: User) -> None:
    answer = _client(agent, scopes=["tokens:read"]).get("/api/tokens/scopes")
    assert answer.status_code == 200
    assert "contacts:write" in answer.json_body["scopes"]


@pytest.mark.slow
def test_a_token_revoked_through_one_process_is_refused_by_another_within_a_second(
    gezien_servers: Callable[..., list[GezienServer]],
) -> None:
    a, b = gezien_servers(2)
    a.gezien("createuser", "sanne", "--password", "lang-genoeg-1")
    token = a.gezien(
        "token", "create", "--user", "sanne", "--scopes", "tokens:write", "contacts:read"
    ).strip()
    bearer = {"Authorization": f"Bearer {token}"}
    status, _, body = b.request("GET", "/api/tokens", headers=bearer)  # b now remembers the token
    assert status == 200, body
    token_id = json.loads(body)[0]["id"]
    assert b.request("GET", "/api/contacts", headers=bearer)[0] == 200
    status, _, body = a.request("DELETE", f"/api/tokens/{token_id}", headers=bearer)
    assert status == 200, body
    revoked = time.monotonic()
    while True:
        status = b.request("GET", "/api/contacts", headers=bearer)[0]
        if status == 401:
            break
        assert status == 200
        assert time.monotonic() - revoked < 1.0, "the other process still accepts the revoked token"
        time.sleep(0.05)
    assert time.monotonic() - revoked < 1.0


def test_making_and_revoking_a_token_is_audited(agent: User) -> None:
    from gezien.audit.selectors import audit_entries

    client = _client(agent)
    made = client.post("/api/tokens", {"name": "koppeling", "scopes": ["contacts:read"], "days": 7})
    assert made.status_code == 201
    assert client.delete(f"/api/tokens/{made.json_body['id']}").status_code == 200
    assert client.delete(f"/api/tokens/{made.json_body['id']}").status_code == 200  # again: nothing new
    created = audit_entries(action="token.create").first()
    revoked = list(audit_entries(action="token.revoke"))
    assert created is not None and len(revoked) == 1
    assert (created.actor_id, created.actor_name, created.source) == (
        agent.pk,
        agent.display_name,
        "127.0.0.1",
    )
    assert created.object_id == str(made.json_body["id"])
    assert created.details["scopes"] == "contacts:read" and created.details["days"] == 7
    assert revoked[0].actor_id == agent.pk and revoked[0].details["user_id"] == agent.pk
    assert "koppeling" not in str(created.details)  # the label is the owner's words: not in the log


def test_an_admin_lists_everyones_tokens_and_others_only_their_own(make_user: Callable[..., User]) -> None:
    sanne, admin = make_user("sanne", "agent"), make_user("beheer", "admin")
    token_create(user=sanne, name="van-sanne")
    agent_api, admin_api = _client(sanne), _client(admin)
    assert {t["owner"] for t in agent_api.get("/api/tokens").json_body} == {"sanne"}
    assert agent_api.get("/api/tokens?everyone=true").status_code == 403
    assert {t["owner"] for t in admin_api.get("/api/tokens?everyone=true").json_body} == {"sanne", "beheer"}
    assert {t["owner"] for t in admin_api.get("/api/tokens").json_body} == {"beheer"}
