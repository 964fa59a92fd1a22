"""Single sign-on: the OpenID Connect flow's two steps, /login/sso/ (to the provider) and
/login/sso/callback/ (back from it). The checks themselves are in gezien.accounts.oidc; the login page with
its "Inloggen met <naam>" button is web.views.account's."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gezien.accounts.oidc import (
    Pending,
    SignOnFailed,
    oidc_finish,
    oidc_settings,
    oidc_sign_in,
    oidc_start,
)
from gezien.accounts.signin import sign_in_method
from gezien.core.client import client_address

logger = logging.getLogger(__name__)

SESSION_KEY = "gezien_oidc"
PENDING_KEPT = 5  # sign-ins started and not yet back (several tabs)


def _refused(request: HttpRequest, title: str, reason: str, hint: str, status: int) -> HttpResponse:
    context = {"title": title, "reason": reason, "hint": hint}
    return render(request, "web/errors/page.html", context, status=status)


def _failed(request: HttpRequest, name: str) -> HttpResponse:
    return _refused(
        request,
        _("Inloggen via %(n)s is mislukt") % {"n": name},
        _("De aanmelding kon niet worden gecontroleerd."),
        _("Probeer het opnieuw vanaf de inlogpagina. Lukt het niet, neem dan contact op met uw beheerder."),
        400,
    )


def _no_access(request: HttpRequest) -> HttpResponse:
    return _refused(
        request,
        _("Geen toegang tot Gezien"),
        _("U bent aangemeld, maar uw account hoort bij geen groep die toegang geeft tot Gezien."),
        _("Vraag uw beheerder om u aan de juiste groep toe te voegen en log daarna opnieuw in."),
        403,
    )


@login_not_required
@require_GET
def sso_start(request: HttpRequest) -> HttpResponse:
    config = oidc_settings()
    if config is None:
        raise Http404
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    redirect_uri = request.build_absolute_uri(reverse("sso_callback"))
    try:
        address, pending = oidc_start(config, redirect_uri=redirect_uri, next_url=next_url)
    except SignOnFailed:
        logger.exception("OIDC sign-in could not start")
        return _failed(request, config.name)
    kept = dict(list(request.session.get(SESSION_KEY, {}).items())[-(PENDING_KEPT - 1) :])
    kept[pending.state] = pending.as_dict()
    request.session[SESSION_KEY] = kept
    return redirect(address)


@login_not_required
@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    config = oidc_settings()
    if config is None:
        raise Http404
    kept = dict(request.session.get(SESSION_KEY, {}))
    found = kept.pop(request.GET.get("state", ""), None)
    request.session[SESSION_KEY] = kept  # a state is used once
    if found is None:
        logger.warning("OIDC callback with an unknown state")
        return _failed(request, config.name)
    if request.GET.get("error") or not request.GET.get("code"):
        logger.warning("OIDC provider answered %r", request.GET.get("error", "no code")[:100])
        return _failed(request, config.name)
    pending = Pending(**found)
    try:
        claims = oidc_finish(config, pending, code=request.GET["code"])
        signed = oidc_sign_in(config, claims, source=client_address(request))
    except SignOnFailed:
        return _failed(request, config.name)
    if signed.user is None or signed.role is None:
        return _no_access(request)
    # The provider did the sign-in's steps (its own second factor): the desk asks for none of its own
    # (accounts.signin; without this the desk would sign a person with an authenticator app out again).
    sign_in_method(request, "oidc")
    login(request, signed.user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return redirect(pending.next or settings.LOGIN_REDIRECT_URL)
