"""Single sign-on with OpenID Connect (Microsoft Entra ID, Google, Keycloak, any conforming provider).

The authorization code flow with PKCE (S256), a state and a nonce: `oidc_start` makes the provider's
address and what the browser's session must keep; `oidc_finish` exchanges the code at the provider's
token endpoint and checks the ID token: its signature against the provider's published keys (the JWKS
named by its discovery document, fetched again once when a token names an unknown key, as after a key
rotation), the issuer, the audience (and `azp` when there are several), the expiry and the nonce.
`oidc_sign_in` then creates or updates the person: their role (and optionally team) follows the groups
in the token at every sign-in; someone in no mapped group is let in nowhere and keeps no role.

Only http(s) to a provider on the loopback address may go without TLS (the tests start one).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gezien.accounts.models import ROLE_ORDER, Role, SignOnIdentity, Team, User
from gezien.accounts.services import agent_set_role
from gezien.audit.log import audit_record
from gezien.core.errors import DomainError

if TYPE_CHECKING:
    from joserfc.jwk import KeySet

# joserfc (and the cryptography under it, ~19 MB per server process) is imported where an ID token is
# checked, not with this module: only desks with single sign-on need it.

logger = logging.getLogger(__name__)

TIMEOUT_S = 10.0
DISCOVERY_KEPT_S = 3600.0  # the discovery document and the keys are fetched again after an hour
LEEWAY_S = 60  # clock difference allowed on exp, iat and nbf
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384")


class SignOnFailed(DomainError):
    """The provider's answer could not be trusted or used (the reason is logged, not shown)."""

    status_code = 400


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    group_roles: Mapping[str, str]
    group_teams: Mapping[str, str]
    groups_claim: str
    scopes: str
    name: str


def oidc_settings() -> OidcSettings | None:
    """The configured provider, or None when single sign-on is off (no issuer)."""
    issuer = settings.GEZIEN_OIDC_ISSUER
    if not issuer:
        return None
    if not settings.GEZIEN_OIDC_CLIENT_ID:
        raise ImproperlyConfigured("GEZIEN_OIDC_ISSUER is set but GEZIEN_OIDC_CLIENT_ID is not")
    parts = urllib.parse.urlsplit(issuer)
    if parts.scheme != "https" and not (
        parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")
    ):
        raise ImproperlyConfigured(f"GEZIEN_OIDC_ISSUER must be an https address: {issuer!r}")
    unknown = sorted(set(settings.GEZIEN_OIDC_GROUP_ROLES.values()) - set(Role.values))
    if unknown:
        raise ImproperlyConfigured(f"GEZIEN_OIDC_GROUP_ROLES names unknown roles: {', '.join(unknown)}")
    return OidcSettings(
        issuer=issuer,
        client_id=settings.GEZIEN_OIDC_CLIENT_ID,
        client_secret=settings.GEZIEN_OIDC_CLIENT_SECRET,
        group_roles=dict(settings.GEZIEN_OIDC_GROUP_ROLES),
        group_teams=dict(settings.GEZIEN_OIDC_GROUP_TEAMS),
        groups_claim=settings.GEZIEN_OIDC_GROUPS_CLAIM or "groups",
        scopes=settings.GEZIEN_OIDC_SCOPES or "openid",
        name=settings.GEZIEN_OIDC_NAME or _provider_name(issuer),
    )


def _provider_name(issuer: str) -> str:
    host = urllib.parse.urlsplit(issuer).hostname or issuer
    if "microsoftonline" in host or host.endswith("microsoft.com"):
        return "Microsoft"
    if host == "accounts.google.com":
        return "Google"
    if "/realms/" in issuer:
        return "Keycloak"
    return host


# --- the provider: discovery and keys, fetched and kept per process ---------------------------------------


_lock = threading.Lock()
_fetched: dict[str, tuple[float, Any]] = {}  # url -> (monotonic time fetched, parsed JSON)


def _get_json(url: str, *, fresh: bool = False) -> Any:
    now = time.monotonic()
    with _lock:
        hit = _fetched.get(url)
    if hit is not None and not fresh and now - hit[0] < DISCOVERY_KEPT_S:
        return hit[1]
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 -- checked
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 -- http(s) only
            found = json.loads(response.read(1_000_000))
    except (OSError, ValueError) as error:
        raise SignOnFailed(_("De inlogdienst is niet bereikbaar."), field=url) from error
    with _lock:
        _fetched[url] = (now, found)
    return found


