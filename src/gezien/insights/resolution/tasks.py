"""Background work of honest resolution (run by `gezien worker`; schedule it every few minutes)."""

from __future__ import annotations

from django_tasks import task


@task()
def resolution_tick_task() -> int:
    """Settle matters whose no-return window passed and mark stale the facts whose naive window passed.
    Returns the number of matters settled."""
    from gezien.insights.resolution.services import resolution_tick

    return len(resolution_tick().settled)
