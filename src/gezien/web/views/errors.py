"""The desk's own 403, 404 and 500 pages: in the desk's layout and language, with the reason.

Wired as `handler403/404/500` in the root URLconf. The 500 page is rendered without the request (no
context processors, so no database) and falls back to plain text if even that fails.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from gezien.web.pages import errors as pages

log = logging.getLogger(__name__)


def _reason(exception: Exception | None) -> str:
    """The message the view gave, when it gave one meant for people (not Django's English internals:
    the resolver's dict of tried patterns, "No Contact matches the given query.")."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(message, str) or "matches the given query" in message:
        return ""
    return str(message)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/page.html", pages.forbidden_page(_reason(exception)), status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/page.html", pages.not_found_page(_reason(exception)), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return HttpResponseServerError(loader.get_template("web/errors/500.html").render({}))
    except Exception:  # the error page itself must never fail
        log.exception("the 500 page could not be rendered")
        text = _("Er ging iets mis. Probeer het zo nog eens.")
        return HttpResponseServerError(text, content_type="text/plain")
