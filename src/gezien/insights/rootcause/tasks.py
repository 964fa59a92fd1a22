"""Background tasks of the root-cause board (run by `gezien worker`)."""

from __future__ import annotations

from django_tasks import task

from gezien.insights.rootcause import detection


@task()
def spikes_detect_task() -> int:
    """Look for spikes in contact reasons now; meant to run every hour (see docs/insights-rootcause.md)."""
    return len(detection.spikes_detect())
