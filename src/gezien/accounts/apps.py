from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "gezien.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from gezien.accounts.roles import roles_sync

        # Permissions only exist after migrate has run for every app; the role groups follow them.
        post_migrate.connect(roles_sync, dispatch_uid="gezien_roles_sync")
