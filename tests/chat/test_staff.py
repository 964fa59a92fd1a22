"""Admins manage widgets through /api/widgets and in the desk; other roles may not."""

from __future__ import annotations

import html
from typing import Any

from django.test import Client

from gezien.accounts.models import User
from gezien.chat.identity import identity_hash
from gezien.chat.models import ChatWidget
from gezien.chat.selectors import demo_widget_key
from gezien.chat.services import widget_create


def test_admins_manage_widgets_through_the_api(api_as: Any, team: Any, settings: Any) -> None:
    settings.GEZIEN_BASE_URL = "https://desk.voorbeeld.nl"
    admin = api_as("admin")
    made = admin.post(
        "/api/widgets",
        {
            "name": "Webshop",
            "allowed_origins": ["https://WWW.Winkel.nl/", "http://localhost:3000"],
            "team": team.name,
        },
    )
    assert made.status_code == 201, made.content
    body = made.json_body
    assert body["allowed_origins"] == ["https://www.winkel.nl", "http://localhost:3000"]
    assert len(body["secret"]) == 64 and body["team"] == team.name
    script = '<script src="https://desk.voorbeeld.nl/widget/chat.js"'
    assert body["embed"] == f'{script} data-gezien-widget="{body["key"]}" async></script>'

    widget = ChatWidget.objects.get()
    assert identity_hash(body["secret"], "x") == identity_hash(widget.secret, "x")

    listed = admin.get("/api/widgets")
    assert listed.status_code == 200 and "secret" not in listed.json_body[0]  # shown once only
    changed = admin.patch(f"/api/widgets/{widget.pk}", {"greeting": "Welkom!", "team": "", "active": False})
    assert changed.status_code == 200
    assert changed.json_body["greeting"] == "Welkom!" and changed.json_body["team"] is None
    assert changed.json_body["active"] is False
    renewed = admin.post(f"/api/widgets/{widget.pk}/secret")
    assert renewed.status_code == 200 and renewed.json_body["secret"] != body["secret"]
    assert admin.delete(f"/api/widgets/{widget.pk}").status_code == 204
    assert not ChatWidget.objects.exists()


def test_bad_widget_input_is_refused(api_as: Any) -> None:
    admin = api_as("admin")
    for bad, field in [
        ({"name": "W", "allowed_origins": ["ftp://winkel.nl"]}, "allowed_origins"),
        ({"name": "W", "allowed_origins": ["https://winkel.nl/pad"]}, "allowed_origins"),
        ({"name": "W", "languages": ["de"]}, "languages"),
        ({"name": "W", "max_message_chars": 0}, "max_message_chars"),
        ({"name": "W", "team": "Geen Team"}, "team"),
        ({"name": "W", "mailbox": "geen"}, "mailbox"),
        ({"name": "  "}, "name"),
    ]:
        response = admin.post("/api/widgets", bad)
        assert response.status_code == 422, bad
        assert response.json_body["detail"][0]["loc"] == ["body", field]
    assert not ChatWidget.objects.exists()
    assert admin.get("/api/widgets/999").status_code == 404


def test_other_roles_may_not_manage_widgets(api_as: Any) -> None:
    widget = widget_create(name="W").widget
    for role in ("agent", "teamlead", "manager"):
        client = api_as(role)
        assert client.get("/api/widgets").status_code == 403
        assert client.post("/api/widgets", {"name": "X"}).status_code == 403
        assert client.patch(f"/api/widgets/{widget.pk}", {"name": "X"}).status_code == 403
        assert client.delete(f"/api/widgets/{widget.pk}").status_code == 403


def test_the_demo_widget_key(db: None) -> None:
    assert demo_widget_key() is None
    first = widget_create(name="Eerste").widget
    assert demo_widget_key() == first.key
    demo = widget_create(name="Demo", key="gezien-demo").widget
    assert demo_widget_key() == demo.key


