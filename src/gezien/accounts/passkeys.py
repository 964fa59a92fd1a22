"""Passkeys and security keys (WebAuthn, through py_webauthn): registered on "Mijn account", a second
factor instead of the authenticator app's code, and a sign-in of their own where the key is discoverable
and verifies its user (a PIN, a fingerprint).

The relying party is GEZIEN_BASE_URL: its host is the rp id, its scheme://host[:port] the one origin a
response may come from. Each ceremony's challenge is made here, kept in the person's session with what it
is for (and for whom) and when it was made, and taken out of the session by the first answer, right or
wrong: a challenge works once, and for `CHALLENGE_SECONDS` at most. An assertion is checked against the
key's public key, the expected challenge, origin and rp id, and the key's signature counter: a counter
that did not go up (a cloned key) is refused. The authenticator is asked to verify its user ("preferred");
a sign-in without a password requires it.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from gezien.accounts.models import Passkey, User
from gezien.desksettings.store import desk_setting

SESSION_CHALLENGE = "gezien_webauthn"
CHALLENGE_SECONDS = 120
NAME_MAX = 80
REGISTER, SECOND_STEP, SIGN_IN = "register", "second-step", "sign-in"


class PasskeyRefused(Exception):
    """A WebAuthn answer that proves nothing: no (or a used, expired, other) challenge, a wrong origin or
    rp id, an unknown key, another person's key, a bad signature, a counter that did not go up."""


@dataclass(frozen=True)
class RelyingParty:
    id: str
    origin: str
    name: str


def relying_party() -> RelyingParty:
    """The relying party from GEZIEN_BASE_URL (see the module)."""
    parts = urlsplit(str(desk_setting("base_url")))
    return RelyingParty(
        id=parts.hostname or "localhost",
        origin=f"{parts.scheme}://{parts.netloc}",
        name=str(settings.GEZIEN_2FA_ISSUER),
    )


def _remember(
    session: MutableMapping[str, Any], purpose: str, challenge: bytes, user: User | None, handle: str = ""
) -> None:
    session[SESSION_CHALLENGE] = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "user": user.pk if user is not None else None,
        "handle": handle,
        "at": int(time.time()),
    }


def _take(session: MutableMapping[str, Any], purpose: str, user: User | None) -> tuple[bytes, str]:
    """The challenge of the ceremony `purpose` begun for `user` (and the user handle a registration
    offered), taken out of the session: used once."""
    kept = session.pop(SESSION_CHALLENGE, None)
    if not isinstance(kept, dict) or kept.get("purpose") != purpose:
        raise PasskeyRefused("no challenge for this")
    if time.time() - int(kept.get("at", 0)) > CHALLENGE_SECONDS:
        raise PasskeyRefused("the challenge expired")
    if kept.get("user") != (user.pk if user is not None else None):
        raise PasskeyRefused("the challenge was for someone else")
    return base64url_to_bytes(str(kept["challenge"])), str(kept.get("handle") or "")


def _descriptor(key: Passkey) -> PublicKeyCredentialDescriptor:
    transports = []
    for name in filter(None, key.transports.split(",")):
        try:
            transports.append(AuthenticatorTransport(name))
        except ValueError:
            continue
    return PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id), transports=transports)


def _user_handle(user: User) -> str:
    """The random user.id of the person's keys (the same for all: one account on a key), never the pk."""
    existing = Passkey.objects.filter(user=user).values_list("user_handle", flat=True).first()
    return existing or bytes_to_base64url(secrets.token_bytes(32))


def registration_options(*, user: User, session: MutableMapping[str, Any]) -> str:
    """The options for `navigator.credentials.create` (JSON), the challenge kept in the session."""
    party = relying_party()
    handle = _user_handle(user)
    options = generate_registration_options(
        rp_id=party.id,
        rp_name=party.name,
        user_name=user.get_username(),
        user_id=base64url_to_bytes(handle),
        user_display_name=user.display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[_descriptor(key) for key in Passkey.objects.filter(user=user)],
        timeout=CHALLENGE_SECONDS * 1000,
    )
    _remember(session, REGISTER, options.challenge, user, handle)
    return str(options_to_json(options))


