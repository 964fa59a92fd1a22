"""OAuth 2 access tokens for XOAUTH2 (Microsoft 365, Google Workspace): a fixed token from the
environment, or one refreshed from a refresh token when it has (nearly) expired.

For a mailbox `support` and IMAP (SMTP alike, with `SMTP` for `IMAP`):
- `GEZIEN_MAIL_SUPPORT_IMAP_TOKEN`: an access token as it is (it expires after about an hour: fine for a
  test, not for a desk that runs for weeks); or
- `GEZIEN_MAIL_SUPPORT_IMAP_TOKEN_URL`, `..._CLIENT_ID`, `..._CLIENT_SECRET` (may be empty for a public
  client), `..._REFRESH_TOKEN` and optionally `..._SCOPE`: the token is fetched from the token URL with
  the refresh-token grant (RFC 6749 section 6) when first needed and again a minute before it expires.
  A new refresh token in the answer (Microsoft rotates them) is used from then on, in this process; or
- the same without `..._REFRESH_TOKEN` but with a client secret and a scope: the client-credentials grant
  (RFC 6749 section 4.4; Microsoft 365's app-only access, `https://outlook.office365.com/.default`).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gezien.mail.servers import Kind, _env

_EARLY_SECONDS = 60  # refresh this long before the token expires
_TIMEOUT_SECONDS = 30


class TokenError(Exception):
    """The token URL refused the refresh token, or could not be reached."""


@dataclass
class _Token:
    access_token: str
    expires_at: float
    refresh_token: str


_tokens: dict[tuple[str, Kind], _Token] = {}
_lock = threading.Lock()


def oauth_refreshes(mailbox: str, kind: Kind) -> bool:
    """Whether this mailbox's server gets its token from a token URL (refresh token or client secret)."""
    has_grant = _env(mailbox, kind, "REFRESH_TOKEN") or _env(mailbox, kind, "CLIENT_SECRET")
    return bool(_env(mailbox, kind, "TOKEN_URL") and has_grant)


def oauth_token(mailbox: str, kind: Kind, *, fixed: str = "") -> str:
    """The access token to sign in with: refreshed when configured, else `fixed` (the URL's or the
    environment's `..._TOKEN`)."""
    if not oauth_refreshes(mailbox, kind):
        return fixed
    with _lock:
        token = _tokens.get((mailbox, kind))
        if token is None or token.expires_at - _EARLY_SECONDS <= time.time():
            refresh = token.refresh_token if token else _env(mailbox, kind, "REFRESH_TOKEN")
            token = _refresh(mailbox, kind, refresh)
            _tokens[(mailbox, kind)] = token
        return token.access_token


def oauth_forget(mailbox: str, kind: Kind) -> None:
    """Drop the cached access token (the server refused it): the next sign-in refreshes it."""
    with _lock:
        token = _tokens.get((mailbox, kind))
        if token is not None:
            token.expires_at = 0.0


def _refresh(mailbox: str, kind: Kind, refresh_token: str) -> _Token:
    form = {"client_id": _env(mailbox, kind, "CLIENT_ID")}
    if refresh_token:
        form.update(grant_type="refresh_token", refresh_token=refresh_token)
    else:
        form["grant_type"] = "client_credentials"
    for field, what in (("client_secret", "CLIENT_SECRET"), ("scope", "SCOPE")):
        value = _env(mailbox, kind, what)
        if value:
            form[field] = value
    url = _env(mailbox, kind, "TOKEN_URL")
    if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
        raise TokenError(_("Het token-adres moet met https:// beginnen."))
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=urllib.parse.urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read())
    except urllib.error.HTTPError as error:
        detail = error.read()[:300].decode("utf-8", "replace")
        raise TokenError(
            _("Het token-adres antwoordde %(status)s: %(detail)s") % {"status": error.code, "detail": detail}
        ) from None
    except (OSError, ValueError) as error:
        raise TokenError(_("Het token-adres is niet bereikbaar: %(error)s") % {"error": error}) from None
    access = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(access, str) or not access:
        raise TokenError(_("Het token-adres gaf geen access_token."))
    expires_in = answer.get("expires_in", 3600)
    try:
        lifetime = float(expires_in)
    except (TypeError, ValueError):
        lifetime = 3600.0
    rotated = answer.get("refresh_token")
    return _Token(
        access_token=access,
        expires_at=time.time() + lifetime,
        refresh_token=rotated if isinstance(rotated, str) and rotated else refresh_token,
    )
