"""Signed identities: a website that knows its visitor (logged in) passes their customer id or e-mail
with an HMAC-SHA256 of it under the widget's secret, as Intercom and Chatwoot do. The desk then
recognises the customer at once; without a valid signature nothing the visitor claims is trusted."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets

from gezien.chat.models import ChatWidget

SECRET_BYTES = 32


def secret_generate() -> str:
    return secrets.token_hex(SECRET_BYTES)


def secret_env_name(key: str) -> str:
    """`GEZIEN_CHAT_SECRET_<KEY>`: the key upper-cased, anything but letters and digits as `_`."""
    return "GEZIEN_CHAT_SECRET_" + re.sub(r"[^A-Z0-9]", "_", key.upper())


def widget_secret(widget: ChatWidget) -> str:
    """The secret that signs this widget's identities: from the environment when set there, else stored."""
    return os.environ.get(secret_env_name(widget.key), "") or widget.secret


def identity_hash(secret: str, value: str) -> str:
    """What the website computes: hex HMAC-SHA256 of the customer id or e-mail, keyed by the secret."""
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def identity_valid(widget: ChatWidget, value: str, given: str) -> bool:
    """Whether `given` is the signature of `value` (compared in constant time; no secret: never)."""
    secret = widget_secret(widget)
    if not secret or not isinstance(given, str):
        return False
    return hmac.compare_digest(identity_hash(secret, value).encode(), given.strip().lower().encode())
