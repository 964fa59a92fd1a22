"""The periodic heartbeat of insights: things that change with time alone (a matter settles after five
quiet working days, an SLA timer breaches, a spike appears, the weekly digest falls due) and catching up
stale figures.

Modules register a job with `@periodic("name")`; `insights_tick(now)` runs them all, each in its own
try so one failing job never stops the others, then brings facts and rollups up to date. `gezien
worker` runs it every `GEZIEN_INSIGHTS_TICK_SECONDS`; `gezien insights tick` runs it once (for cron).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

Job = Callable[[datetime], object]
_jobs: dict[str, Job] = {}


def periodic(name: str) -> Callable[[Job], Job]:
    """Register `fn(now)` to run on every tick under `name` (registering again replaces it)."""

    def register(fn: Job) -> Job:
        _jobs[name] = fn
        return fn

    return register


def insights_tick(now: datetime | None = None) -> dict[str, object]:
    """Run every periodic job, then catch up the figures. Returns what each job returned (or the error)."""
    from gezien.insights.rollups import insights_catch_up

    now = now or timezone.now()
    results: dict[str, object] = {}
    for name, job in list(_jobs.items()):
        try:
            results[name] = job(now)
        except Exception as exc:
            logger.exception("The periodic insights job %r failed.", name)
            results[name] = exc
    results["catch_up"] = insights_catch_up()
    return results


def ticker_start(every_seconds: int) -> threading.Event:
    """Run `insights_tick` every `every_seconds` on a daemon thread; set the returned event to stop."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every_seconds):
            try:
                insights_tick()
            except Exception:
                logger.exception("The insights tick failed.")
            finally:
                close_old_connections()

    threading.Thread(target=loop, name="insights-tick", daemon=True).start()
    return stop
