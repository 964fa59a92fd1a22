"""/health answers 503 with its reasons as JSON when the desk cannot do its work: a database that
refuses writes, work waiting too long, a full disk, a worker gone (the admins are told once, and the
notice is cleared when a worker beats again); 200 "ok" otherwise."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from gezien.contacts.models import OutboxEntry
from gezien.notifications.models import Notification
from gezien.web.health import heartbeat_beat
from gezien.web.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def _health() -> tuple[int, dict[str, Any]]:
    response = Client().get("/health")
    return response.status_code, response.json()


def _checks(body: dict[str, Any]) -> list[str]:
    return [r["check"] for r in body.get("reasons", [])]


def test_a_healthy_desk_says_ok_and_keeps_nothing_of_its_write_test() -> None:
    assert _health() == (200, {"status": "ok"})
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)  # PostgreSQL: a read-only setting applies to the next transaction
def test_a_database_that_refuses_writes_fails_the_check() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET default_transaction_read_only = on")
    try:
        status, body = _health()
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA query_only = OFF")
            else:
                cursor.execute("SET default_transaction_read_only = off")
    assert status == 503 and body["status"] == "fail"
    assert _checks(body) == ["database"]


def test_a_full_disk_fails_the_check(settings: Any) -> None:
    settings.GEZIEN_HEALTH_MIN_FREE_MB = 10**12  # more than any disk has free
    status, body = _health()
    assert status == 503 and _checks(body) == ["disk"]
    assert "MB vrij" in body["reasons"][0]["reason"]


def test_work_waiting_too_long_fails_the_check(settings: Any) -> None:
    settings.GEZIEN_HEALTH_BACKLOG_MINUTES = 10
    entry = OutboxEntry.objects.create(contact_ids="1")
    assert _health()[0] == 200  # just written: the drain has time
    OutboxEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    status, body = _health()
    assert status == 503 and _checks(body) == ["backlog"]


def test_a_gone_worker_fails_the_check_and_tells_the_admins_once(settings: Any, make_user: Any) -> None:
    settings.GEZIEN_HEALTH_WORKER = True
    settings.GEZIEN_HEALTH_WORKER_MINUTES = 5
    admin = make_user("beheer", "admin")
    make_user("lotte", "teamlead")
    heartbeat_beat("worker-1:123")
    assert _health()[0] == 200
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(minutes=6))
    for _ in range(3):
        status, body = _health()
        assert status == 503 and _checks(body) == ["worker"]
    told = Notification.objects.filter(kind="worker")
    assert [(n.recipient_id, n.read_at) for n in told] == [(admin.pk, None)]
    heartbeat_beat("worker-1:123")  # back
    assert _health()[0] == 200
    assert Notification.objects.get(kind="worker").read_at is not None  # cleared
