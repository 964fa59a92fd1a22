from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "gezien.assist"
    label = "assist"
    verbose_name = "Assist"

    def ready(self) -> None:
        from gezien.assist.services import protocols_after_signals
        from gezien.contacts.analysing import on_new_signals

        on_new_signals(protocols_after_signals)
