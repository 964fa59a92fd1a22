"""Signing in and one's own account: the login form (also the admin site's) with its throttle and second
step, setting up two-factor sign-in, "Mijn account" (password, two-factor), the password reset by mail,
and the administrators' page of people (unlock, switch two-factor off)."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gezien.accounts import throttle
from gezien.accounts.models import Role, User
from gezien.accounts.oidc import oidc_settings
from gezien.accounts.passkeys import has_passkey, passkeys_of
from gezien.accounts.passwords import password_rules
from gezien.accounts.roles import desk_people
from gezien.accounts.signin import (
    SESSION_SECOND_FACTOR,
    account_unlock,
    password_step_refused,
    second_factor_reset,
    sign_in_failed,
    sign_in_method,
    signed_in,
)
from gezien.accounts.trail import trail
from gezien.accounts.twofactor import (
    factor_begin,
    factor_confirm,
    factor_of,
    factor_required,
    factor_verify,
    has_factor,
    qr_svg,
    recovery_codes_left,
    recovery_codes_renew,
    users_with_factor,
)
from gezien.core.client import client_address
from gezien.desksettings.store import desk_setting
from gezien.web.views.common import actor, requires

PENDING = "gezien_2fa_pending"  # the person who passed the password step and owes the second
PENDING_SECONDS = 300
CODES_SHOWN = "gezien_recovery_codes"  # new recovery codes, shown once on the next page
MANAGE_USERS = "accounts.manage_users"


def _locked_message() -> str:
    return _(
        "Te veel mislukte pogingen om in te loggen. Probeer het over %(n)d minuten opnieuw, of vraag een "
        "beheerder om uw account te ontgrendelen."
    ) % {"n": throttle.window_seconds() // 60}


def refused(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The form again with the lock's message, answered 429 with Retry-After."""
    response = render(request, template, {**context, "locked": _locked_message()}, status=429)
    response["Retry-After"] = str(throttle.window_seconds())
    return response


class SignInForm(AuthenticationForm):
    """Django's login form, refused before the password is checked while the account or the client
    address is locked; a failed attempt is counted (accounts.signin)."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        if self.request is not None and password_step_refused(self.request, username):
            raise ValidationError(_locked_message(), code="locked")
        try:
            return super().clean()
        except ValidationError:
            if self.request is not None and username and self.cleaned_data.get("password"):
                sign_in_failed(self.request, username, step="password")
            raise


def safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


class SignInView(auth_views.LoginView):
    """The password step; a person with a second factor goes on to `login_verify` before the session is
    theirs. Also the admin site's login (its own form would skip the throttle and the second step)."""

    form_class = SignInForm
    template_name = "web/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        config = oidc_settings()  # "Inloggen met <naam>" when single sign-on is configured
        context["sso_name"] = config.name if config is not None else ""
        return context

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS, "locked"):
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(throttle.window_seconds())
            return response
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        assert isinstance(user, User)
        next_url = self.get_success_url()
        if has_factor(user):  # an authenticator app or a passkey
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": getattr(user, "backend", ""),
                "at": int(time.time()),
                "next": next_url,
            }
            return redirect("login_verify")
        sign_in_method(self.request, "none")
        login(self.request, user)
        signed_in(self.request, user, method="password")
        return redirect(next_url)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """The person who passed the password step in this session and owes the second (for 5 minutes)."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, pending) if user is not None else None


def complete_sign_in(request: HttpRequest, user: User, pending: dict[str, Any], *, method: str) -> None:
    """The second step passed with `method`: the session becomes the person's."""
    request.session.pop(PENDING, None)
    backend = str(pending.get("backend") or "gezien.accounts.kept.KeptPermissionsBackend")
    sign_in_method(request, method)
    login(request, user, backend=backend)
    signed_in(request, user, method=f"password+{method}")


