"""What the desk's edge keeps of its own: the background workers' heartbeats, for /health."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running `gezien worker` (host:pid), its `seen_at` renewed every half minute
    (`web.health.heartbeat_start`); /health calls the workers gone when the newest is older than
    GEZIEN_HEALTH_WORKER_MINUTES. The row named "health" is /health's own write test, never committed."""

    name = models.CharField(max_length=200, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at}"
