from django.apps import AppConfig


class PhoneConfig(AppConfig):
    name = "gezien.phone"
    label = "phone"
    verbose_name = "Phone: call events from the telephone system (CTI)"

    def ready(self) -> None:
        # The telephone-system adapters register themselves by name (phone.adapters.configured).
        from gezien.phone.adapters import asterisk, webhook  # noqa: F401
