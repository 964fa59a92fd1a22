from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gezien.accounts"
    label = "accounts"
    verbose_name = _("Gebruikers en teams")  # as Beheer (the admin site) shows it

    def ready(self) -> None:
        from django.contrib.auth.models import Group, Permission
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from gezien.accounts.kept import kept_forget
        from gezien.accounts.models import Department, Team, User
        from gezien.accounts.roles import roles_sync
        from gezien.accounts.signin import on_logged_in

        # Kept permissions and roles (accounts.kept) are forgotten when anything they come from changes.
        for model in (User, Group, Permission, Team, Department):
            post_save.connect(kept_forget, sender=model, dispatch_uid=f"kept-saved-{model.__name__}")
            post_delete.connect(kept_forget, sender=model, dispatch_uid=f"kept-deleted-{model.__name__}")
        throughs = (
            User.groups.through,
            User.user_permissions.through,
            Group.permissions.through,
            Department.owners.through,
        )
        for through in throughs:
            m2m_changed.connect(kept_forget, sender=through, dispatch_uid=f"kept-m2m-{through.__name__}")

        # How a session was signed in (accounts.signin), whichever view called login().
        user_logged_in.connect(on_logged_in, dispatch_uid="gezien_sign_in_method")

        # Permissions only exist after migrate has run for every app; the role groups follow them.
        post_migrate.connect(roles_sync, dispatch_uid="gezien_roles_sync")

        # A wrong token limit or sign-on setting stops the start, not the first request that needs it.
        from gezien.accounts.oidc import oidc_settings
        from gezien.accounts.tokens import token_rate_default

        token_rate_default()
        oidc_settings()