def _parsed(credential: str) -> dict[str, Any]:
    try:
        parsed = json.loads(credential)
    except (ValueError, TypeError) as exc:
        raise PasskeyRefused("not JSON") from exc
    if not isinstance(parsed, dict):
        raise PasskeyRefused("not a credential")
    return parsed


@transaction.atomic
def registration_finish(
    *, user: User, session: MutableMapping[str, Any], credential: str, name: str
) -> Passkey:
    """Check the browser's answer to `registration_options` and keep the new key under `name`."""
    challenge, handle = _take(session, REGISTER, user)
    party = relying_party()
    try:
        verified = verify_registration_response(
            credential=_parsed(credential),
            expected_challenge=challenge,
            expected_rp_id=party.id,
            expected_origin=party.origin,
        )
    except WebAuthnException as exc:
        raise PasskeyRefused(str(exc)) from exc
    credential_id = bytes_to_base64url(verified.credential_id)
    if Passkey.objects.filter(credential_id=credential_id).exists():
        raise PasskeyRefused("this key is registered already")
    transports = _parsed(credential).get("response", {}).get("transports") or []
    return Passkey.objects.create(
        user=user,
        name=" ".join(name.split())[:NAME_MAX] or "Passkey",
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        user_handle=handle,
        transports=",".join(str(t) for t in transports if isinstance(t, str))[:200],
    )


def authentication_options(*, user: User | None, session: MutableMapping[str, Any]) -> str:
    """The options for `navigator.credentials.get` (JSON): the person's keys for the second step, or any
    discoverable key of this desk (`user` None) for a sign-in without a password."""
    allowed = [_descriptor(key) for key in Passkey.objects.filter(user=user)] if user is not None else []
    verification = UserVerificationRequirement
    options = generate_authentication_options(
        rp_id=relying_party().id,
        allow_credentials=allowed,
        user_verification=verification.PREFERRED if user is not None else verification.REQUIRED,
        timeout=CHALLENGE_SECONDS * 1000,
    )
    _remember(session, SECOND_STEP if user is not None else SIGN_IN, options.challenge, user)
    return str(options_to_json(options))


def credential_owner(credential: str) -> User | None:
    """Whose key the answer names (not checked yet: to count a failure against the right account)."""
    try:
        key_id = str(_parsed(credential).get("id", ""))
    except PasskeyRefused:
        return None
    key = Passkey.objects.filter(credential_id=key_id).select_related("user").first()
    return key.user if key is not None else None


@transaction.atomic
def authentication_finish(
    *, user: User | None, session: MutableMapping[str, Any], credential: str
) -> Passkey:
    """Check the browser's answer to `authentication_options`: the key used (its counter and last use
    written), of `user` (the second step) or of whoever it belongs to (`user` None: a sign-in of its own,
    which needs the authenticator to have verified its user)."""
    challenge, _handle = _take(session, SECOND_STEP if user is not None else SIGN_IN, user)
    answer = _parsed(credential)
    key = Passkey.objects.select_for_update().filter(credential_id=str(answer.get("id", ""))).first()
    if key is None or (user is not None and key.user_id != user.pk):
        raise PasskeyRefused("not a key of this person")
    if user is None:
        handle = (answer.get("response") or {}).get("userHandle")
        if handle != key.user_handle or not key.user.is_active:
            raise PasskeyRefused("the key's user handle does not match")
    party = relying_party()
    try:
        verified = verify_authentication_response(
            credential=answer,
            expected_challenge=challenge,
            expected_rp_id=party.id,
            expected_origin=party.origin,
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
            require_user_verification=user is None,
        )
    except WebAuthnException as exc:
        raise PasskeyRefused(str(exc)) from exc
    key.sign_count = verified.new_sign_count
    key.last_used_at = timezone.now()
    key.save(update_fields=["sign_count", "last_used_at"])
    return key


def has_passkey(user: User) -> bool:
    return Passkey.objects.filter(user=user).exists()


def passkeys_of(user: User) -> list[Passkey]:
    return list(Passkey.objects.filter(user=user))
