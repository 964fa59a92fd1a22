from django.apps import AppConfig


class PhoneConfig(AppConfig):
    name = "gezien.phone"
    label = "phone"
    verbose_name = "Phone: call events from the telephone system (CTI) and call recordings"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from gezien.assist.phone import listen_checked_by
        from gezien.core.tick import periodic
        from gezien.phone.models import Recording
        from gezien.phone.recordings import file_remove_after_delete, listen_verdict, recordings_analyse_due

        # A recording's file goes with its row; the checklist of a recorded call reads its analysis;
        # recordings waiting for their analysis (no worker, or a lost task) are analysed on the tick.
        post_delete.connect(file_remove_after_delete, sender=Recording, dispatch_uid="recording_file")
        listen_checked_by(listen_verdict)
        periodic("recordings_analyse")(recordings_analyse_due)
