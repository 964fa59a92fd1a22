"""Django admin for what administrators manage by hand: people (their team, role and password), teams."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from gezien.accounts.models import ApiToken, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    """Django's user admin, with the team beside the name and in the lists."""

    list_display = ["username", "first_name", "last_name", "email", "team", "is_active"]
    list_filter = ["team", "groups", "is_active", "is_staff"]
    list_select_related = ["team"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Team"), {"fields": ["team"]}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Team"), {"fields": ["first_name", "last_name", "email", "team"]}),
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are created with `gezien token create` or the API; here they can only be seen and revoked."""

    list_display = [
        "prefix",
        "user",
        "name",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "token_hash",
        "scopes",
        "rate",
        "created_at",
        "expires_at",
        "last_used_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False