def _discovery(config: OidcSettings) -> dict[str, Any]:
    found = _get_json(config.issuer + "/.well-known/openid-configuration")
    if not isinstance(found, dict) or str(found.get("issuer", "")).rstrip("/") != config.issuer:
        raise SignOnFailed(_("De inlogdienst gaf een onverwacht antwoord."), field="issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        _check_url(found.get(key), key, config)
    return found


def _check_url(value: object, what: str, config: OidcSettings) -> str:
    parts = urllib.parse.urlsplit(str(value or ""))
    secure = parts.scheme == "https" or (
        parts.scheme == "http" and urllib.parse.urlsplit(config.issuer).scheme == "http"
    )
    if not isinstance(value, str) or not secure or not parts.netloc:
        raise SignOnFailed(_("De inlogdienst gaf een onverwacht antwoord."), field=what)
    return value


def _keys(discovery: Mapping[str, Any], *, fresh: bool = False) -> KeySet:
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    found = _get_json(str(discovery["jwks_uri"]), fresh=fresh)
    try:
        return KeySet.import_key_set(found)
    except (JoseError, KeyError, TypeError, ValueError) as error:
        raise SignOnFailed(_("De inlogdienst gaf een onverwacht antwoord."), field="jwks") from error


def oidc_forget() -> None:
    """Forget the fetched discovery documents and keys (a test's provider restarts with new keys)."""
    with _lock:
        _fetched.clear()


# --- the flow -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """What the browser's session keeps between the start and the callback."""

    state: str
    nonce: str
    verifier: str
    redirect_uri: str
    next: str

    def as_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


def oidc_start(config: OidcSettings, *, redirect_uri: str, next_url: str = "") -> tuple[str, Pending]:
    """The provider's address to send the browser to, and what to keep until it comes back."""
    discovery = _discovery(config)
    pending = Pending(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(64),
        redirect_uri=redirect_uri,
        next=next_url,
    )
    challenge = base64.urlsafe_b64encode(hashlib.sha256(pending.verifier.encode()).digest()).rstrip(b"=")
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": config.client_id,
            "redirect_uri": redirect_uri,
            "scope": config.scopes,
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": challenge.decode(),
            "code_challenge_method": "S256",
        }
    )
    endpoint = str(discovery["authorization_endpoint"])
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}", pending


def oidc_finish(config: OidcSettings, pending: Pending, *, code: str) -> dict[str, Any]:
    """Exchange `code` for tokens and return the checked claims of the ID token (`SignOnFailed`)."""
    discovery = _discovery(config)
    body = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": pending.redirect_uri,
            "code_verifier": pending.verifier,
            "client_id": config.client_id,
        }
    ).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    if config.client_secret:
        quote = functools.partial(urllib.parse.quote, safe="")
        pair = f"{quote(config.client_id)}:{quote(config.client_secret)}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    endpoint = str(discovery["token_endpoint"])  # http(s), checked by _discovery
    request = urllib.request.Request(endpoint, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 -- http(s) only
            answer = json.loads(response.read(1_000_000))
    except urllib.error.HTTPError as error:
        logger.warning("OIDC token endpoint refused the code: %s %.300r", error.code, error.read(300))
        raise SignOnFailed(_("De inlogdienst weigerde de aanmelding."), field="code") from error
    except (OSError, ValueError) as error:
        raise SignOnFailed(_("De inlogdienst is niet bereikbaar."), field="token_endpoint") from error
    id_token = answer.get("id_token") if isinstance(answer, dict) else None
    if not isinstance(id_token, str):
        raise SignOnFailed(_("De inlogdienst gaf geen ID-token."), field="id_token")
    return id_token_claims(config, discovery, id_token, nonce=pending.nonce)


def id_token_claims(
    config: OidcSettings, discovery: Mapping[str, Any], id_token: str, *, nonce: str
) -> dict[str, Any]:
    """The claims of a signed ID token, checked (`SignOnFailed`, with the reason logged)."""
    from joserfc import jwt
    from joserfc.errors import JoseError

    try:
        try:
            token = jwt.decode(id_token, _keys(discovery), algorithms=list(ALGORITHMS))
        except (JoseError, ValueError) as first:
            if "key" not in str(first).lower():
                raise
            token = jwt.decode(id_token, _keys(discovery, fresh=True), algorithms=list(ALGORITHMS))
        claims = token.claims
        registry = jwt.JWTClaimsRegistry(
            leeway=LEEWAY_S,
            iss={"essential": True, "value": config.issuer},
            sub={"essential": True},
            aud={"essential": True, "value": config.client_id},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        registry.validate(claims)
    except (JoseError, ValueError) as error:
        logger.warning("OIDC ID token refused: %s", error)
        raise SignOnFailed(_("Het ID-token van de inlogdienst is niet geldig."), field="id_token") from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != config.client_id:
        logger.warning("OIDC ID token refused: several audiences and azp %r", claims.get("azp"))
        raise SignOnFailed(_("Het ID-token van de inlogdienst is niet geldig."), field="azp")
    return claims


# --- the person ---------------------------------------------------------------------------------------


def _groups(config: OidcSettings, claims: Mapping[str, Any]) -> list[str]:
    found = claims.get(config.groups_claim)
    if isinstance(found, str):
        return [found]
    if isinstance(found, Sequence):
        return [str(group) for group in found if isinstance(group, str | int)]
    return []


def role_of(config: OidcSettings, groups: Sequence[str]) -> str | None:
    """The highest role the mapped groups give, or None."""
    roles = {config.group_roles[group] for group in groups if group in config.group_roles}
    return next((role for role in reversed(ROLE_ORDER) if role in roles), None)


def _username(claims: Mapping[str, Any]) -> str:
    wanted = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])[:140]
    taken = set(User.objects.filter(username__startswith=wanted).values_list("username", flat=True))
    if wanted not in taken:
        return wanted
    return next(f"{wanted}-{n}" for n in range(2, len(taken) + 3) if f"{wanted}-{n}" not in taken)


