"""Coaching on the empathy habits (issue 19): every closed contact's read, comments, the coaching queue."""

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "gezien.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from gezien.coaching.services import contacts_follow
        from gezien.contacts.changes import on_contacts_changed

        # A contact closing gets its read (rules only: cheap, in the listener's batch).
        on_contacts_changed(contacts_follow)
