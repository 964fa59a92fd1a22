from django.apps import AppConfig


class RootcauseConfig(AppConfig):
    name = "gezien.insights.rootcause"
    label = "rootcause"
    verbose_name = "Insights: rootcause"

    def ready(self) -> None:
        from gezien.assist.situation import ProblemSource, known_problems_from
        from gezien.contacts.selectors import customer_problems_from
        from gezien.core.tick import periodic
        from gezien.insights.rootcause.detection import spikes_detect
        from gezien.insights.rootcause.selectors import (
            customer_problems,
            open_problems_for_reasons,
            problems_customers,
        )

        # The gezien-kaart and the assist read problems from the board through these hooks, so that
        # contacts and assist need not know the board above them.
        customer_problems_from(customer_problems)
        known_problems_from(ProblemSource(open_problems_for_reasons, problems_customers))

        # Every insights tick looks for spikes (idempotent per reason and hour-aligned window).
        periodic("rootcause_spikes")(lambda now: len(spikes_detect(now)))
