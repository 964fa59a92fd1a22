from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "gezien.replies"
    label = "replies"
    verbose_name = "Replies and macros"
