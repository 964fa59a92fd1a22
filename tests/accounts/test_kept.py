"""A person's permissions and role are remembered for a few seconds per process, and forgotten at once
when they change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gezien.accounts.models import User
from gezien.accounts.services import agent_set_role
from gezien.contacts.services import contact_open

pytestmark = pytest.mark.django_db


def _contact_url() -> str:
    contact = contact_open(channel="chat", identities=[("phone", "0612345678")], text="Hoi").contact
    return f"/desk/contacts/{contact.pk}/"


def _auth_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "auth_permission" in q["sql"] or "auth_group" in q["sql"]]


def test_a_repeated_page_asks_no_permission_or_role_query(desk: Client) -> None:
    url = _contact_url()
    assert _auth_queries(desk, url)  # the first page reads them
    assert _auth_queries(desk, url) == []


def test_a_role_taken_away_refuses_the_next_request(desk: Client, agent: User) -> None:
    url = _contact_url()
    assert desk.get(url).status_code == 200
    agent.groups.clear()
    assert desk.get(url).status_code == 403


def test_a_new_role_counts_from_the_next_request(desk: Client, agent: User) -> None:
    agent.groups.clear()
    url = _contact_url()
    assert desk.get(url).status_code == 403
    agent_set_role(user=agent, role="agent")
    assert desk.get(url).status_code == 200


def test_a_permission_taken_from_the_role_refuses_the_next_request(desk: Client) -> None:
    url = _contact_url()
    assert desk.get(url).status_code == 200
    handle = Permission.objects.get(codename="handle_contact", content_type__app_label="contacts")
    Group.objects.get(name="agent").permissions.remove(handle)
    assert desk.get(url).status_code == 403


def test_nothing_is_kept_when_the_setting_is_zero(desk: Client, settings: object) -> None:
    settings.GEZIEN_PERMISSION_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    url = _contact_url()
    desk.get(url)
    assert _auth_queries(desk, url)
