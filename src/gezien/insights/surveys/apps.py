from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "gezien.insights.surveys"
    label = "surveys"
    verbose_name = "Insights: surveys"
