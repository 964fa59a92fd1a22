"""Webhooks: signed events out to a real receiver on 127.0.0.1, retries with back-off, the delivery log,
events recorded in the transaction of their change, and the subscriptions' API."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from gezien.accounts.models import User
from gezien.contacts import services as contacts
from gezien.contacts.models import Contact
from gezien.customers.models import Customer
from gezien.insights.surveys.links import survey_token
from gezien.insights.surveys.models import SurveyInvitation
from gezien.insights.surveys.services import survey_answer
from gezien.webhooks.delivery import delivery_attempt, retry_delay, webhooks_due
from gezien.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from gezien.webhooks.services import subscription_add, subscription_change
from tests.conftest import ApiClient
from tests.webhooks.conftest import SECRET, Receiver

ALL = ["contact.created", "message.created", "contact.assigned", "contact.closed", "survey.answered"]


def _settled(subscription_id: int, timeout: float = 10.0) -> WebhookDelivery:
    """The subscription's delivery once the sender has logged its last attempt (it writes the log just
    after the receiver answered, on its own thread)."""
    deadline = time.monotonic() + timeout
    while True:
        delivery = WebhookDelivery.objects.get(subscription_id=subscription_id)
        if delivery.state != "pending" or time.monotonic() > deadline:
            return delivery
        time.sleep(0.02)


def _subscribe(api: ApiClient, receiver: Receiver, events: list[str]) -> dict[str, Any]:
    response = api.post("/api/webhooks", {"url": receiver.url, "events": events, "secret": SECRET})
    assert response.status_code == 201, response.content
    return dict(response.json_body)


@pytest.mark.django_db(transaction=True)
def test_a_subscribed_receiver_gets_a_signed_event_and_the_log_shows_it(
    api_as: Any, api: ApiClient, receiver: Receiver
) -> None:
    admin = api_as("admin")
    subscription = _subscribe(admin, receiver, ["contact.created"])
    assert subscription["secret"] == SECRET and subscription["secret_hint"] == "…tien"

    opened = api.post("/api/contacts", {"channel": "chat", "text": "Mijn factuur klopt niet"}).json_body
    [got] = receiver.wait_for(1)
    assert got.signature_ok
    assert got.path == "/hooks/gezien"
    assert got.headers["X-Gezien-Event"] == "contact.created"
    assert got.headers["Content-Type"] == "application/json; charset=utf-8"
    assert abs(int(got.headers["X-Gezien-Timestamp"]) - time.time()) < 30
    body = got.json
    assert body["event"] == "contact.created"
    assert body["data"]["contact"]["id"] == opened["id"]
    assert body["data"]["contact"]["channel"] == "chat"
    assert body["data"]["message"]["text"] == "Mijn factuur klopt niet"

    _settled(subscription["id"])
    log = admin.get(f"/api/webhooks/{subscription['id']}/deliveries").json_body
    assert log["count"] == 1
    [delivery] = log["items"]
    assert delivery["id"] == got.headers["X-Gezien-Delivery"]
    assert delivery["event_id"] == body["id"]
    assert (delivery["state"], delivery["attempts"], delivery["last_status_code"]) == ("delivered", 1, 200)
    [attempt] = delivery["attempt_log"]
    assert attempt["status_code"] == 200 and attempt["duration_ms"] >= 0 and attempt["error"] == ""
    assert delivery["body"].encode() == got.body
    assert "secret" not in admin.get(f"/api/webhooks/{subscription['id']}").json_body


@pytest.mark.django_db(transaction=True)
def test_a_receiver_answering_500_gets_the_same_event_again_after_a_back_off(
    api_as: Any, api: ApiClient, receiver: Receiver, settings: Any
) -> None:
    settings.GEZIEN_WEBHOOK_RETRY_SECONDS = 0.3
    subscription = _subscribe(api_as("admin"), receiver, ["contact.created"])
    receiver.answers = [500]
    api.post("/api/contacts", {"channel": "chat", "text": "Hallo"})
    first, second = receiver.wait_for(2)
    assert (first.status, second.status) == (500, 200)
    assert first.body == second.body and first.signature_ok and second.signature_ok
    assert first.headers["X-Gezien-Delivery"] == second.headers["X-Gezien-Delivery"]

    delivery = _settled(subscription["id"])
    assert (delivery.state, delivery.attempts) == ("delivered", 2)
    attempts = list(delivery.attempt_log.order_by("number"))
    assert [(a.number, a.status_code, a.error) for a in attempts] == [(1, 500, "HTTP 500"), (2, 200, "")]
    assert attempts[0].response == "kapot"
    assert attempts[1].at - attempts[0].at >= timedelta(seconds=0.3)


@pytest.mark.django_db(transaction=True)
def test_a_receiver_that_keeps_failing_is_given_up_after_the_last_attempt(
    api_as: Any, api: ApiClient, receiver: Receiver, settings: Any
) -> None:
    settings.GEZIEN_WEBHOOK_RETRY_SECONDS = 0.05
    settings.GEZIEN_WEBHOOK_MAX_ATTEMPTS = 3
    subscription = _subscribe(api_as("admin"), receiver, ["contact.created"])
    receiver.answers = [503] * 10
    api.post("/api/contacts", {"channel": "chat", "text": "Hallo"})
    assert len(receiver.wait_for(3)) == 3
    delivery = _settled(subscription["id"])
    receiver.wait_for(4, timeout=0.5)
    assert len(receiver.received) == 3
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("failed", 3, "HTTP 503")
    assert delivery.next_attempt_at is None and delivery.finished_at is not None


def test_the_back_off_doubles_up_to_its_maximum(settings: Any) -> None:
    settings.GEZIEN_WEBHOOK_RETRY_SECONDS = 30
    settings.GEZIEN_WEBHOOK_RETRY_MAX_SECONDS = 3600
    assert [retry_delay(n).total_seconds() for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]


@pytest.mark.django_db(transaction=True)
def test_every_event_reaches_the_receiver(
    api_as: Any, agent: User, customer: Customer, receiver: Receiver, outgoing_mailbox: Any
) -> None:
    _subscribe(api_as("admin"), receiver, ALL)
    contact = contacts.contact_open(
        channel="email", identities=[("email", "a.jansen@ziggo.nl")], text="Hoi"
    ).contact
    contacts.contact_take(contact=contact, actor=agent)
    contacts.message_add(contact=contact, author="agent", agent=agent, text="Dag mevrouw Jansen")
    contacts.contact_set_status(contact=contact, status="closed", actor=agent)
    invitation = SurveyInvitation.objects.get(contact=contact)
    survey_answer(token=survey_token(invitation), score=9, comment="Snel geholpen")
    received = receiver.wait_for(5)
    assert all(r.signature_ok for r in received)
    by_event = {r.json["event"]: r.json for r in received}
    assert set(by_event) == set(ALL)
    assert by_event["contact.assigned"]["data"]["contact"]["assigned_agent"] == agent.username
    assert by_event["contact.assigned"]["data"]["actor"] == agent.username
    assert by_event["message.created"]["data"]["message"]["author"] == "agent"
    assert by_event["contact.closed"]["data"]["contact"]["status"] == "closed"
    survey = by_event["survey.answered"]["data"]
    assert (survey["survey"]["score"], survey["survey"]["comment"]) == (9, "Snel geholpen")
    assert survey["contact"]["id"] == contact.pk
    assert by_event["contact.created"]["data"]["contact"]["customer_id"] == customer.pk


def test_the_event_is_recorded_in_the_transaction_of_its_change(receiver: Receiver, db: None) -> None:
    subscription_add(url=receiver.url, events=["contact.created"], secret=SECRET)
    with pytest.raises(RuntimeError), transaction.atomic():
        contacts.contact_open(channel="chat", text="Weg")
        raise RuntimeError("the request fails after the contact was opened")
    assert (Contact.objects.count(), WebhookEvent.objects.count()) == (0, 0)

    # Committed, and the process stops before sending (in this test nothing runs after the commit): the
    # delivery waits, and the periodic job sends it.
    contacts.contact_open(channel="chat", text="Blijft")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("pending", 0)
    assert receiver.received == []
    assert webhooks_due() == 1
    [got] = receiver.received
    assert got.signature_ok and got.json["data"]["message"]["text"] == "Blijft"
    assert webhooks_due() == 0  # sent once


def test_a_transaction_reads_the_subscriptions_once_and_sees_them_change(
    receiver: Receiver, db: None
) -> None:
    """A mail batch records an event for each new message in one transaction: the active subscriptions
    are read once there, and a subscription added or switched off in it counts from then on."""
    table = WebhookSubscription._meta.db_table
    with transaction.atomic():
        contacts.contact_open(channel="chat", text="Een")  # nobody subscribed yet
        subscription = subscription_add(url=receiver.url, events=["contact.created"], secret=SECRET)
        contacts.contact_open(channel="chat", text="Twee")
        with CaptureQueriesContext(connection) as captured:
            contacts.contact_open(channel="chat", text="Drie")
        subscription_change(subscription=subscription, active=False)
        contacts.contact_open(channel="chat", text="Vier")
    told = [json.loads(e.body)["data"]["message"]["text"] for e in WebhookEvent.objects.order_by("pk")]
    assert told == ["Twee", "Drie"]
    assert not [q for q in captured.captured_queries if table in q["sql"]]  # held since "Twee"


def test_no_subscription_no_rows(db: None) -> None:
    contacts.contact_open(channel="chat", text="Hallo")
    assert WebhookEvent.objects.count() == 0


def test_the_task_queue_delivers_and_retries_with_run_after(
    receiver: Receiver, db: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.GEZIEN_ANALYSIS_INLINE = False  # a worker runs: the deliveries go through the task queue
    subscription_add(url=receiver.url, events=["contact.created"], secret=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        contacts.contact_open(channel="chat", text="Hallo")
    delivery = WebhookDelivery.objects.get()
    [task] = DBTaskResult.objects.filter(task_path__endswith="webhook_deliver_task")
    assert task.args_kwargs == {"args": [delivery.pk], "kwargs": {}}
    receiver.answers = [502]
    assert delivery_attempt(delivery.pk) == "pending"
    delivery.refresh_from_db()
    retry = DBTaskResult.objects.filter(task_path__endswith="webhook_deliver_task").exclude(pk=task.pk).get()
    assert retry.run_after == delivery.next_attempt_at
    assert delivery_attempt(delivery.pk) is None  # not due yet: the task that runs too early does nothing
    assert delivery_attempt(delivery.pk, now=delivery.next_attempt_at) == "delivered"
    assert [r.status for r in receiver.received] == [502, 200]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"url": "ftp://example.org/x", "events": ["contact.created"]}, "url"),
        ({"url": "javascript:alert(1)", "events": ["contact.created"]}, "url"),
        ({"url": "https://user:pw@example.org/x", "events": ["contact.created"]}, "url"),
        ({"url": "https://example.org/x", "events": ["contact.deleted"]}, "events"),
        ({"url": "https://example.org/x", "events": []}, "events"),
        ({"url": "https://example.org/x", "events": ["contact.created"], "secret": "kort"}, "secret"),
        ({"url": "https://example.org/x", "events": "contact.created"}, "events"),
        ({"url": "https://example.org/\x00", "events": ["contact.created"]}, "body"),  # the NUL check
    ],
)
def test_a_bad_subscription_is_refused_and_nothing_is_stored(
    api_as: Any, payload: dict[str, Any], field: str
) -> None:
    admin = api_as("admin")
    response = admin.post("/api/webhooks", payload)
    assert response.status_code == 422, response.content
    assert field in json.dumps(response.json_body["detail"][0]["loc"])
    assert admin.get("/api/webhooks").json_body == []


def test_only_admins_manage_webhooks(api: ApiClient, api_as: Any) -> None:
    assert api.get("/api/webhooks").status_code == 403
    assert (
        api.post("/api/webhooks", {"url": "https://example.org/x", "events": ["contact.created"]}).status_code
        == 403
    )
    assert api_as("manager").get("/api/webhooks").status_code == 403


def test_an_admin_changes_and_removes_a_subscription(api_as: Any) -> None:
    admin = api_as("admin")
    created = admin.post(
        "/api/webhooks", {"url": "https://example.org/x", "events": ["contact.created"]}
    ).json_body
    assert len(created["secret"]) >= 32  # made when none was given
    changed = admin.patch(
        f"/api/webhooks/{created['id']}", {"active": False, "events": ["contact.closed", "contact.created"]}
    )
    assert changed.status_code == 200
    assert (changed.json_body["active"], changed.json_body["events"]) == (
        False,
        ["contact.created", "contact.closed"],
    )
    assert admin.patch(f"/api/webhooks/{created['id']}", {"url": None}).status_code == 422
    assert admin.delete(f"/api/webhooks/{created['id']}").status_code == 204
    assert admin.get(f"/api/webhooks/{created['id']}").status_code == 404
    assert admin.get(f"/api/webhooks/{created['id']}/deliveries").status_code == 404
