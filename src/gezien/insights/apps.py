from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "gezien.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from gezien.contacts.analysing import on_new_signals
        from gezien.contacts.changes import on_contacts_changed
        from gezien.core.tick import CATCH_UP, periodic
        from gezien.insights.facts import fact_contributor, facts_mark_stale
        from gezien.insights.rollups import insights_catch_up
        from gezien.insights.volume import handling_recent, history_mark_days, volume_catch_up
        from gezien.planning.history import history_counted_by
        from gezien.planning.live import handling_times_from

        # Every change to a contact (and its new signals) makes its fact stale; the figures catch up
        # in a worker, or before a dashboard is read.
        on_contacts_changed(facts_mark_stale)
        on_new_signals(facts_mark_stale)
        periodic("catch_up", stage=CATCH_UP)(lambda now: insights_catch_up())
        # Planning's history of offered and handled contacts is counted from the facts: every rebuilt
        # fact marks its day, and planning's catch-up counts the marked days.
        fact_contributor(history_mark_days)
        history_counted_by(volume_catch_up)
        handling_times_from(handling_recent)  # the live board's mean handling times

        from gezien.insights import cx  # noqa: F401  (registers the emotion fact contributor)
