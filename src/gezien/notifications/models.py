from __future__ import annotations

from django.conf import settings
from django.db import models

from gezien.notifications.kinds import MAX_CODE, kind_label


class Notification(models.Model):
    """Something a person should know: a team lead hears about an incident, an agent about a warm
    transfer announced to them, a lead about a gap in the plan.

    `kind` is one of the kinds features register (no choices here, so a feature adding a kind needs no
    migration in this app). `contact_id` and `incident_id` say what it is about without a foreign key,
    since the features they belong to sit above this app; `link` is where in the desk to act on it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=MAX_CODE)
    text = models.CharField(max_length=300)
    contact_id = models.BigIntegerField(null=True, blank=True)
    incident_id = models.BigIntegerField(null=True, blank=True)
    # Where in the desk to act on it (a path such as /planning/?day=…), for what has no contact of its own.
    link = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.text[:40]}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)
