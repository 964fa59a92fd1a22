"""Background tasks of the root-cause board (run by `gezien worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def spikes_detect_task() -> int:
    """Look for spikes in contact reasons now; meant to run every hour (see docs/insights-rootcause.md)."""
    from gezien.insights.rootcause.detection import spikes_detect

    return len(spikes_detect())
