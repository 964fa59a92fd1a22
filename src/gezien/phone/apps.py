from django.apps import AppConfig


class PhoneConfig(AppConfig):
    name = "gezien.phone"
    label = "phone"
    verbose_name = "Phone: call events from the telephone system (CTI)"

    def ready(self) -> None:
        # The telephone-system adapters register themselves by name (phone.adapters.configured).
        from gezien.assist.services import on_transfer_connect
        from gezien.phone.adapters import asterisk, webhook  # noqa: F401
        from gezien.phone.calling import transfer_connected

        # The desk's warm transfer of a phone contact moves its call in the telephone system too.
        on_transfer_connect(transfer_connected)
