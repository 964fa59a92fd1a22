"""Agents' wellbeing (R17): breaks, time on the queue, emotional load and protection after heavy contacts."""

from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "gezien.wellbeing"
    label = "wellbeing"
    verbose_name = "Workforce: wellbeing"

    def ready(self) -> None:
        from gezien.contacts.analysing import on_new_signals
        from gezien.contacts.changes import on_contacts_changed
        from gezien.core.tick import periodic
        from gezien.routing.selectors import protect_with
        from gezien.wellbeing.selectors import protected
        from gezien.wellbeing.services import contacts_follow, wellbeing_tick

        # A contact closing adds its load; signals that arrive later (a worker analyses on PostgreSQL)
        # add it again, and abuse in a contact still open protects its agent at once.
        on_contacts_changed(contacts_follow)
        on_new_signals(contacts_follow)
        periodic("wellbeing")(wellbeing_tick)
        # Routing keeps heavy contacts (abuse, strong anger, grief) from people protected now.
        protect_with(protected)
