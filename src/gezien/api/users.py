"""/api/users (administrators): who signs in, with two-factor and lock state; unlock an account locked by
failed sign-ins, switch someone's two-factor sign-in off (a lost phone); list and remove someone's passkeys
(anyone their own). Docs: docs/security.md "Sign-in" and "Passkeys"."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from gezien.accounts import throttle
from gezien.accounts.models import Passkey, User
from gezien.accounts.signin import account_unlock, passkey_remove, second_factor_reset
from gezien.accounts.trail import trail
from gezien.accounts.twofactor import factor_required, users_with_factor
from gezien.api.auth import require_perm
from gezien.api.common import DbId, find_or_404
from gezien.api.schemas import PersonOut
from gezien.core.client import client_address

router = Router(tags=["users"])
MANAGE_USERS = "accounts.manage_users"


class UserSignInOut(PersonOut):
    role: str | None
    active: bool
    two_factor: bool
    two_factor_required: bool
    locked: bool

    @staticmethod
    def resolve_active(obj: User) -> bool:
        return obj.is_active

    @staticmethod
    def resolve_two_factor_required(obj: User) -> bool:
        return factor_required(obj)


class UnlockOut(Schema):
    id: int
    was_locked: bool


class TwoFactorResetOut(Schema):
    id: int
    was_on: bool


def _with_state(people: list[User]) -> list[User]:
    """The people with their two-factor and lock state read for all at once (two reads)."""
    locked = throttle.accounts_locked([person.get_username() for person in people])
    with_factor = users_with_factor([person.pk for person in people])
    for person in people:
        person.two_factor = person.pk in with_factor  # type: ignore[attr-defined]
        person.locked = person.get_username() in locked  # type: ignore[attr-defined]
    return people


@router.get("/users", response=list[UserSignInOut])
def list_users(request: HttpRequest) -> list[User]:
    """Everyone who signs in, by username, with their two-factor and lock state."""
    require_perm(request, MANAGE_USERS)
    people = list(User.objects.select_related("team").prefetch_related("groups").order_by("username"))
    return _with_state(people)


def _person(user_id: int) -> User:
    return find_or_404(User.objects.all(), user_id, _("Onbekende gebruiker."))


@router.post("/users/{user_id}/unlock", response=UnlockOut)
def unlock_user(request: HttpRequest, user_id: DbId) -> UnlockOut:
    """Clear the account's failed sign-ins: they may try again at once."""
    require_perm(request, MANAGE_USERS)
    person = _person(user_id)
    by = request.user if isinstance(request.user, User) else None
    was_locked = account_unlock(user=person, by=by, source=client_address(request))
    return UnlockOut(id=person.pk, was_locked=was_locked)


@router.post("/users/{user_id}/2fa/reset", response=TwoFactorResetOut)
def reset_two_factor(request: HttpRequest, user_id: DbId) -> TwoFactorResetOut:
    """Switch the person's two-factor sign-in off; their role may make them set it up again."""
    require_perm(request, MANAGE_USERS)
    person = _person(user_id)
    by = request.user if isinstance(request.user, User) else None
    was_on = second_factor_reset(user=person, by=by, source=client_address(request))
    return TwoFactorResetOut(id=person.pk, was_on=was_on)


class PasskeyOut(Schema):
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None


def _keys_owner(request: HttpRequest, user_id: int) -> tuple[User, User | None]:
    """The person whose keys are asked for (oneself, or anyone for who may manage people) and the asker."""
    by = request.user if isinstance(request.user, User) else None
    if by is None or by.pk != user_id:
        require_perm(request, MANAGE_USERS)
    return _person(user_id), by


@router.get("/users/{user_id}/passkeys", response=list[PasskeyOut])
def list_passkeys(request: HttpRequest, user_id: DbId) -> list[Passkey]:
    """The person's passkeys and security keys: name, when added, when last used (never the key)."""
    person, by = _keys_owner(request, user_id)
    keys = list(Passkey.objects.filter(user=person))
    if by is None or by.pk != person.pk:
        trail(
            action="user.passkeys_viewed",
            actor=by,
            source=client_address(request),
            subject=person,
            object_id=person.pk,
            details={"count": len(keys)},
        )
    return keys


@router.delete("/users/{user_id}/passkeys/{passkey_id}", response={204: None})
def delete_passkey(request: HttpRequest, user_id: DbId, passkey_id: DbId) -> Status[None]:
    """Remove one of the person's keys (a lost laptop). Nobody removes their own last second factor where
    their role needs one (422); an administrator may (they set one up at their next sign-in)."""
    person, by = _keys_owner(request, user_id)
    key = find_or_404(Passkey.objects.filter(user=person), passkey_id, _("Onbekende sleutel."))
    passkey_remove(key=key, by=by, source=client_address(request))
    return Status(204, None)
