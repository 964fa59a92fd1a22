"""Getting events out: one attempt at a delivery (`delivery_attempt`: an HTTP POST of the event's body,
signed with the subscription's secret), exponential back-off after a failure, every attempt logged.

Who sends (like e-mail, `mail.delivery`): after the commit that recorded the event, the task queue
(`webhook_deliver_task`, run by `gezien worker`); on the embedded default (`GEZIEN_ANALYSIS_INLINE`, no
worker) a sender thread of the serving process, so that no request waits on a receiver. A failed
attempt is tried again after `GEZIEN_WEBHOOK_RETRY_SECONDS` × 2^(attempts − 1) (at most
`GEZIEN_WEBHOOK_RETRY_MAX_SECONDS`), up to `GEZIEN_WEBHOOK_MAX_ATTEMPTS` attempts. The periodic job
(`webhooks_due`) sends what fell due and what a stopped process left: a delivery is claimed by moving
its `next_attempt_at` a lease ahead, so two senders never post it at once and none is lost."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta
from http.client import HTTPException
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django_tasks import task

from gezien.webhooks.models import DeliveryState, WebhookAttempt, WebhookDelivery

logger = logging.getLogger(__name__)

DUE_BATCH = 100
RESPONSE_CHARS = 500
USER_AGENT = "Gezien-Webhooks/1"


def signature(secret: str, body: bytes) -> str:
    """The `X-Gezien-Signature` header of `body`: HMAC-SHA256 with the subscription's secret, in hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: doubling from the base, up to the maximum."""
    base = float(settings.GEZIEN_WEBHOOK_RETRY_SECONDS)
    seconds = min(base * 2 ** max(attempts - 1, 0), float(settings.GEZIEN_WEBHOOK_RETRY_MAX_SECONDS))
    return timedelta(seconds=seconds)


def _lease() -> timedelta:
    return timedelta(seconds=float(settings.GEZIEN_WEBHOOK_TIMEOUT_SECONDS) + 60)


def _claim(delivery_ids: Iterable[int], now: datetime) -> list[WebhookDelivery]:
    """Claim the pending, due deliveries among `delivery_ids` in one statement (their `next_attempt_at`
    moves to a lease end of this claim's own); returns those this claim won, with what sending needs."""
    ids = list(delivery_ids)
    if not ids:
        return []
    token = now + _lease() + timedelta(microseconds=secrets.randbelow(1_000_000))
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = WebhookDelivery.objects.filter(due, pk__in=ids, state=DeliveryState.PENDING).update(
        next_attempt_at=token, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return []
    return list(
        WebhookDelivery.objects.filter(pk__in=ids, next_attempt_at=token, state=DeliveryState.PENDING)
        .select_related("event", "subscription")
        .order_by("id")
    )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A receiver that redirects has not taken the event: the 3xx is logged as the answer."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str, str]:
    """POST `body`; the status code (None when no answer came), the start of the answer, the error."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 -- http(s) only, checked on saving
    timeout = float(settings.GEZIEN_WEBHOOK_TIMEOUT_SECONDS)
    try:
        with _opener.open(request, timeout=timeout) as answer:
            return answer.status, answer.read(RESPONSE_CHARS).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as error:
        text = error.read(RESPONSE_CHARS).decode("utf-8", "replace") if error.fp else ""
        return error.code, text, f"HTTP {error.code}"
    except (urllib.error.URLError, HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, "", f"{type(error).__name__}: {reason}"[:2000]


def _send(delivery: WebhookDelivery, now: datetime) -> str:
    """One attempt at a claimed delivery; logs it and moves the delivery on. Returns its state."""
    event, subscription = delivery.event, delivery.subscription
    body = event.body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Gezien-Event": event.name,
        "X-Gezien-Delivery": str(delivery.uuid),
        "X-Gezien-Timestamp": str(int(now.timestamp())),
        "X-Gezien-Signature": signature(subscription.secret, body),
    }
    started = time.monotonic()
    if subscription.active:
        code, answer, error = _post(subscription.url, body, headers)
    else:
        code, answer, error = None, "", "the subscription is switched off"
    duration_ms = (time.monotonic() - started) * 1000
    delivered = code is not None and 200 <= code < 300
    error = "" if delivered else (error or f"HTTP {code}")
    final = delivered or not subscription.active or delivery.attempts >= settings.GEZIEN_WEBHOOK_MAX_ATTEMPTS
    done = timezone.now()
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            at=now,
            status_code=code,
            duration_ms=round(duration_ms, 1),
            error=error,
            response=answer[:RESPONSE_CHARS],
        )
        changes: dict[str, Any] = {"last_status_code": code, "last_error": error, "updated_at": done}
        if delivered:
            state = DeliveryState.DELIVERED
            changes |= {"state": state, "delivered_at": done, "finished_at": done, "next_attempt_at": None}
        elif final:
            state = DeliveryState.FAILED
            changes |= {"state": state, "finished_at": done, "next_attempt_at": None}
        else:
            state = DeliveryState.PENDING
            changes["next_attempt_at"] = done + retry_delay(delivery.attempts)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**changes)
        if state == DeliveryState.PENDING and not settings.GEZIEN_ANALYSIS_INLINE:
            try:
                with transaction.atomic():  # a queue that fails must not take the logged attempt with it
                    _enqueue(delivery.pk, changes["next_attempt_at"])
            except Exception:
                logger.exception(
                    "No retry task for webhook delivery %s; the periodic job sends it.", delivery.pk
                )
    return state


def delivery_attempt(delivery_id: int, now: datetime | None = None) -> str | None:
    """One attempt at a pending delivery that is due; its state afterwards, or None when it was not
    this call's to send (delivered, failed, not due yet, or claimed by another sender)."""
    now = now or timezone.now()
    claimed = _claim([delivery_id], now)
    return _send(claimed[0], now) if claimed else None


def webhooks_due(now: datetime | None = None) -> int:
    """The periodic job (and the sender thread's round): attempt the pending deliveries that are due.
    Returns how many were delivered."""
    now = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )
    return [_send(d, now) for d in _claim(list(due), now)].count(DeliveryState.DELIVERED)