def test_admins_manage_widgets_in_the_desk(client: Client, make_user: Any, settings: Any) -> None:
    settings.GEZIEN_BASE_URL = "http://127.0.0.1:8000"
    admin: User = make_user("beheer", "admin")
    client.force_login(admin)
    page = client.get("/desk/chat/widgets/")
    assert page.status_code == 200
    made = client.post(
        "/desk/chat/widgets/new/",
        {
            "name": "Webshop",
            "allowed_origins": "https://www.winkel.nl\nhttp://localhost:3000",
            "languages": ["nl", "en"],
            "greeting": "Hallo!",
            "session_rate": 20,
            "address_rate": 120,
            "max_message_chars": 4000,
            "max_file_bytes": 10000000,
            "active": "on",
        },
    )
    widget = ChatWidget.objects.get()
    # The form goes to the new widget's page (a reload of it never posts the form again) ...
    assert made.status_code == 302 and made["Location"] == f"/desk/chat/widgets/{widget.pk}/"
    shown = client.get(made["Location"])
    text = html.unescape(shown.content.decode())
    assert widget.secret in text  # ... which shows the secret this once
    assert f'data-gezien-widget="{widget.key}"' in text
    assert widget.allowed_origins == ["https://www.winkel.nl", "http://localhost:3000"]
    edit = client.get(f"/desk/chat/widgets/{widget.pk}/")
    assert edit.status_code == 200 and widget.secret not in edit.content.decode()
    assert '<script src="http://127.0.0.1:8000/widget/chat.js"' in html.unescape(edit.content.decode())
    changed = client.post(
        f"/desk/chat/widgets/{widget.pk}/",
        {
            "name": "Webshop 2",
            "allowed_origins": "ftp://fout",
            "languages": ["nl"],
            "session_rate": 20,
            "address_rate": 120,
            "max_message_chars": 4000,
            "max_file_bytes": 10000000,
        },
    )
    assert changed.status_code == 422
    widget.refresh_from_db()
    assert widget.name == "Webshop"

    agent = make_user("agent1", "agent")
    client.force_login(agent)
    assert client.get("/desk/chat/widgets/").status_code == 403


def test_the_demo_has_a_widget_and_chats_waiting(customer: Any, settings: Any, team: Any) -> None:
    from gezien.chat.models import ChatSession
    from gezien.contacts.models import Contact, Recognition
    from gezien.demo.chat import load_chat_demo

    settings.GEZIEN_BASE_URL = "http://desk.example:8000"
    assert load_chat_demo() == 3
    widget = ChatWidget.objects.get()
    assert widget.key == demo_widget_key() == "gezien-demo"
    assert widget.allowed_origins == [
        "http://desk.example:8000",
        "http://127.0.0.1:8000",
        "http://localhost:8000",
    ]
    chats = Contact.objects.filter(channel="chat").order_by("id")
    assert [c.status for c in chats] == ["open"] * 3 and all(c.waiting_since for c in chats)
    assert chats[0].recognition == Recognition.RECOGNISED and chats[0].customer == customer
    assert ChatSession.objects.filter(language="en").count() == 1
    assert load_chat_demo() == 0  # once


def test_the_widget_apis_schema_is_for_people_signed_in(client: Client, agent: User) -> None:
    assert client.get("/widget/api/v1/openapi.json").status_code in (302, 401, 403)
    client.force_login(agent)
    schema = client.get("/widget/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/widget/api/v1/messages" in schema.json()["paths"]


def test_a_renewed_secret_is_shown_once_and_a_reload_posts_nothing(client: Client, make_user: Any) -> None:
    client.force_login(make_user("beheer", "admin"))
    widget = widget_create(name="Winkel").widget
    old = widget.secret
    renewed = client.post(f"/desk/chat/widgets/{widget.pk}/", {"renew_secret": "1"})
    widget.refresh_from_db()
    assert widget.secret != old
    assert renewed.status_code == 302 and renewed["Location"] == f"/desk/chat/widgets/{widget.pk}/"
    assert widget.secret in html.unescape(client.get(renewed["Location"]).content.decode())
    reloaded = client.get(renewed["Location"])  # what a reload of the page does: no new secret, not shown
    widget.refresh_from_db()
    assert widget.secret not in html.unescape(reloaded.content.decode())
