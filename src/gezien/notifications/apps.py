from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "gezien.notifications"
    label = "notifications"
    verbose_name = "Notifications"
