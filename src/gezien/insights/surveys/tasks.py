"""Background tasks of surveys (run by `gezien worker`)."""

from __future__ import annotations

from django_tasks import task

from gezien.insights.surveys import services


@task()
def survey_send_task(invitation_id: int) -> bool:
    """E-mail one survey invitation."""
    return services.survey_send(invitation_id)
