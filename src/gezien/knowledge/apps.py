from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "gezien.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge base"
