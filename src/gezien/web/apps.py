from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gezien.web"
    label = "web"
    verbose_name = "Desk"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from gezien.accounts.models import Team, User
        from gezien.web import health  # noqa: F401 -- registers the "worker" notification kind
        from gezien.web.choices import people_forget

        # The transfer forms' colleagues and teams (web.choices) are forgotten when they change.
        for model in (User, Team):
            post_save.connect(people_forget, sender=model, dispatch_uid=f"web-people-saved-{model.__name__}")
            post_delete.connect(
                people_forget, sender=model, dispatch_uid=f"web-people-deleted-{model.__name__}"
            )
        m2m_changed.connect(people_forget, sender=User.groups.through, dispatch_uid="web-people-roles")
