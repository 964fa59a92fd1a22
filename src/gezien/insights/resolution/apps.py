from django.apps import AppConfig


class ResolutionConfig(AppConfig):
    name = "gezien.insights.resolution"
    label = "resolution"
    verbose_name = "Insights: resolution"

    def ready(self) -> None:
        from gezien.contacts.changes import on_contacts_changed
        from gezien.core.tick import periodic
        from gezien.insights.resolution import facts  # noqa: F401  (registers the fact contributor)
        from gezien.insights.resolution.services import matters_attach, on_survey_answer, resolution_tick
        from gezien.insights.surveys.signals import on_survey_answered

        # A recognised contact with a reason joins its customer's matter (after its commit); a survey
        # answer "opgelost? ja/nee" is the customer's word on that matter.
        on_contacts_changed(matters_attach)
        on_survey_answered(on_survey_answer)
        # Matters settle and naive windows pass with time alone: on every insights tick.
        periodic("resolution")(resolution_tick)
