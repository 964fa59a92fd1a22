from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "gezien.contacts"
    label = "contacts"
    verbose_name = _("Contacten")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from gezien.contacts.attachments import attachments_orphans_daily, file_remove_after_delete
        from gezien.contacts.models import Attachment
        from gezien.core.tick import periodic

        # An attachment's file goes with its row; files whose row never committed are swept once a day.
        post_delete.connect(file_remove_after_delete, sender=Attachment, dispatch_uid="attachment_file")
        periodic("attachments_orphans")(attachments_orphans_daily)
        # The analyser knows the organisation's own name (a switch to it is no churn): a new name saved in
        # the desk's settings builds it again in this process (other processes when they restart).
        from django.db.models.signals import post_save

        from gezien.desksettings.models import DeskSetting

        post_save.connect(_own_name_changed, sender=DeskSetting, dispatch_uid="analyser-own-name")
        post_delete.connect(_own_name_changed, sender=DeskSetting, dispatch_uid="analyser-own-name-reset")


def _own_name_changed(*, instance: object, **_kwargs: object) -> None:
    if getattr(instance, "key", "") == "organisation_name":
        from gezien.contacts.analysing import analysers_forget

        analysers_forget()
