"""Login is required everywhere in the desk; the API has its own token auth."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that the request's language ends with its response. Django's activates the
    reader's language on the thread and leaves it there, so whatever that thread runs next outside a
    request (a test after a test client's English request, an on_commit hook, a management command in
    the same process) spoke the last reader's language instead of the default."""

    async_capable = False  # the override wraps a synchronous call; under ASGI Django runs it in a thread

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with translation.override(translation.get_language()):
            return super().__call__(request)  # type: ignore[return-value]  # sync only


class LoginRequiredMiddleware(DjangoLoginRequired):
    # /api/ answers 401 itself (a redirect to a login page means nothing to an API client).
    exempt_prefixes = ("/api/", "/static/")

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith(self.exempt_prefixes) and not request.path.startswith("/api/docs"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
