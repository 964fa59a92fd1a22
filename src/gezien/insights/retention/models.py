"""Churn risk per customer (R18), the retention follow-ups on it, and the log of weekly digests sent to
departments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.accounts.models import Department
from gezien.customers.models import Customer


class RiskLevel(models.TextChoices):
    LOW = "laag", _("Laag")
    MEDIUM = "middel", _("Middel")
    HIGH = "hoog", _("Hoog")


class CustomerRisk(models.Model):
    """How likely a customer is to leave, and why, in words with their evidence.

    Rebuilt by `risk.risks_refresh` (never edited by hand). `reasons` is a list of
    {"kind", "text", "weight", "evidence": [{"contact_id", "message_id", "words", "at"}...]}, strongest
    first; `components` holds the four parts of the score (0..1 each) so the figure can be retraced.
    """

    customer = models.OneToOneField(
        Customer, on_delete=models.CASCADE, primary_key=True, related_name="churn_risk"
    )
    score = models.FloatField(default=0.0)
    level = models.CharField(max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW)
    reasons = models.JSONField(default=list, blank=True)
    components = models.JSONField(default=dict, blank=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    open_matters = models.IntegerField(default=0)
    high_since = models.DateTimeField(null=True, blank=True)  # when the level last rose to hoog
    computed_for = models.DateTimeField()  # the moment the decay was counted from
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "customer_id"]
        verbose_name = _("opzegrisico")
        verbose_name_plural = _("opzegrisico's")
        indexes = [models.Index(fields=["level", "-score"], name="risk_level_score")]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="risk_score_range"),
            models.CheckConstraint(
                condition=Q(level__in=["laag", "middel", "hoog"]), name="risk_level_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"risk of customer {self.customer_id}: {self.level} ({self.score:.2f})"


class StaleRisk(models.Model):
    """A customer whose risk must be computed again (a contact changed, new signals)."""

    customer_id = models.IntegerField(primary_key=True)
    since = models.DateTimeField()

    class Meta:
        ordering = ["since"]

    def __str__(self) -> str:
        return f"stale risk of customer {self.customer_id}"


class FollowUpOutcome(models.TextChoices):
    OPEN = "open", _("Loopt nog")
    REACHED = "gesproken", _("Gesproken")
    NOT_REACHED = "niet_bereikt", _("Niet bereikt")
    RETAINED = "behouden", _("Blijft klant")
    LEFT = "vertrokken", _("Toch vertrokken")


class RetentionFollowUp(models.Model):
    """Someone followed up a customer at risk ("opgevolgd"): who, when, what they did and how it went."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="retention_follow_ups")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("notitie"))
    outcome = models.CharField(
        _("uitkomst"), max_length=12, choices=FollowUpOutcome.choices, default=FollowUpOutcome.OPEN
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("opvolging")
        verbose_name_plural = _("opvolgingen")
        indexes = [models.Index(fields=["customer", "-at"], name="follow_up_customer")]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in FollowUpOutcome]), name="follow_up_outcome_valid"
            )
        ]

    def __str__(self) -> str:
        return f"follow-up of customer {self.customer_id} ({self.outcome})"


class DigestLog(models.Model):
    """A weekly digest sent to a department: one per department and week, so none is sent twice."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="digests")
    week_start = models.DateField()  # the Monday of the week the digest covers
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-week_start", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "week_start"], name="digest_once_per_week")
        ]

    def __str__(self) -> str:
        return f"digest {self.department_id} {self.week_start}"
