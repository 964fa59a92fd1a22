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
