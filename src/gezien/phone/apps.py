from django.apps import AppConfig


class PhoneConfig(AppConfig):
    name = "gezien.phone"
    label = "phone"
    verbose_name = "Phone: call events from the telephone system (CTI)"
