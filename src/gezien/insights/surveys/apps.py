"""Surveys after a closed contact: NPS or CSAT with an optional comment, by a signed expiring link."""

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "gezien.insights.surveys"
    label = "surveys"
    verbose_name = "Insights: surveys"

    def ready(self) -> None:
        from gezien.contacts.changes import on_contacts_changed
        from gezien.insights.surveys import facts  # noqa: F401  (registers the NPS/CSAT fact contributor)
        from gezien.insights.surveys.services import surveys_after_close

        # A contact that closes gets a survey, or a recorded reason why not.
        on_contacts_changed(surveys_after_close)
