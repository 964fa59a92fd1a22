"""Signing in: the password step with its throttle, the second step, and what a session knows about how
it was signed in.

A session records how its person signed in (`SESSION_SECOND_FACTOR`): "totp", "recovery" or "passkey"
(both steps through the login form, or a passkey that verified its user on its own), "none" (a password,
and no second factor set up), or a method another sign-in set before calling `login()` with
`sign_in_method` (single sign-on: "oidc", whose provider does its own second step). A `login()` that
said nothing (a test's `force_login`, a future path that forgot) gets "unverified" when the person has a
second factor, and the desk's middleware signs such a session out.
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from gezien.accounts import throttle
from gezien.accounts.models import Passkey, User
from gezien.accounts.trail import trail
from gezien.accounts.twofactor import factor_of, factor_remove, factor_required, has_factor
from gezien.core.client import client_address
from gezien.core.errors import Invalid

SESSION_SECOND_FACTOR = "gezien_2fa"
SESSION_SEEN = "gezien_seen"  # when the person last made a request of their own (the idle timeout)
VERIFIED = frozenset({"totp", "recovery", "passkey"})
_METHOD_ATTRIBUTE = "_gezien_sign_in_method"


def sign_in_method(request: HttpRequest, method: str) -> None:
    """Say how the person about to be signed in (the next `login()` on this request) proved who they are."""
    setattr(request, _METHOD_ATTRIBUTE, method)


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **_kwargs: Any) -> None:
    """`user_logged_in`: write the sign-in method into the new session (see the module)."""
    if request is None or not hasattr(request, "session") or not isinstance(user, User):
        return
    method = getattr(request, _METHOD_ATTRIBUTE, None)
    if method is None:
        method = "unverified" if has_factor(user) else "none"
    request.session[SESSION_SECOND_FACTOR] = method
    request.session[SESSION_SEEN] = int(time.time())


def password_step_refused(request: HttpRequest, username: str) -> throttle.Refusal | None:
    """Whether sign-in for `username` from this request's address is refused now (no password checked)."""
    return throttle.login_refused(username, client_address(request))


def sign_in_failed(request: HttpRequest, username: str, *, step: str) -> None:
    """Count a failed attempt (the password, or the second step) and write it to the audit log, with
    `user.locked` when this failure reached the limit. Only an existing account's id is written: a typed
    username that is no account may be a password typed in the wrong field."""
    address = client_address(request)
    user = User.objects.filter(username=username).first()
    trail(
        action="user.login_failed",
        actor=None,  # whoever typed it: not known to be the account's owner
        source=address,
        subject=user,
        details={"step": step, "known_account": user is not None},
    )
    locked = throttle.login_failure_count(username, address)
    if locked is None:
        return
    if locked.account and user is not None:
        trail(action="user.locked", actor=None, source=address, subject=user, details={"by": "account"})
    if locked.address:
        trail(
            action="user.locked",
            actor=None,
            source=address,
            object_type="client_address",
            object_id=address or "-",
            details={"by": "address"},
        )


def signed_in(request: HttpRequest, user: User, *, method: str) -> None:
    """After `login()`: clear the account's failures and write the sign-in to the audit log."""
    throttle.login_success(user.get_username())
    trail(action="user.login", actor=user, source=client_address(request), details={"method": method})


def account_unlock(*, user: User, by: User | None, source: str) -> bool:
    """Clear the person's failed sign-ins (an administrator's unlock); whether they were locked."""
    was_locked = throttle.login_unlock(user.get_username())
    trail(
        action="user.unlocked",
        actor=by,
        source=source,
        subject=user,
        object_id=user.pk,
        details={"was_locked": was_locked},
    )
    return was_locked


def second_factor_reset(*, user: User, by: User | None, source: str) -> bool:
    """Switch the person's two-factor sign-in off (an administrator's reset, or their own choice where
    their role does not need it); whether it was on. They set it up again at their next sign-in when
    their role needs it."""
    was_on = factor_remove(user=user)
    if was_on:
        trail(action="user.2fa_disabled", actor=by, source=source, subject=user, object_id=user.pk)
    return was_on


def passkey_added(*, key: Passkey, source: str) -> None:
    """Write a newly registered passkey to the audit log."""
    trail(
        action="user.passkey_added",
        actor=key.user,
        source=source,
        object_type="passkey",
        object_id=key.pk,
        details={"name": key.name},
    )


def passkey_remove(*, key: Passkey, by: User | None, source: str) -> None:
    """Remove a passkey (its person's choice, or an administrator's). A person whose role needs two-factor
    sign-in cannot remove their own last second factor; an administrator can (as with `second_factor_reset`:
    they set one up again at their next sign-in)."""
    owner = key.user
    if by is not None and by.pk == owner.pk and factor_required(owner):
        others = Passkey.objects.filter(user=owner).exclude(pk=key.pk).exists()
        if not others and factor_of(owner) is None:
            raise Invalid(
                _("Uw rol vereist tweestapsverificatie: dit is uw laatste sleutel. Stel eerst een andere in.")
            )
    trail(
        action="user.passkey_removed",
        actor=by,
        source=source,
        subject=owner,
        object_type="passkey",
        object_id=key.pk,
        details={"name": key.name, "user": owner.pk},
    )
    key.delete()
