from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "gezien.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from gezien.core.tick import periodic
        from gezien.privacy.files import files_remove_pending
        from gezien.privacy.retention import recordings_retention_tick, retention_tick

        # Files an erasure or anonymisation could not remove at once are tried again on every tick.
        periodic("privacy_files")(files_remove_pending)
        # Contacts closed longer ago than GEZIEN_RETENTION_DAYS are anonymised, in batches.
        periodic("privacy_retention")(retention_tick)
        # Call recordings older than GEZIEN_RECORDING_RETENTION_DAYS are deleted with their files.
        periodic("privacy_recordings")(recordings_retention_tick)
