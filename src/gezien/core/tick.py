"""The periodic heartbeat: things that change with time alone (a matter settles after five quiet
working days, an SLA timer breaches, a spike appears, the weekly digest falls due) and catching up
stale figures.

Each feature registers its jobs in its AppConfig.ready() with `periodic("name")`; `tick(now)` runs
them all, each in its own try so one failing job never stops the others. Jobs run in order of
`stage` (then of registration): jobs that mark things stale run at the default stage, the catch-ups
that drain the marks at `CATCH_UP`. `gezien worker` runs it every `GEZIEN_INSIGHTS_TICK_SECONDS`;
`gezien insights tick` runs it once (for cron).
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
CATCH_UP = 100
_jobs: dict[str, tuple[int, Job]] = {}


def periodic(name: str, *, stage: int = 0) -> Callable[[Job], Job]:
    """Register `fn(now)` to run on every tick under `name` (registering again replaces it)."""

    def register(fn: Job) -> Job:
        _jobs[name] = (stage, fn)
        return fn

    return register


def tick(now: datetime | None = None) -> dict[str, object]:
    """Run every periodic job. Returns what each job returned (or the error)."""
    now = now or timezone.now()
    results: dict[str, object] = {}
    order = sorted(_jobs.items(), key=lambda item: item[1][0])  # stable: registration order per stage
    for name, (_stage, job) in order:
        try:
            results[name] = job(now)
        except Exception as exc:
            logger.exception("The periodic job %r failed.", name)
            results[name] = exc
    return results


def ticker_start(every_seconds: int) -> threading.Event:
    """Run `tick` every `every_seconds` on a daemon thread; set the returned event to stop."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every_seconds):
            try:
                tick()
            except Exception:
                logger.exception("The periodic tick failed.")
            finally:
                close_old_connections()

    threading.Thread(target=loop, name="periodic-tick", daemon=True).start()
    return stop
