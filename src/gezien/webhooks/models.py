"""Webhooks: events sent out to other systems. A subscription (a URL, the events it wants, a secret),
the events as recorded in the transaction of the change, one delivery per event and subscription, and
every attempt at a delivery (docs/webhooks.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The events a subscription can ask for, with the Dutch name the desk shows.
EVENTS: dict[str, Promise] = {
    "contact.created": _("Contact geopend"),
    "message.created": _("Bericht toegevoegd"),
    "contact.assigned": _("Contact toegewezen"),
    "contact.closed": _("Contact gesloten"),
    "survey.answered": _("Enquête beantwoord"),
}


class WebhookSubscription(models.Model):
    url = models.URLField(_("adres"), max_length=1000)
    events = models.JSONField(_("gebeurtenissen"), default=list)  # names out of EVENTS
    secret = models.CharField(_("geheim"), max_length=200)  # signs each body (HMAC-SHA256)
    active = models.BooleanField(_("actief"), default=True)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        indexes = [models.Index(fields=["active"], name="webhook_active")]

    def __str__(self) -> str:
        return f"webhook {self.pk} → {self.url}"


class WebhookEvent(models.Model):
    """One event, recorded in the transaction of the change it tells of. `body` is the JSON exactly as
    sent (and signed): every delivery and every retry sends the same bytes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=40)
    contact_id = models.BigIntegerField(null=True, blank=True)  # kept even after the contact is gone
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} {self.uuid}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Wacht")
    DELIVERED = "delivered", _("Bezorgd")
    FAILED = "failed", _("Mislukt")


class WebhookDelivery(models.Model):
    """An event on its way to one subscription: pending until the receiver answers 2xx (delivered) or
    the last attempt failed (failed). `next_attempt_at` is when it is due; a sender claims it by moving
    that a lease ahead, so a process that stops mid-attempt leaves it to be tried again."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)  # delivered, or failed for good
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["subscription", "-id"], name="webhook_delivery_log"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="webhook_delivery_state_valid"
            ),
            models.UniqueConstraint(fields=["event", "subscription"], name="webhook_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.uuid} ({self.state})"


class WebhookAttempt(models.Model):
    """One try at a delivery: what the receiver answered (or the error), and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.FloatField()
    error = models.TextField(blank=True)
    response = models.TextField(blank=True)  # the start of the receiver's answer

    class Meta:
        ordering = ["delivery_id", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}: {self.status_code or self.error}"
