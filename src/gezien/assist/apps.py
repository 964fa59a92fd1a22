from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "gezien.assist"
    label = "assist"
    verbose_name = "Assist"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from gezien.assist.services import protocols_after_signals
        from gezien.assist.situation import reasons_forget
        from gezien.contacts.analysing import on_new_signals
        from gezien.contacts.models import ContactReason

        on_new_signals(protocols_after_signals)
        post_save.connect(reasons_forget, sender=ContactReason, dispatch_uid="assist-reasons-saved")
        post_delete.connect(reasons_forget, sender=ContactReason, dispatch_uid="assist-reasons-deleted")
