"""Background tasks of surveys (run by `gezien worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def survey_send_task(invitation_id: int) -> bool:
    """E-mail one survey invitation."""
    from gezien.insights.surveys.services import survey_send

    return survey_send(invitation_id)
