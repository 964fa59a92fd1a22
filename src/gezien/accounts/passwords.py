"""The password policy: Django's validators (AUTH_PASSWORD_VALIDATORS) with a minimum length by role.

Team leads, managers, administrators and anyone who may open the admin site need at least
GEZIEN_PASSWORD_MIN_LENGTH_STAFF characters; everyone else GEZIEN_PASSWORD_MIN_LENGTH. A person not yet
saved (being created) is judged by the role they are about to get (`password_check(role=...)`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gezien.accounts.models import Role, User
from gezien.core.errors import Invalid

STAFF_ROLES = frozenset({Role.TEAMLEAD, Role.MANAGER, Role.ADMIN})


def _is_staff(user: Any) -> bool:
    if user is None:
        return False
    planned = getattr(user, "_planned_role", None)
    if planned is not None:
        return planned in STAFF_ROLES or bool(user.is_staff)
    role = user.role if isinstance(user, User) and user.pk else None
    return role in STAFF_ROLES or bool(getattr(user, "is_staff", False))


class RoleMinimumLengthValidator:
    """Django's MinimumLengthValidator, with a longer minimum for staff (see the module)."""

    def _minimum(self, user: Any) -> int:
        if _is_staff(user):
            return int(settings.GEZIEN_PASSWORD_MIN_LENGTH_STAFF)
        return int(settings.GEZIEN_PASSWORD_MIN_LENGTH)

    def validate(self, password: str, user: Any = None) -> None:
        minimum = self._minimum(user)
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "Dit wachtwoord is te kort: het moet minstens %(min_length)d teken bevatten.",
                    "Dit wachtwoord is te kort: het moet minstens %(min_length)d tekens bevatten.",
                    minimum,
                )
                % {"min_length": minimum},
                code="password_too_short",
                params={"min_length": minimum},
            )

    def get_help_text(self) -> str:
        return _(
            "Uw wachtwoord moet minstens %(min)d tekens bevatten (%(staff)d voor teamleiders, managers en "
            "beheerders)."
        ) % {"min": settings.GEZIEN_PASSWORD_MIN_LENGTH, "staff": settings.GEZIEN_PASSWORD_MIN_LENGTH_STAFF}


def password_check(password: str, *, user: User, role: str | None = None) -> None:
    """Raise `Invalid` (field "password", every reason in one message) when `password` breaks the policy
    for `user` (unsaved: pass the `role` they will get)."""
    if role is not None:
        user._planned_role = role  # type: ignore[attr-defined]
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from exc
    finally:
        if role is not None:
            del user._planned_role  # type: ignore[attr-defined]


def password_rules() -> list[str]:
    """The policy in words, for the forms that set a password."""
    return list(password_validation.password_validators_help_texts())
