"""/health, for load balancers, `gezien serve` scripts and monitoring: 200 `{"status": "ok"}` when the
desk can do its work, else 503 `{"status": "fail", "reasons": [...]}` with one entry per problem:

- `database`: the database refuses a write (read-only, full, gone). A row is written in a transaction
  that is always rolled back, so nothing is kept;
- `backlog`: the oldest change waiting in the outbox (analysis, every listener), or the oldest task
  waiting for a worker, is older than GEZIEN_HEALTH_BACKLOG_MINUTES;
- `disk`: less than GEZIEN_HEALTH_MIN_FREE_MB free under GEZIEN_DATA_DIR;
- `worker`: where workers do the background work (`GEZIEN_HEALTH_WORKER`, by default when the outbox is
  not drained inline), the newest worker heartbeat is older than GEZIEN_HEALTH_WORKER_MINUTES. The admins
  are told once (a "worker" notification); when a worker beats again, that notification is cleared.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult, get_date_max

from gezien.accounts.models import Role, User
from gezien.contacts.models import OutboxEntry
from gezien.notifications.kinds import kind_register
from gezien.notifications.models import Notification
from gezien.web.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

WORKER_KIND = kind_register("worker", gettext_lazy("Achtergrondwerk"))
HEARTBEAT_SECONDS = 30
_PROBE = "health"


class _RolledBack(Exception):
    """Raised inside the write test so that its transaction never commits."""


def _database_writes() -> str | None:
    try:
        with transaction.atomic():
            WorkerHeartbeat.objects.update_or_create(name=_PROBE, defaults={"seen_at": timezone.now()})
            raise _RolledBack
    except _RolledBack:
        return None
    except DatabaseError as exc:
        return _("De database neemt geen wijzigingen aan: %(e)s") % {"e": str(exc)[:200]}


def _backlog(now: datetime, worker_expected: bool) -> str | None:
    limit = timedelta(minutes=settings.GEZIEN_HEALTH_BACKLOG_MINUTES)
    oldest = OutboxEntry.objects.order_by("created_at").values_list("created_at", flat=True).first()
    waits = [("outbox", oldest)] if oldest is not None else []
    if worker_expected:
        task = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", "run_after")
        first = task.first()
        if first is not None:
            enqueued, run_after = first
            waits.append(("taken", enqueued if run_after == get_date_max() else max(enqueued, run_after)))
    late = [(what, since) for what, since in waits if now - since > limit]
    if not late:
        return None
    what, since = min(late, key=lambda item: item[1])
    minutes = int((now - since).total_seconds() // 60)
    return _("Werk wacht al %(m)d minuten (%(what)s).") % {"m": minutes, "what": what}


def _disk() -> str | None:
    try:
        free = shutil.disk_usage(settings.DATA_DIR).free
    except OSError as exc:
        return _("De datamap is niet te lezen: %(e)s") % {"e": exc.strerror or exc}
    needed = settings.GEZIEN_HEALTH_MIN_FREE_MB * 1024 * 1024
    if free < needed:
        return _("Nog %(free)d MB vrij in de datamap (minimaal %(min)d MB).") % {
            "free": free // (1024 * 1024),
            "min": settings.GEZIEN_HEALTH_MIN_FREE_MB,
        }
    return None


def _worker(now: datetime) -> str | None:
    """None while a worker beats (or none ever did: a new installation waits for its first); else why."""
    newest = WorkerHeartbeat.objects.exclude(name=_PROBE).aggregate(at=Max("seen_at"))["at"]
    if newest is None:
        return None
    silent = now - newest
    if silent <= timedelta(minutes=settings.GEZIEN_HEALTH_WORKER_MINUTES):
        _worker_back()
        return None
    minutes = int(silent.total_seconds() // 60)
    reason = _("Geen achtergrondwerker gezien sinds %(m)d minuten.") % {"m": minutes}
    _worker_gone(reason)
    return reason


def _worker_gone(reason: str) -> None:
    """Tell every admin once (no unread "worker" notification of theirs yet)."""
    told = set(
        Notification.objects.filter(kind=WORKER_KIND, read_at__isnull=True).values_list(
            "recipient_id", flat=True
        )
    )
    admins = User.objects.filter(is_active=True, groups__name=Role.ADMIN).exclude(pk__in=told).distinct()
    Notification.objects.bulk_create(
        Notification(recipient=admin, kind=WORKER_KIND, text=reason[:300]) for admin in admins
    )


def _worker_back() -> None:
    Notification.objects.filter(kind=WORKER_KIND, read_at__isnull=True).update(read_at=timezone.now())


def health_reasons(now: datetime | None = None) -> list[dict[str, str]]:
    """What keeps the desk from doing its work, as `{"check": ..., "reason": ...}`; empty when nothing."""
    now = now or timezone.now()
    worker_expected = settings.GEZIEN_HEALTH_WORKER
    checks: list[tuple[str, Any]] = [
        ("database", _database_writes),
        ("backlog", lambda: _backlog(now, worker_expected)),
        ("disk", _disk),
    ]
    if worker_expected:
        checks.append(("worker", lambda: _worker(now)))
    reasons = []
    for name, check in checks:
        try:
            reason = check()
        except DatabaseError as exc:  # the database cannot even be read
            reason = _("De database is niet bereikbaar: %(e)s") % {"e": str(exc)[:200]}
        if reason:
            reasons.append({"check": name, "reason": reason})
    return reasons


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    reasons = health_reasons()
    if reasons:
        logger.warning("Health check failed: %s", reasons)
        return JsonResponse({"status": "fail", "reasons": reasons}, status=503)
    return JsonResponse({"status": "ok"})


def heartbeat_beat(name: str) -> None:
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


def heartbeat_start(every_seconds: int = HEARTBEAT_SECONDS) -> threading.Event:
    """A `gezien worker`'s heartbeat: its row renewed every `every_seconds` on a daemon thread (removed
    when it stops cleanly); set the returned event to stop."""
    name = f"{socket.gethostname()}:{os.getpid()}"[:200]
    stop = threading.Event()

    def loop() -> None:
        while True:
            try:
                heartbeat_beat(name)
            except Exception:
                logger.exception("The worker heartbeat could not be written.")
            finally:
                close_old_connections()
            if stop.wait(every_seconds):
                break
        try:
            WorkerHeartbeat.objects.filter(name=name).delete()
        except DatabaseError:
            logger.warning("The worker heartbeat could not be removed.")

    threading.Thread(target=loop, name="worker-heartbeat", daemon=True).start()
    return stop
