"""URLs of the peer project: django-helpdesk at the root, so its API is /api/tickets/."""

from django.urls import include, path

urlpatterns = [
    path("", include("helpdesk.urls")),
]
