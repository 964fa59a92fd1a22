"""Coaching on the empathy habits (issue 19): every closed contact's read, comments, the coaching queue."""

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "gezien.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from gezien.coaching.services import contacts_follow, reads_catch_up, reads_mark_stale, voice_from
        from gezien.contacts.changes import on_contacts_changed
        from gezien.core.tick import CATCH_UP, periodic
        from gezien.phone.recordings import on_recordings_changed, voice_analyses

        # A contact closing gets its read (rules only: cheap, in the listener's batch).
        on_contacts_changed(contacts_follow)
        # A recorded call is read with its voice analysis (who let whom finish, from the audio).
        voice_from(voice_analyses)
        # A recording analysed (or deleted) after the contact closed: its read is made again on the tick.
        on_recordings_changed(reads_mark_stale)
        periodic("coaching_reads", stage=CATCH_UP)(reads_catch_up)
