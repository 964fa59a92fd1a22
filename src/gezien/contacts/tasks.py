"""Background tasks of the contacts app (run by `gezien worker`)."""

from __future__ import annotations

from django_tasks import task

from gezien.contacts import analysing
from gezien.contacts.models import Message


@task()
def analyse_messages(message_ids: list[int]) -> int:
    """Analyse stored messages and keep their signals. Raises on failure: the task is marked failed, the
    messages stay as they are, and `gezien analysis reanalyse` fills in what is missing."""
    messages = list(Message.objects.filter(pk__in=message_ids).only("pk", "author", "text", "contact_id"))
    stored = analysing.messages_analyse(messages)
    analysing.new_signals_stored(messages)
    return stored
