"""The webhooks screen in the desk: admins add, change and remove subscriptions and read the log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from gezien.accounts.models import User
from gezien.contacts.services import contact_open
from gezien.webhooks.delivery import webhooks_due
from gezien.webhooks.models import WebhookSubscription
from tests.webhooks.conftest import Receiver


def _desk(make_user: Callable[..., User], role: str) -> Client:
    client = Client()
    client.force_login(make_user(f"user-{role}", role))
    return client


def test_an_admin_adds_a_webhook_sees_its_secret_once_and_reads_the_log(
    make_user: Callable[..., User], receiver: Receiver
) -> None:
    desk = _desk(make_user, "admin")
    assert 'href="/desk/webhooks/"' in desk.get("/desk/").content.decode()
    response = desk.post(
        "/desk/webhooks/new/",
        {
            "url": receiver.url,
            "events": ["contact.created", "contact.closed"],
            "description": "CRM",
            "active": "on",
        },
    )
    assert response.status_code == 302
    subscription = WebhookSubscription.objects.get()
    receiver.secret = subscription.secret
    page = desk.get("/desk/webhooks/").content.decode()
    assert subscription.secret in page and "CRM" in page
    assert subscription.secret not in desk.get("/desk/webhooks/").content.decode()  # shown once

    receiver.answers = [500]
    contact_open(channel="chat", text="<b>Hallo</b>")
    webhooks_due()
    log = desk.get(f"/desk/webhooks/{subscription.pk}/").content.decode()
    assert "HTTP 500" in log and "contact.created" in log
    assert receiver.received[0].signature_ok


def test_a_refused_webhook_shows_the_form_again_in_dutch(make_user: Callable[..., User]) -> None:
    desk = _desk(make_user, "admin")
    response = desk.post(
        "/desk/webhooks/new/", {"url": "ftp://voorbeeld.nl/x", "events": ["contact.created"]}
    )
    assert response.status_code == 422
    assert "Geef een geldig webadres (http of https)." in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_an_admin_changes_and_removes_a_webhook(make_user: Callable[..., User]) -> None:
    desk = _desk(make_user, "admin")
    desk.post(
        "/desk/webhooks/new/",
        {"url": "https://crm.voorbeeld.nl/h", "events": ["contact.created"], "active": "on"},
    )
    subscription = WebhookSubscription.objects.get()
    secret = subscription.secret
    response = desk.post(
        f"/desk/webhooks/{subscription.pk}/edit/",
        {"url": "https://crm.voorbeeld.nl/h2", "events": ["contact.closed"]},
    )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.url, subscription.events, subscription.active) == (
        "https://crm.voorbeeld.nl/h2",
        ["contact.closed"],
        False,
    )
    assert subscription.secret == secret  # an empty secret field keeps the old one
    assert desk.post(f"/desk/webhooks/{subscription.pk}/remove/").status_code == 302
    assert not WebhookSubscription.objects.exists()


def test_people_below_admin_do_not_see_webhooks(make_user: Callable[..., User], settings: Any) -> None:
    for role in ("agent", "manager"):
        desk = _desk(make_user, role)
        assert desk.get("/desk/webhooks/").status_code == 403
        assert (
            desk.post(
                "/desk/webhooks/new/", {"url": "https://x.nl", "events": ["contact.created"]}
            ).status_code
            == 403
        )
        assert 'href="/desk/webhooks/"' not in desk.get("/desk/").content.decode()
    assert not WebhookSubscription.objects.exists()
