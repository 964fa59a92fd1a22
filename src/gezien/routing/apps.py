from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "gezien.routing"
    label = "routing"
    verbose_name = "Skills-based routing"

    def ready(self) -> None:
        from gezien.contacts.analysing import on_new_signals
        from gezien.routing.services import contacts_route

        # Signals exist only once a contact's new messages are analysed: that is when routing decides.
        on_new_signals(contacts_route)
