from django.apps import AppConfig


class RootcauseConfig(AppConfig):
    name = "gezien.insights.rootcause"
    label = "rootcause"
    verbose_name = "Insights: rootcause"
