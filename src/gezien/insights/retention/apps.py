from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "gezien.insights.retention"
    label = "retention"
    verbose_name = "Insights: retention and digests"
