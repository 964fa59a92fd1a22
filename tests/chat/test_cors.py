"""CORS: only the widget's own websites may call its API from a browser, preflight included; a browser
request from another site is refused, whatever CORS would let it read."""

from __future__ import annotations

from django.test import Client

from gezien.chat.models import ChatWidget
from gezien.contacts.models import Contact
from tests.chat.conftest import API, SITE, Visitor


def _preflight(origin: str, path: str) -> object:
    return Client().options(
        API + path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


def test_the_preflight_allows_the_widgets_origin_only(widget: ChatWidget) -> None:
    for path in (f"/{widget.key}/sessions", "/messages", "/events", "/attachments/1"):
        allowed = _preflight(SITE, path)
        assert allowed.status_code == 204, path
        assert allowed["Access-Control-Allow-Origin"] == SITE
        assert "POST" in allowed["Access-Control-Allow-Methods"]
        assert "authorization" in allowed["Access-Control-Allow-Headers"].lower()
        assert "Access-Control-Allow-Credentials" not in allowed  # no cookies
        refused = _preflight("https://kwaadwillend.example", path)
        assert "Access-Control-Allow-Origin" not in refused


def test_answers_carry_cors_for_the_widgets_origin(visitor: Visitor, widget: ChatWidget) -> None:
    response = visitor.call("get", f"/{widget.key}/config")
    assert response["Access-Control-Allow-Origin"] == SITE
    assert "Origin" in response["Vary"]
    assert "Set-Cookie" not in response and not response.cookies
    visitor.start()
    sent = visitor.say("hoi")
    assert sent["Access-Control-Allow-Origin"] == SITE
    refused = visitor.call("post", "/messages", {"text": "   "})
    assert refused.status_code == 422 and refused["Access-Control-Allow-Origin"] == SITE  # errors readable


def test_a_browser_on_another_site_is_refused(widget: ChatWidget) -> None:
    stranger = Visitor(widget, origin="https://kwaadwillend.example")
    response = stranger.call("get", f"/{widget.key}/config")
    assert response.status_code == 403 and "Access-Control-Allow-Origin" not in response
    assert stranger.start().status_code == 403
    # A token taken from the real site does not work from another one either.
    real = Visitor(widget)
    real.start()
    stranger.token = real.token
    assert stranger.say("hoi").status_code == 403
    assert not Contact.objects.exists()


def test_a_call_without_origin_is_a_server_and_is_served(widget: ChatWidget) -> None:
    server = Visitor(widget, origin=None)
    assert server.start().status_code == 201
    assert server.say("hoi").status_code == 201


def test_another_widgets_origin_does_not_open_this_one(widget: ChatWidget) -> None:
    from gezien.chat.services import widget_create

    widget_create(name="Ander", allowed_origins=["https://ander.example"])
    other_site = Visitor(widget, origin="https://ander.example")
    assert other_site.call("get", f"/{widget.key}/config").status_code == 403
    assert "Access-Control-Allow-Origin" not in _preflight("https://ander.example", f"/{widget.key}/sessions")
