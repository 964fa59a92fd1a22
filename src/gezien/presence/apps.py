from django.apps import AppConfig


class PresenceConfig(AppConfig):
    name = "gezien.presence"
    label = "presence"
    verbose_name = "Workforce: agent states and the live queue"

    def ready(self) -> None:
        from gezien.contacts.changes import on_contacts_changed
        from gezien.core.tick import periodic
        from gezien.presence.services import follow_contacts, presence_tick

        # Taking a call or chat puts its agent in contact; the last one closing starts after-contact work.
        on_contacts_changed(follow_contacts)
        periodic("presence")(presence_tick)
