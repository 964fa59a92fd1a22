from django.apps import AppConfig


class PhoneConfig(AppConfig):
    name = "gezien.phone"
    label = "phone"
    verbose_name = "Phone: call events from the telephone system (CTI), its adapters, and call recordings"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from gezien.assist.phone import listen_checked_by
        from gezien.assist.services import on_transfer_connect
        from gezien.core.tick import periodic
        from gezien.phone.adapters import asterisk, webhook  # noqa: F401
        from gezien.phone.calling import transfer_connected
        from gezien.phone.models import Recording
        from gezien.phone.recordings import file_remove_after_delete, listen_verdict, recordings_analyse_due
        from gezien.phone.transcripts import recordings_transcribe_due

        # A recording's file goes with its row; the checklist of a recorded call reads its analysis;
        # recordings waiting for their analysis (no worker, or a lost task) are analysed on the tick.
        post_delete.connect(file_remove_after_delete, sender=Recording, dispatch_uid="recording_file")
        listen_checked_by(listen_verdict)
        periodic("recordings_analyse")(recordings_analyse_due)
        periodic("recordings_transcribe")(recordings_transcribe_due)
        # The telephone-system adapters register themselves by name (phone.adapters.configured); the
        # desk's warm transfer of a phone contact moves its call in the telephone system too.
        on_transfer_connect(transfer_connected)
