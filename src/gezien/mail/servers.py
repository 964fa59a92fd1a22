"""A mailbox's servers as URLs: `imaps://user:pass@host:993/INBOX`, `smtp+starttls://user:pass@host:587`.

Schemes: `imap` (plain, for a server on 127.0.0.1 only in practice), `imap+starttls`, `imaps`; `smtp`,
`smtp+starttls`, `smtps`; and `file:///folder` for SMTP, which writes each outgoing mail as an `.eml`
file there (the demo's local receiver). `?auth=xoauth2` signs in with an OAuth 2 access token instead of
a password (Microsoft 365, Google Workspace). A user name, password or token left out of the URL comes
from the environment: `GEZIEN_MAIL_<MAILBOX>_<IMAP|SMTP>_<USER|PASSWORD|TOKEN>` (mailbox name upper-cased,
`-` as `_`), so secrets need not be stored in the database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from django.utils.translation import gettext as _

from gezien.core.errors import Invalid

Kind = Literal["imap", "smtp"]
Security = Literal["ssl", "starttls", "plain", "file"]

_SCHEMES: dict[Kind, dict[str, tuple[Security, int]]] = {
    "imap": {"imap": ("plain", 143), "imap+starttls": ("starttls", 143), "imaps": ("ssl", 993)},
    "smtp": {
        "smtp": ("plain", 25),
        "smtp+starttls": ("starttls", 587),
        "smtps": ("ssl", 465),
        "file": ("file", 0),
    },
}


@dataclass(frozen=True)
class MailServer:
    kind: Kind
    security: Security
    host: str
    port: int
    user: str
    password: str  # the password, or the access token when auth is "xoauth2"
    auth: Literal["password", "xoauth2", "none"]
    folder: str  # IMAP: the folder to read ("INBOX" when none is named); file: the folder to write to

    def display(self) -> str:
        """The URL without its secret, for screens and logs."""
        if self.security == "file":
            return f"file://{self.folder}"
        scheme = next(s for s, (sec, _p) in _SCHEMES[self.kind].items() if sec == self.security)
        user = f"{self.user}@" if self.user else ""
        folder = f"/{self.folder}" if self.kind == "imap" else ""
        auth = "?auth=xoauth2" if self.auth == "xoauth2" else ""
        return f"{scheme}://{user}{self.host}:{self.port}{folder}{auth}"


def _env(mailbox: str, kind: Kind, what: str) -> str:
    name = f"GEZIEN_MAIL_{mailbox.upper().replace('-', '_')}_{kind.upper()}_{what}"
    return os.environ.get(name, "")


def server_parse(url: str, *, kind: Kind, mailbox: str = "") -> MailServer:
    """Read a server URL; raise `Invalid` (field `<kind>_url`) when it cannot be used."""
    field = f"{kind}_url"
    try:
        parts = urlsplit(url.strip())
        port_given = parts.port
    except ValueError as error:
        raise Invalid(
            _("Dit is geen geldige serveradres: %(error)s") % {"error": error}, field=field
        ) from None
    known = _SCHEMES[kind]
    if parts.scheme not in known:
        raise Invalid(
            _("Gebruik een adres dat begint met %(schemes)s.")
            % {"schemes": ", ".join(f"{s}://" for s in known)},
            field=field,
        )
    security, default_port = known[parts.scheme]
    if security == "file":
        folder = unquote(parts.path)
        if not folder.startswith("/"):
            raise Invalid(_("Geef een volledig pad, zoals file:///var/mail/uit."), field=field)
        return MailServer(kind, "file", "", 0, "", "", "none", folder)
    if not parts.hostname:
        raise Invalid(_("Er staat geen server in het adres."), field=field)
    query = parse_qs(parts.query)
    auth_asked = (query.get("auth") or ["password"])[0].lower()
    if auth_asked not in ("password", "xoauth2"):
        raise Invalid(_("auth kan alleen password of xoauth2 zijn."), field=field)
    user = unquote(parts.username or "") or _env(mailbox, kind, "USER")
    if auth_asked == "xoauth2":
        secret = unquote(parts.password or "") or _env(mailbox, kind, "TOKEN")
    else:
        secret = unquote(parts.password or "") or _env(mailbox, kind, "PASSWORD")
    auth: Literal["password", "xoauth2", "none"] = "none" if not user else auth_asked  # type: ignore[assignment]
    folder = unquote(parts.path.lstrip("/")) or "INBOX" if kind == "imap" else ""
    return MailServer(kind, security, parts.hostname, port_given or default_port, user, secret, auth, folder)


def xoauth2_string(user: str, token: str) -> bytes:
    """The SASL XOAUTH2 initial response (not yet base64-encoded) for IMAP AUTHENTICATE and SMTP AUTH."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()
