from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "gezien.practice"
    label = "practice"
    verbose_name = "Practice room"