@dataclass(frozen=True)
class SignedOn:
    user: User | None  # None: someone new in no mapped group (nobody was made)
    created: bool
    role: str | None  # None: let nobody in (in no mapped group, or no longer)


def _audit(action: str, user: User | None, source: str, **details: str | None) -> None:
    audit_record(
        action=action,
        actor_id=user.pk if user is not None else None,
        actor_name=user.display_name if user is not None else "",
        source=source,
        object_type="user",
        object_id=user.pk if user is not None else "",
        details={"method": "oidc", **details},
    )


@transaction.atomic
def oidc_sign_in(config: OidcSettings, claims: Mapping[str, Any], *, source: str) -> SignedOn:
    """The person these checked claims name, created or updated: name, e-mail, role and team from the
    provider, every sign-in. Someone new in no mapped group: nobody is made; someone known who left
    every mapped group loses their role (their sessions and API tokens with it); someone made inactive in
    Gezien stays so, and keeps what they have. These are answered with `role` None and recorded as a
    refused login. `source`: the client's address, for the audit log."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    groups = _groups(config, claims)
    role = role_of(config, groups)
    identity = SignOnIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is None and role is None:
        _audit("user.login_failed", None, source, reason="no_mapped_group")
        return SignedOn(user=None, created=False, role=None)
    # Made inactive in Gezien: the provider's groups cannot undo that (nor give back a role meanwhile).
    if identity is not None and not identity.user.is_active:
        _audit("user.login_failed", identity.user, source, reason="inactive")
        return SignedOn(user=identity.user, created=False, role=None)
    created = identity is None
    if identity is None:
        user = User(username=_username(claims))
        user.set_unusable_password()
        user.save()
        identity = SignOnIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    user = identity.user
    before = None if created else user.role
    if role is None:
        user.groups.clear()
        if user.is_staff or user.is_superuser:
            user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
        if before is not None:
            _audit("user.role_change", user, source, **{"from": before, "to": None})
        _audit("user.login_failed", user, source, reason="no_mapped_group")
        return SignedOn(user=user, created=False, role=None)
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    user.email = str(claims.get("email") or user.email)[:254]
    user.is_staff = user.is_superuser = role == Role.ADMIN
    teams = [config.group_teams[group] for group in groups if group in config.group_teams]
    if teams:
        user.team, _made = Team.objects.get_or_create(name=teams[0][:100])
    user.save()
    agent_set_role(user=user, role=role)
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    if created:
        _audit("user.create", user, source, role=role)
    elif before != role:
        _audit("user.role_change", user, source, **{"from": before, "to": role})
    _audit("user.login", user, source)
    return SignedOn(user=user, created=created, role=role)
