from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "gezien.assist"
    label = "assist"
    verbose_name = "Assist"
