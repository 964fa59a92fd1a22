from django.apps import AppConfig


class WebformsConfig(AppConfig):
    name = "gezien.webforms"
    label = "webforms"
    verbose_name = "Web form"

    def ready(self) -> None:
        from gezien.core.tick import periodic
        from gezien.webforms.services import submissions_forget

        # The rate limit looks back an hour; older submissions' client marks are not kept.
        periodic("webform_submissions_forget")(submissions_forget)
