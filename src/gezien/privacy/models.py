"""What privacy keeps: erasure requests (waiting for a second manager, or done), the files an erasure
still has to remove, and which contacts the retention period has anonymised. None of it holds personal
data: ids, who asked, when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ErasureState(models.TextChoices):
    PENDING = "pending", _("Wacht op een tweede manager")
    DONE = "done", _("Gewist")
    CANCELLED = "cancelled", _("Ingetrokken")


class ErasureRequest(models.Model):
    """A request to erase one customer's personal data. With GEZIEN_ERASE_APPROVERS=2 it waits
    (`pending`) until a second manager approves it; then, or at once with one approver, it is carried
    out (`done`). The customer id is a plain number: the row outlives what it erased."""

    customer_id = models.BigIntegerField()
    state = models.CharField(max_length=10, choices=ErasureState.choices, default=ErasureState.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)  # what was erased, per kind: numbers only

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("verzoek tot wissen")
        permissions = [
            ("export_customer", "Export everything about a customer (subject-access request)"),
            ("erase_customer", "Erase a customer's personal data"),
            ("redact_message", "Redact part of a message"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ErasureState.values), name="erasure_state_valid"),
            models.UniqueConstraint(
                fields=["customer_id"], condition=Q(state="pending"), name="erasure_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"erasure of customer {self.customer_id} ({self.state})"


class FileRemoval(models.Model):
    """A file to remove once the erasure that named it has committed: written in that transaction, so
    a process that stops before the file is gone leaves the row for the next tick to try again."""

    class Where(models.TextChoices):
        STORAGE = "storage", _("Bestandsopslag")  # a name in Django's default storage (attachments)
        PATH = "path", _("Bestand op schijf")  # an absolute path (mails written to a folder)

    where = models.CharField(max_length=10, choices=Where.choices)
    name = models.CharField(max_length=1000)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"file removal {self.pk} ({self.where})"


class AnonymisedContact(models.Model):
    """A contact whose personal data was removed (retention period or erasure): done once."""

    contact_id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["contact_id"]

    def __str__(self) -> str:
        return f"anonymised contact {self.contact_id}"
