"""Background work of honest resolution (run by `gezien worker`; schedule it every few minutes)."""

from __future__ import annotations

from django_tasks import task

from gezien.insights.resolution import services


@task()
def resolution_tick_task() -> int:
    """Settle matters whose no-return window passed and mark stale the facts whose naive window passed.
    Returns the number of matters settled."""
    return len(services.resolution_tick().settled)