@login_not_required
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    found = pending_user(request)
    if found is None:
        request.session.pop(PENDING, None)
        messages.error(request, _("Log opnieuw in: de tijd voor de code is verstreken."))
        return redirect("login")
    user, pending = found
    form = CodeForm(request.POST or None)
    context = {"form": form, "passkey": has_passkey(user), "app": factor_of(user) is not None}
    if request.method == "POST":
        if password_step_refused(request, user.get_username()):
            return refused(request, "web/login_verify.html", context)
        if form.is_valid():
            method = factor_verify(user=user, code=form.cleaned_data["code"])
            if method is not None:
                complete_sign_in(request, user, pending, method=method)
                if method == "recovery":
                    left = recovery_codes_left(user)
                    messages.warning(
                        request,
                        _("U logde in met een herstelcode; er zijn er nog %(n)d over.") % {"n": left},
                    )
                return redirect(safe_next(request, str(pending.get("next") or "")))
            sign_in_failed(request, user.get_username(), step="2fa")
            form.add_error("code", _("Deze code klopt niet. Probeer de volgende code uit de app."))
            if password_step_refused(request, user.get_username()):
                return refused(request, "web/login_verify.html", context)
    return render(request, "web/login_verify.html", context)


# --------------------------------------------------------------------------- two-factor set-up


@never_cache
def account_2fa(request: HttpRequest) -> HttpResponse:
    """Set up two-factor sign-in: scan the QR code, confirm with a first code; the recovery codes follow.
    People whose role needs it are sent here before anything else."""
    user = actor(request)
    codes = request.session.pop(CODES_SHOWN, None)
    if codes:
        return render(request, "web/account_codes.html", {"codes": codes})
    factor = factor_begin(user=user)
    if factor.confirmed_at is not None:
        return redirect("desk:account")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_codes = factor_confirm(user=user, code=form.cleaned_data["code"])
        if new_codes is not None:
            request.session[SESSION_SECOND_FACTOR] = "totp"  # this session has just shown a code
            trail(action="user.2fa_enabled", actor=user, source=client_address(request))
            request.session[CODES_SHOWN] = new_codes
            return redirect("desk:account_2fa")
        form.add_error(
            "code", _("Deze code klopt niet. Kijk of de tijd op uw telefoon klopt en probeer opnieuw.")
        )
    required = factor_required(user)
    return render(
        request,
        "web/account_2fa.html",
        {"form": form, "qr": qr_svg(factor), "secret": factor.secret, "required": required, "name_max": 80},
    )


# --------------------------------------------------------------------------- Mijn account


def _account_page(request: HttpRequest, form: PasswordChangeForm, status: int = 200) -> HttpResponse:
    user = actor(request)
    factor = factor_of(user)
    return render(
        request,
        "web/account.html",
        {
            "form": form,
            "rules": password_rules(),
            "factor": factor,
            "codes_left": recovery_codes_left(user) if factor else 0,
            "required": factor_required(user),
            "passkeys": passkeys_of(user),
        },
        status=status,
    )


class PasswordForm(PasswordChangeForm):
    field_order = ["old_password", "new_password1", "new_password2"]


@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def account(request: HttpRequest) -> HttpResponse:
    """Mijn account: change one's password; two-factor sign-in's state, new recovery codes, switch it off
    (where the role does not need it)."""
    user = actor(request)
    form = PasswordForm(user, request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _account_page(request, form, status=422)
        form.save()
        update_session_auth_hash(request, user)  # this session stays; every other one of theirs ends
        trail(action="user.password_change", actor=user, source=client_address(request))
        messages.success(request, _("Uw wachtwoord is gewijzigd."))
        return redirect("desk:account")
    return _account_page(request, form)


@require_POST
def account_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes (the old ones stop working), shown once."""
    user = actor(request)
    if factor_of(user) is None:
        return redirect("desk:account_2fa")
    request.session[CODES_SHOWN] = recovery_codes_renew(user=user)
    return redirect("desk:account_2fa")


@require_POST
def account_2fa_off(request: HttpRequest) -> HttpResponse:
    """Switch one's own two-factor sign-in off; refused where the role needs it."""
    user = actor(request)
    if factor_required(user):
        messages.error(request, _("Uw rol vereist tweestapsverificatie; u kunt die niet uitzetten."))
        return redirect("desk:account")
    second_factor_reset(user=user, by=user, source=client_address(request))
    request.session[SESSION_SECOND_FACTOR] = "none"
    messages.success(request, _("Tweestapsverificatie staat uit."))
    return redirect("desk:account")


# --------------------------------------------------------------------------- password reset by mail


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "web/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        response = super().form_valid(form)
        user = form.user
        assert isinstance(user, User)
        throttle.login_unlock(user.get_username())  # the mailbox proved who they are
        trail(action="user.password_reset", actor=user, source=client_address(self.request))
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "rules": password_rules()}


