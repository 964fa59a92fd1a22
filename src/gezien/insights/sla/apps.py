from typing import Any

from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "gezien.insights.sla"
    label = "sla"
    verbose_name = "Insights: sla"

    def ready(self) -> None:
        from django.core.signals import setting_changed
        from django.db.models.signals import post_delete, post_save

        from gezien.core.calendar import environment_calendar
        from gezien.core.tick import periodic
        from gezien.insights.facts import fact_contributor
        from gezien.insights.sla.deadlines import sla_mark_breached_stale
        from gezien.insights.sla.facts import sla_facts
        from gezien.insights.sla.models import SlaPolicy
        from gezien.insights.sla.timers import first_response_due, policies_forget
        from gezien.mail.outgoing import answer_expected_from

        fact_contributor(sla_facts)
        # The e-mail acknowledgement tells the customer when to expect an answer: the first-response target.
        answer_expected_from(first_response_due)
        # An unanswered contact breaches with time alone: every tick has its fact rebuilt.
        periodic("sla_breaches")(sla_mark_breached_stale)
        # A malformed GEZIEN_OPENING_HOURS / GEZIEN_HOLIDAYS_EXTRA stops the process at startup with
        # ImproperlyConfigured, not at the first timer shown in the desk (values saved in the desk were
        # checked when saved).
        environment_calendar()
        post_save.connect(policies_forget, sender=SlaPolicy, dispatch_uid="sla-policies-saved")
        post_delete.connect(policies_forget, sender=SlaPolicy, dispatch_uid="sla-policies-deleted")
        setting_changed.connect(_calendar_setting_changed, dispatch_uid="sla-calendar-settings")


def _calendar_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"GEZIEN_OPENING_HOURS", "GEZIEN_HOLIDAYS_EXTRA", "TIME_ZONE"}:
        from gezien.core.calendar import default_calendar

        default_calendar.cache_clear()
