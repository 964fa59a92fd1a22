from django.apps import AppConfig


class RootcauseConfig(AppConfig):
    name = "gezien.insights.rootcause"
    label = "rootcause"
    verbose_name = "Insights: rootcause"

    def ready(self) -> None:
        from gezien.core.tick import periodic
        from gezien.insights.rootcause.detection import spikes_detect

        # Every insights tick looks for spikes (idempotent per reason and hour-aligned window).
        periodic("rootcause_spikes")(lambda now: len(spikes_detect(now)))
