from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "gezien.customers"
    label = "customers"
    verbose_name = "Customers"
