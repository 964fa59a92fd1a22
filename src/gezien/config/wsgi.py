"""WSGI entry point. API calls take a lean path: the desk's middleware (sessions, CSRF, messages,
login redirects, htmx) does nothing for a bearer-token call but costs ~1 ms of every request."""

import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gezien.config.settings")
desk_application = get_wsgi_application()

API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gezien.web.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
]
# The OpenAPI docs are for people logged in to the desk: they keep the full stack.
_API_PREFIX = ("/api/", "/widget/api/")  # the staff API and the chat widget's customer API
_DESK_UNDER_API = ("/api/docs", "/api/openapi.json", "/widget/api/v1/docs", "/widget/api/v1/openapi.json")


def _api_handler() -> WSGIHandler:
    full = settings.MIDDLEWARE
    settings.MIDDLEWARE = API_MIDDLEWARE  # read once, while the handler builds its chain
    try:
        return WSGIHandler()
    finally:
        settings.MIDDLEWARE = full


api_application = _api_handler()


def application(environ, start_response):  # type: ignore[no-untyped-def]
    path = environ.get("PATH_INFO", "")
    if path.startswith(_API_PREFIX) and not path.startswith(_DESK_UNDER_API):
        return api_application(environ, start_response)
    return desk_application(environ, start_response)
