from django.apps import AppConfig


class ResolutionConfig(AppConfig):
    name = "gezien.insights.resolution"
    label = "resolution"
    verbose_name = "Insights: resolution"
