from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WebhooksConfig(AppConfig):
    name = "gezien.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from gezien.contacts.changes import on_happening
        from gezien.core.tick import periodic
        from gezien.insights.surveys.signals import on_survey_answering
        from gezien.webhooks.delivery import webhooks_due
        from gezien.webhooks.events import contact_happening, subscriptions_forget, survey_answering
        from gezien.webhooks.models import WebhookSubscription

        # Events are recorded in the transaction of the change they tell of.
        on_happening(contact_happening)
        on_survey_answering(survey_answering)
        # The subscriptions are read once a transaction (`events._Held`); a change in it forgets them.
        post_save.connect(subscriptions_forget, sender=WebhookSubscription, dispatch_uid="webhooks_forget")
        post_delete.connect(subscriptions_forget, sender=WebhookSubscription, dispatch_uid="webhooks_forgot")
        # Retries that fell due, and deliveries whose task was lost or whose sender stopped mid-attempt.
        periodic("webhook_deliveries")(webhooks_due)
