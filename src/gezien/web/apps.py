from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gezien.web"
    label = "web"
    verbose_name = "Desk"
