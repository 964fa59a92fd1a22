"""Login is required everywhere in the desk (with the idle timeout and the second step); the API has its
own token auth. Every page gets a Content-Security-Policy (`content_security_policy`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from gezien.accounts.kept import groups_kept
from gezien.accounts.signin import SESSION_SECOND_FACTOR, SESSION_SEEN
from gezien.accounts.twofactor import factor_required, has_factor


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


# Seconds until the session times out unused, for the live streams to end then (views.live).
IDLE_LEFT_ATTRIBUTE = "gezien_idle_left_s"

# The paths a signed-in person may reach before their second step is settled: signing out, setting it up,
# the language switch and the files pages need.
_SECOND_FACTOR_FREE = ("/logout/", "/login/", "/desk/account/2fa/", "/i18n/", "/static/")


def _go_to(request: HttpRequest, url: str) -> HttpResponseBase:
    """A redirect the page follows: htmx swaps in what it is given, so it is told to go there itself; an
    event stream cannot follow one and is answered 401."""
    if request.headers.get("Accept", "").startswith("text/event-stream"):
        return HttpResponse(status=401)
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _login_url(request: HttpRequest) -> str:
    target = request.get_full_path() if request.method == "GET" else ""
    return f"{reverse('login')}?{urlencode({'next': target})}" if target else reverse("login")


def is_background(request: HttpRequest) -> bool:
    """A request the page makes by itself (a live event stream, a timed refresh marked `?refresh=1`):
    it does not count as the person being active."""
    return (
        request.headers.get("Accept", "").startswith("text/event-stream") or request.GET.get("refresh") == "1"
    )


class SignInMiddleware:
    """What a signed-in session must keep to: the idle timeout (GEZIEN_SESSION_IDLE_MINUTES without a
    request of the person's own ends it) and the second step (accounts.signin): a session signed in
    without the second factor the person has is signed out; one whose role needs a second factor and that
    has none is sent to set it up before anything else. API calls with a bearer token carry no session
    and are not concerned."""

    SEEN = SESSION_SEEN
    SEEN_WRITE_EVERY_S = 60  # the session is saved at most this often for activity alone

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        if request.path.startswith("/api/") and not request.path.startswith("/api/docs"):
            return self.get_response(request)
        refused = self._idle(request) or self._second_factor(request, user)
        return refused or self.get_response(request)

    def _idle(self, request: HttpRequest) -> HttpResponseBase | None:
        minutes = settings.GEZIEN_SESSION_IDLE_MINUTES
        if minutes <= 0:
            return None
        now = int(time.time())
        seen = request.session.get(self.SEEN)
        if isinstance(seen, int) and now - seen > minutes * 60:
            logout(request)
            messages.info(
                request,
                _("U bent uitgelogd na %(n)d minuten zonder activiteit. Log opnieuw in.") % {"n": minutes},
            )
            return _go_to(request, _login_url(request))
        if not isinstance(seen, int) or (
            not is_background(request) and now - seen >= min(self.SEEN_WRITE_EVERY_S, minutes * 30)
        ):
            request.session[self.SEEN] = seen = now
        setattr(request, IDLE_LEFT_ATTRIBUTE, max(1, minutes * 60 - (now - seen) + 1))
        return None

    def _second_factor(self, request: HttpRequest, user: Any) -> HttpResponseBase | None:
        if request.path.startswith(_SECOND_FACTOR_FREE):
            return None
        method = request.session.get(SESSION_SECOND_FACTOR)
        if method is None:  # a session from before two-factor sign-in existed
            method = "unverified" if has_factor(user) else "none"
            request.session[SESSION_SECOND_FACTOR] = method
        if method == "unverified":
            logout(request)
            messages.error(request, _("Log opnieuw in, met de code uit uw authenticator-app."))
            return _go_to(request, _login_url(request))
        if method == "none" and settings.GEZIEN_2FA_REQUIRED_ROLES:
            groups_kept(user)
            if factor_required(user):
                return _go_to(request, reverse("desk:account_2fa"))
        return None
