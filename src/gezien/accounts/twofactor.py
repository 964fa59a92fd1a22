"""Two-factor sign-in: time-based one-time passwords (TOTP, RFC 6238: HMAC-SHA1, 6 digits, 30 s steps,
what every authenticator app speaks) and ten one-time recovery codes.

Set-up: `factor_begin` makes a secret (shown as a QR code drawn here, never sent anywhere), `factor_confirm`
takes the first code from the app, switches the factor on and returns the recovery codes (shown once; only
their SHA-256 is kept: they are 60 random bits each, so a fast hash is enough). At sign-in `factor_verify`
takes a code from the app (this step or the one before or after it, for a phone's clock; never a step
used before) or an unused recovery code. A passkey (accounts.passkeys) is a second factor too: `has_factor`
counts either. An administrator switches it all off with `factor_remove`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gezien.accounts.models import Passkey, RecoveryCode, SecondFactor, User

STEP_SECONDS = 30
DIGITS = 6
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper


def totp_at(secret: str, step: int) -> str:
    """The code of time step `step` (RFC 4226's HOTP over the step counter)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def current_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def _matching_step(secret: str, code: str, after: int) -> int | None:
    """The step (now, one before or one after) whose code `code` is, if later than `after`."""
    now = current_step()
    for step in (now, now - 1, now + 1):
        if step > after and hmac.compare_digest(totp_at(secret, step), code):
            return step
    return None


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _recovery_hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{_clean(code)}".encode()).hexdigest()


def factor_of(user: User) -> SecondFactor | None:
    """The person's confirmed factor, or None."""
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def has_factor(user: User) -> bool:
    """Whether the person has a second factor: a confirmed authenticator app or a passkey."""
    return (
        SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()
        or Passkey.objects.filter(user=user).exists()
    )


def users_with_factor(user_ids: list[int] | None = None) -> set[int]:
    """The ids of the people (of `user_ids`; None: everyone) with a second factor (two reads)."""
    apps = SecondFactor.objects.filter(confirmed_at__isnull=False)
    keys = Passkey.objects.all()
    if user_ids is not None:
        apps, keys = apps.filter(user_id__in=user_ids), keys.filter(user_id__in=user_ids)
    return set(apps.values_list("user_id", flat=True)) | set(keys.values_list("user_id", flat=True))


@transaction.atomic
def factor_begin(*, user: User) -> SecondFactor:
    """The person's factor being set up (made with a new secret when there is none): the confirmed one
    when it is on already."""
    existing = SecondFactor.objects.filter(user=user).order_by("confirmed_at").first()
    if existing is not None:
        return existing
    secret = base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")
    return SecondFactor.objects.create(user=user, secret=secret)


def provisioning_uri(factor: SecondFactor) -> str:
    """The otpauth:// address authenticator apps read from the QR code."""
    issuer = settings.GEZIEN_2FA_ISSUER
    label = quote(f"{issuer}:{factor.user.get_username()}")
    query = urlencode({"secret": factor.secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"


def qr_svg(factor: SecondFactor) -> str:
    """The provisioning address as an inline SVG QR code (drawn here: the secret goes nowhere else)."""
    return str(segno.make(provisioning_uri(factor), error="m").svg_inline(scale=4, border=2, title="QR"))


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(4)) for _ in range(3))
        for _ in range(RECOVERY_CODES)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(user.pk, c)) for c in codes
    )
    return codes


@transaction.atomic
def factor_confirm(*, user: User, code: str) -> list[str] | None:
    """Switch the set-up factor on with a first code from the app: the new recovery codes (shown once), or
    None when the code is wrong (or no set-up was begun)."""
    factor = SecondFactor.objects.select_for_update().filter(user=user).order_by("confirmed_at").first()
    if factor is None:
        return None
    step = _matching_step(factor.secret, _clean(code), factor.last_step)
    if step is None:
        return None
    SecondFactor.objects.filter(user=user).exclude(pk=factor.pk).delete()
    factor.confirmed_at = timezone.now()
    factor.last_step = step
    factor.save(update_fields=["confirmed_at", "last_step"])
    return _new_recovery_codes(user)


@transaction.atomic
def factor_verify(*, user: User, code: str) -> str | None:
    """Check a sign-in's second step: "totp" (a code from the app, each at most once), "recovery" (an
    unused recovery code, now used up), or None."""
    factor = SecondFactor.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if factor is None:
        return None
    cleaned = _clean(code)
    if cleaned.isdigit() and len(cleaned) == DIGITS:
        step = _matching_step(factor.secret, cleaned, factor.last_step)
        if step is None:
            return None
        factor.last_step = step
        factor.save(update_fields=["last_step"])
        return "totp"
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(user.pk, cleaned), used_at__isnull=True
    ).update(used_at=timezone.now())
    return "recovery" if used else None


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new recovery codes (the old ones stop working)."""
    return _new_recovery_codes(user)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def factor_remove(*, user: User) -> bool:
    """Switch two-factor sign-in off for `user` (lost phone, left the company): the authenticator app,
    the recovery codes and every passkey; whether it was on."""
    was_on = has_factor(user)
    SecondFactor.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    Passkey.objects.filter(user=user).delete()
    return was_on


def factor_required(user: User) -> bool:
    """Whether the person's role needs two-factor sign-in (GEZIEN_2FA_REQUIRED_ROLES)."""
    required = settings.GEZIEN_2FA_REQUIRED_ROLES
    return bool(required) and user.role in required
