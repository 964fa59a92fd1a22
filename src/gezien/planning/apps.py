"""Forecast, service-level targets, scheduled agents and the staffing plan (issue 6)."""

from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "gezien.planning"
    label = "planning"
    verbose_name = "Workforce: forecast and staffing plan"

    def ready(self) -> None:
        from gezien.core.tick import CATCH_UP, periodic
        from gezien.planning.alerts import capacity_alerts_tick
        from gezien.planning.history import history_catch_up
        from gezien.planning.intervals import plan_interval_minutes
        from gezien.planning.live_alerts import live_scale_up_alerts

        # The tick counts days whose contacts changed into the interval history the forecast reads
        # (after the facts have caught up; insights registers the counting).
        periodic("planning_history", stage=CATCH_UP + 1)(lambda now: history_catch_up())
        periodic("planning_capacity")(capacity_alerts_tick)
        periodic("presence_scale_up")(live_scale_up_alerts)
        plan_interval_minutes()  # a bad GEZIEN_PLAN_INTERVAL_MINUTES stops the process at startup
