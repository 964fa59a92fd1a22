from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "gezien.routing"
    label = "routing"
    verbose_name = "Skills-based routing"

    def ready(self) -> None:
        from gezien.contacts.analysing import on_new_signals
        from gezien.presence.services import SeenKeeper, seen_kept_by
        from gezien.routing.selectors import last_seen
        from gezien.routing.services import contacts_route, seen_in_desk

        # Signals exist only once a contact's new messages are analysed: that is when routing decides.
        on_new_signals(contacts_route)
        # The desk's requests (presence's middleware) note who is there on the routing profile.
        seen_kept_by(SeenKeeper(note=seen_in_desk, read=last_seen))
