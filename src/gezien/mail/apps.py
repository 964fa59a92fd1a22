from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "gezien.mail"
    label = "mail"
    verbose_name = "E-mail"
