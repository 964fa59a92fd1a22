"""Passkeys in the desk (accounts.passkeys): register and remove one's keys ("Mijn account", and the
two-factor set-up a role may require), a key as the login's second step, and signing in with a key alone.

Each ceremony is two requests: a POST for the options (JSON; the challenge stays in the session) that
static/gezien/passkeys.js hands the browser, then a POST of the form with the browser's answer in its
"credential" field. A failed key at sign-in counts as a failed attempt (the login throttle), and a locked
account or address is refused before any key is checked.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from gezien.accounts import throttle
from gezien.accounts.models import Passkey
from gezien.accounts.passkeys import (
    NAME_MAX,
    PasskeyRefused,
    authentication_finish,
    authentication_options,
    credential_owner,
    registration_finish,
    registration_options,
)
from gezien.accounts.signin import (
    SESSION_SECOND_FACTOR,
    passkey_added,
    passkey_remove,
    password_step_refused,
    sign_in_failed,
    sign_in_method,
    signed_in,
)
from gezien.accounts.twofactor import factor_of
from gezien.core.client import client_address
from gezien.core.errors import DomainError
from gezien.web.views.account import CodeForm, SignInForm, complete_sign_in, pending_user, refused, safe_next
from gezien.web.views.common import actor


def _options(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def _locked() -> JsonResponse:
    response = JsonResponse({"detail": _("Te veel mislukte pogingen om in te loggen.")}, status=429)
    response["Retry-After"] = str(throttle.window_seconds())
    return response


def _address_refused(request: HttpRequest) -> bool:
    """Whether the client address is locked (a key nobody registered has no account to lock: failures
    with one are counted under an empty username, which no sign-in checks)."""
    refusal = throttle.login_refused("", client_address(request))
    return refusal is not None and refusal.address


def _after_registration(request: HttpRequest) -> str:
    """Back to where the key was added from: the set-up page or Mijn account."""
    came_from = request.POST.get("from", "")
    return reverse("desk:account_2fa") if came_from == "2fa" else reverse("desk:account")


# --------------------------------------------------------------------------- one's own keys


def _unverified(request: HttpRequest) -> bool:
    """A session signed in without the second step its person has (the middleware ends it elsewhere)."""
    return request.session.get(SESSION_SECOND_FACTOR) == "unverified"


@require_POST
def passkey_options(request: HttpRequest) -> HttpResponse:
    """The options for registering a new key (JSON)."""
    if _unverified(request):
        return JsonResponse({"detail": _("Log opnieuw in.")}, status=403)
    return _options(registration_options(user=actor(request), session=request.session))


@require_POST
def passkey_add(request: HttpRequest) -> HttpResponse:
    """Keep the key the browser just made, under the name the person gave it."""
    user = actor(request)
    target = _after_registration(request)
    if _unverified(request):
        return redirect("login")
    name = request.POST.get("name", "").strip()[:NAME_MAX]
    try:
        key = registration_finish(
            user=user, session=request.session, credential=request.POST.get("credential", ""), name=name
        )
    except PasskeyRefused:
        messages.error(request, _("De sleutel is niet toegevoegd. Probeer het opnieuw."))
        return redirect(target)
    passkey_added(key=key, source=client_address(request))
    if request.session.get(SESSION_SECOND_FACTOR) == "none":
        request.session[SESSION_SECOND_FACTOR] = "passkey"  # this session has just used the key
    messages.success(request, _("Sleutel “%(name)s” toegevoegd.") % {"name": key.name})
    return redirect("desk:account")


@require_POST
def passkey_delete(request: HttpRequest, passkey_id: int) -> HttpResponse:
    """Remove one of one's own keys (not the last second factor where the role needs one)."""
    user = actor(request)
    key = get_object_or_404(Passkey, pk=passkey_id, user=user)
    try:
        passkey_remove(key=key, by=user, source=client_address(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("desk:account")
    messages.success(request, _("Sleutel “%(name)s” verwijderd.") % {"name": key.name})
    return redirect("desk:account")


# --------------------------------------------------------------------------- signing in with a key


@login_not_required
@csrf_protect
@never_cache
@require_POST
def login_verify_options(request: HttpRequest) -> HttpResponse:
    """The options for the second step with one of the person's keys (JSON)."""
    found = pending_user(request)
    if found is None:
        return JsonResponse({"detail": _("Log opnieuw in.")}, status=400)
    user, _pending = found
    if password_step_refused(request, user.get_username()):
        return _locked()
    return _options(authentication_options(user=user, session=request.session))


@login_not_required
@csrf_protect
@never_cache
@require_POST
def login_verify_key(request: HttpRequest) -> HttpResponse:
    """The second step with a key: the session becomes the person's, or back to the code page."""
    found = pending_user(request)
    if found is None:
        messages.error(request, _("Log opnieuw in: de tijd voor de code is verstreken."))
        return redirect("login")
    user, pending = found
    if password_step_refused(request, user.get_username()):
        context = {"form": CodeForm(), "passkey": True, "app": factor_of(user) is not None}
        return refused(request, "web/login_verify.html", context)
    try:
        credential = request.POST.get("credential", "")
        authentication_finish(user=user, session=request.session, credential=credential)
    except PasskeyRefused:
        sign_in_failed(request, user.get_username(), step="passkey")
        messages.error(request, _("Deze sleutel is niet aanvaard. Probeer het opnieuw of gebruik een code."))
        return redirect("login_verify")
    complete_sign_in(request, user, pending, method="passkey")
    return redirect(safe_next(request, str(pending.get("next") or "")))


@login_not_required
@csrf_protect
@never_cache
@require_POST
def login_key_options(request: HttpRequest) -> HttpResponse:
    """The options for signing in with a key alone (any discoverable key of this desk; JSON)."""
    if _address_refused(request):
        return _locked()
    return _options(authentication_options(user=None, session=request.session))


@login_not_required
@csrf_protect
@never_cache
@require_POST
def login_key(request: HttpRequest) -> HttpResponse:
    """Sign in with a key alone: it must verify its user (a PIN, a fingerprint), being both factors."""
    credential = request.POST.get("credential", "")
    owner = credential_owner(credential)
    username = owner.get_username() if owner is not None else ""  # an unknown key: its address counts
    if password_step_refused(request, username) if owner is not None else _address_refused(request):
        return refused(request, "web/login.html", {"form": SignInForm(request)})
    try:
        key = authentication_finish(user=None, session=request.session, credential=credential)
    except PasskeyRefused:
        sign_in_failed(request, username, step="passkey")
        messages.error(request, _("Inloggen met deze sleutel is niet gelukt."))
        return redirect("login")
    user = key.user
    sign_in_method(request, "passkey")
    login(request, user, backend="gezien.accounts.kept.KeptPermissionsBackend")
    signed_in(request, user, method="passkey")
    return redirect(safe_next(request, request.POST.get("next", "")))


urls = [
    path("desk/account/2fa/passkeys/options/", passkey_options, name="account_passkey_options"),
    path("desk/account/2fa/passkeys/", passkey_add, name="account_passkey_add"),
    path("desk/account/2fa/passkeys/<id:passkey_id>/remove/", passkey_delete, name="account_passkey_remove"),
]
signin_urls = [
    path("login/verify/passkey/options/", login_verify_options, name="login_verify_passkey_options"),
    path("login/verify/passkey/", login_verify_key, name="login_verify_passkey"),
    path("login/passkey/options/", login_key_options, name="login_passkey_options"),
    path("login/passkey/", login_key, name="login_passkey"),
]
