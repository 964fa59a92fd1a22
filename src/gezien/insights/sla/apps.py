from typing import Any

from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "gezien.insights.sla"
    label = "sla"
    verbose_name = "Insights: sla"

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from gezien.insights.calendar import default_calendar

        # A malformed GEZIEN_OPENING_HOURS / GEZIEN_HOLIDAYS_EXTRA stops the process at startup with
        # ImproperlyConfigured, not at the first timer shown in the desk.
        default_calendar()
        setting_changed.connect(_calendar_setting_changed, dispatch_uid="sla-calendar-settings")


def _calendar_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"GEZIEN_OPENING_HOURS", "GEZIEN_HOLIDAYS_EXTRA", "TIME_ZONE"}:
        from gezien.insights.calendar import default_calendar

        default_calendar.cache_clear()
