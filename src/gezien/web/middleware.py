"""Login is required everywhere in the desk; the API has its own token auth. Every page gets a
Content-Security-Policy (`content_security_policy`)."""

from __future__ import annotations

from collections.abc import Callable
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


CSP_HEADER = "Content-Security-Policy"


def content_security_policy(frame_ancestors: str = "'none'") -> str:
    """The policy of every page the desk serves: scripts, styles, fonts, images and requests from the
    desk's own origin only (no inline script, no eval, no CDN), images also as data: URLs (Swagger UI's
    icons), style attributes allowed (a bar's width, Swagger UI's), no plugins, forms post to the desk,
    and who may frame the page: nobody, unless the page says otherwise (the contact form's embed)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "media-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


_DEFAULT_POLICY = content_security_policy()


class ContentSecurityPolicyMiddleware:
    """Adds the desk's Content-Security-Policy to every answer that has none of its own (the contact
    form's embed, the widget's demo page and a served attachment set their own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            response[CSP_HEADER] = _DEFAULT_POLICY
        return response
