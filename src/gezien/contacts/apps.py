from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "gezien.contacts"
    label = "contacts"
    verbose_name = "Contacts"
