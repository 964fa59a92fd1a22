from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "gezien.routing"
    label = "routing"
    verbose_name = "Skills-based routing"
