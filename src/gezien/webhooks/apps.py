from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "gezien.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from gezien.contacts.changes import on_happening
        from gezien.core.tick import periodic
        from gezien.insights.surveys.signals import on_survey_answering
        from gezien.webhooks.delivery import webhooks_due
        from gezien.webhooks.events import contact_happening, survey_answering

        # Events are recorded in the transaction of the change they tell of.
        on_happening(contact_happening)
        on_survey_answering(survey_answering)
        # Retries that fell due, and deliveries whose task was lost or whose sender stopped mid-attempt.
        periodic("webhook_deliveries")(webhooks_due)
