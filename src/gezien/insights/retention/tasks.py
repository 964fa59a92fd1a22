"""Background tasks of retention (run by `gezien worker`)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from gezien.insights.retention import digest, risk


@task()
def risks_catch_up_task() -> int:
    """Compute the churn risk of customers whose contacts changed."""
    return risk.risks_catch_up()


@task()
def risks_refresh_all_task() -> int:
    """Compute every recent customer's churn risk again (daily: risks fade as evidence ages)."""
    return risk.risks_refresh_all()


@task()
def digests_send_task(week_start: str | None = None) -> int:
    """The weekly digest for every department (Monday morning); a week already sent is skipped."""

    return sum(
        1 for r in digest.digests_send_week(date.fromisoformat(week_start) if week_start else None) if r.sent
    )
