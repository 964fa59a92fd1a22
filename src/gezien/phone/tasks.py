"""Background work of call recordings (run by `gezien worker`): analysing a long recording."""

from __future__ import annotations

from django_tasks import task

from gezien.phone.recordings import recording_analyse


@task()
def recording_analyse_task(recording_id: int) -> str:
    """Analyse one recording; a lost task is made good by the periodic job `recordings_analyse`."""
    return recording_analyse(recording_id)