class PasswordReset(auth_views.PasswordResetView):
    """Django's: a mail with a link that works once (for an active account with that address; the page
    says the same whether there is one, so it tells nobody which addresses are known). The link starts
    with GEZIEN_BASE_URL, not with whatever Host the request named. At most GEZIEN_RESET_MAIL_MAX_PER_HOUR
    mails an hour per address typed and per client address (`throttle.reset_mail_allowed`); beyond that
    the same page, and no mail."""

    template_name = "web/password_reset.html"
    email_template_name = "web/signin_mail/password_reset.txt"
    subject_template_name = "web/signin_mail/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = str(form.cleaned_data.get("email") or "")
        if not throttle.reset_mail_allowed(email, client_address(self.request)):
            trail(
                action="user.password_reset_limited",
                actor=None,
                source=client_address(self.request),
                object_type="client_address",
                object_id=client_address(self.request) or "-",
            )
            return redirect(self.get_success_url())  # the same page as a mail sent: nothing to learn
        self.extra_email_context = {"base_url": desk_setting("base_url").rstrip("/")}
        return super().form_valid(form)


password_reset = login_not_required(PasswordReset.as_view())
password_reset_done = login_not_required(
    auth_views.PasswordResetDoneView.as_view(template_name="web/password_reset_done.html")
)
password_reset_confirm = login_not_required(PasswordResetConfirm.as_view())
password_reset_complete = login_not_required(
    auth_views.PasswordResetCompleteView.as_view(template_name="web/password_reset_complete.html")
)


# --------------------------------------------------------------------------- people (administrators)


@requires(MANAGE_USERS)
def users(request: HttpRequest) -> HttpResponse:
    """Everyone who signs in: role, team, two-factor, locked; unlock, switch two-factor off."""
    people = list(User.objects.select_related("team").prefetch_related("groups").order_by("username"))
    locked = throttle.accounts_locked([person.get_username() for person in people])
    with_factor = users_with_factor()
    rows = [
        {
            "person": person,
            "role": Role(person.role).label if person.role else "—",
            "locked": person.get_username() in locked,
            "two_factor": person.pk in with_factor,
            "required": factor_required(person),
        }
        for person in people
    ]
    return render(request, "web/users.html", {"rows": rows, "desk_people": desk_people().count()})


@require_POST
@requires(MANAGE_USERS)
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    account_unlock(user=person, by=actor(request), source=client_address(request))
    messages.success(request, _("%(name)s kan weer inloggen.") % {"name": person.display_name})
    return redirect("desk:users")


@require_POST
@requires(MANAGE_USERS)
def user_2fa_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    if second_factor_reset(user=person, by=actor(request), source=client_address(request)):
        messages.success(
            request,
            _(
                "Tweestapsverificatie van %(name)s staat uit; bij de volgende keer inloggen stelt die het "
                "opnieuw in."
            )
            % {"name": person.display_name},
        )
    return redirect("desk:users")


admin_login = SignInView.as_view(extra_context={"admin_site": True})

urls = [
    path("desk/account/", account, name="account"),
    path("desk/account/2fa/", account_2fa, name="account_2fa"),
    path("desk/account/2fa/codes/", account_codes, name="account_codes"),
    path("desk/account/2fa/off/", account_2fa_off, name="account_2fa_off"),
    path("desk/users/", users, name="users"),
    path("desk/users/<id:user_id>/unlock/", user_unlock, name="user_unlock"),
    path("desk/users/<id:user_id>/2fa/reset/", user_2fa_reset, name="user_2fa_reset"),
]
# Outside the desk's namespace: Django's auth views and the admin site find them by these names.
signin_urls = [
    path("login/", SignInView.as_view(), name="login"),
    path("login/verify/", login_verify, name="login_verify"),
    path("login/reset/", password_reset, name="password_reset"),
    path("login/reset/sent/", password_reset_done, name="password_reset_done"),
    path("login/reset/<uidb64>/<token>/", password_reset_confirm, name="password_reset_confirm"),
    path("login/reset/done/", password_reset_complete, name="password_reset_complete"),
    path("admin/login/", admin_login, name="admin_login"),
]