def _enqueue(delivery_id: int, run_after: datetime | None = None) -> None:
    """Queue an attempt (at `run_after`). A backend that cannot defer a task (`supports_defer`) gets no
    retry task: the periodic job sends the delivery when it falls due."""
    if run_after is None:
        webhook_deliver_task.enqueue(delivery_id)
    elif webhook_deliver_task.get_backend().supports_defer:
        webhook_deliver_task.using(run_after=run_after).enqueue(delivery_id)


def dispatch(delivery_ids: list[int]) -> None:
    """After the commit that recorded an event: the worker's task queue, or this process's sender
    thread on the embedded default. Whatever goes wrong here, the deliveries stay for the periodic job."""
    try:
        if settings.GEZIEN_ANALYSIS_INLINE:
            sender_wake()
        else:
            for delivery_id in delivery_ids:
                _enqueue(delivery_id)
    except Exception:
        logger.exception("Webhook deliveries %s stay pending for the periodic job.", delivery_ids)


# --- the sender thread of the embedded default --------------------------------------------------------


class _Sender:
    """A daemon thread that sends what is due when woken, and sleeps until the next retry falls due."""

    IDLE_S = 30.0  # looks for deliveries of other processes (and lost ones) this often

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="gezien-webhooks", daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            self.wake.clear()
            wait = self.IDLE_S
            try:
                while webhooks_due() or self._more_due():
                    pass
                wait = self._until_next()
            except Exception:
                logger.exception("Sending webhooks failed; the deliveries stay pending.")
            finally:
                close_old_connections()
            self.wake.wait(wait)
        connections.close_all()  # this thread's own connection: a stopped sender holds none

    @staticmethod
    def _more_due() -> bool:
        return WebhookDelivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lte=timezone.now()
        ).exists()

    def _until_next(self) -> float:
        soonest = WebhookDelivery.objects.filter(state=DeliveryState.PENDING).aggregate(
            at=Min("next_attempt_at")
        )
        if soonest["at"] is None:
            return self.IDLE_S
        due: datetime = soonest["at"]
        return min(self.IDLE_S, max(0.0, (due - timezone.now()).total_seconds()))


_sender: _Sender | None = None
_sender_lock = threading.Lock()


def sender_wake() -> None:
    """Have this process's sender thread look for due deliveries now (starting it the first time)."""
    global _sender
    with _sender_lock:
        if _sender is None or _sender.pid != os.getpid() or not _sender.thread.is_alive():
            _sender = _Sender()
            _sender.thread.start()
        _sender.wake.set()


def sender_stop(timeout_s: float = 5.0) -> None:
    """Stop this process's sender thread (after the attempt it is making)."""
    global _sender
    with _sender_lock:
        sender, _sender = _sender, None
    if sender is not None:
        sender.stop.set()
        sender.wake.set()
        sender.thread.join(timeout_s)


@task()
def webhook_deliver_task(delivery_id: int) -> str | None:
    """One attempt at a pending delivery (run by `gezien worker`); the periodic job
    `webhook_deliveries` makes a lost task good."""
    return delivery_attempt(delivery_id)
