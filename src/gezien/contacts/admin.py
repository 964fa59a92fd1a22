"""Django admin for the contact-reason tree (customers and contacts change only through the desk)."""

from django.contrib import admin

from gezien.contacts.models import ContactReason


@admin.register(ContactReason)
class ContactReasonAdmin(admin.ModelAdmin[ContactReason]):
    list_display = ["code", "name", "parent", "active"]
    list_filter = ["active", "parent"]
    search_fields = ["code", "name"]
