from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskSettingsConfig(AppConfig):
    name = "gezien.desksettings"
    label = "desksettings"
    verbose_name = _("Instellingen")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from gezien.core.calendar import calendar_settings_from
        from gezien.desksettings.models import DeskSetting
        from gezien.desksettings.store import calendar_settings, desk_settings_forget

        # The working calendar (core) reads its opening hours and holidays through this store.
        calendar_settings_from(calendar_settings)
        post_save.connect(desk_settings_forget, sender=DeskSetting, dispatch_uid="desk-setting-saved")
        post_delete.connect(desk_settings_forget, sender=DeskSetting, dispatch_uid="desk-setting-deleted")
