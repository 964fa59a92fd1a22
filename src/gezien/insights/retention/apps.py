from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "gezien.insights.retention"
    label = "retention"
    verbose_name = "Insights: retention and digests"

    def ready(self) -> None:
        from gezien.contacts.analysing import on_new_signals
        from gezien.contacts.changes import on_contacts_changed
        from gezien.core.tick import periodic
        from gezien.insights.retention import alerts  # noqa: F401  (registers its notification kind)
        from gezien.insights.retention.periodic import digests_tick, risks_tick
        from gezien.insights.retention.risk import contacts_mark_stale, high_risk_condition
        from gezien.insights.rootcause.impact import high_risk_from

        # A contact that changes or gets signals makes its customer's churn risk stale; it is computed
        # again in a worker, or before the retention list is read.
        on_contacts_changed(contacts_mark_stale)
        on_new_signals(contacts_mark_stale)
        periodic("retention_risks")(risks_tick)
        periodic("retention_digests")(digests_tick)
        # A problem's impact counts the customers who are hoog on the retention list.
        high_risk_from(high_risk_condition)
