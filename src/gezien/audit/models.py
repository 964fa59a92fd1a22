"""`AuditEntry`: one read or change, append-only (the database refuses UPDATE and DELETE, migration 0002)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who (`actor_id` and `actor_name`, copied: no foreign key, so the log outlives a removed user) did
    what (`action`, "<object>.<verb>") to which object, about which customer, when and from where
    (`source`: the client address, or "cli", "tick", "worker"). `details` holds ids, counts and field
    names, never a customer's words or personal data.

    Written with one INSERT, unsealed (`seq` null, `prev_hash` and `hash` empty); `chain.audit_seal` then
    gives it the next place in the chain (`seq`) and its hash, the only change the database allows."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_name = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    customer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    details = models.JSONField(default=dict, blank=True)
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditCheckpoint(models.Model):
    """How far the chain was last found intact: the place (`seq`) and hash of its newest entry then. A
    check starts from the newest checkpoint instead of the first entry (the log grows with every page a
    person opens, so walking all of it on every look got slower by the day), and a checkpoint whose
    entry is gone or changed shows a cut-off or rewritten end of the log. Each one is also written to
    the server's log, outside the database."""

    seq = models.BigIntegerField(unique=True)
    hash = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)
    full = models.BooleanField(default=False)  # left by a walk from the first entry

    class Meta:
        ordering = ["-seq"]
        verbose_name = "audit checkpoint"

    def __str__(self) -> str:
        return f"chain intact up to {self.seq}"
