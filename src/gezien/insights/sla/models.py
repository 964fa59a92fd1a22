"""Service levels: targets per channel and priority, and the next moment an open contact's timer
changes its figures (so a running timer that breaches later is still counted)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gezien.contacts.models import Channel, Priority


class SlaPolicy(models.Model):
    """Targets for one channel and priority, in minutes of opening hours (`GEZIEN_OPENING_HOURS`).

    No first-response target (null) suits the phone, which is answered live. A timer is "bijna over
    tijd" once `warn_share` of its target is used."""

    channel = models.CharField(_("kanaal"), max_length=10, choices=Channel.choices)
    priority = models.CharField(_("prioriteit"), max_length=10, choices=Priority.choices)
    first_response_minutes = models.PositiveIntegerField(
        _("eerste reactie binnen (minuten)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(_("afgehandeld binnen (minuten)"), null=True, blank=True)
    warn_share = models.FloatField(_("waarschuwen bij deel van de tijd"), default=0.8)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["channel", "priority"]
        verbose_name = _("servicenorm")
        constraints = [
            models.UniqueConstraint(fields=["channel", "priority"], name="sla_policy_channel_priority"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="sla_policy_channel_valid"),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="sla_policy_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(warn_share__gt=0) & Q(warn_share__lt=1), name="sla_policy_warn_share"
            ),
            models.CheckConstraint(
                condition=Q(first_response_minutes__isnull=True) | Q(first_response_minutes__gt=0),
                name="sla_policy_first_response_positive",
            ),
            models.CheckConstraint(
                condition=Q(resolution_minutes__isnull=True) | Q(resolution_minutes__gt=0),
                name="sla_policy_resolution_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}/{self.priority}"


class SlaDeadline(models.Model):
    """The next deadline of an open contact whose outcome is still pending (written with its fact).
    `sla_mark_breached_stale` finds the passed ones with one indexed read and has their facts rebuilt;
    `warn_at` answers "bijna over tijd" on the report without computing timers for every open contact."""

    contact_id = models.IntegerField(primary_key=True)
    warn_at = models.DateTimeField()
    due_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["due_at"], name="sla_deadline_due"),
            models.Index(fields=["warn_at"], name="sla_deadline_warn"),
        ]

    def __str__(self) -> str:
        return f"deadline of contact {self.contact_id} at {self.due_at:%Y-%m-%d %H:%M}"
