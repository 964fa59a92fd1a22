"""A small OpenID Connect provider on 127.0.0.1 for the single sign-on tests, built on the same JOSE
library as the desk (joserfc): a discovery document, its keys (JWKS), an authorize endpoint that signs
the next person in at once (no login form: the test says who), and a token endpoint that checks the
client's secret, the code (once), the redirect address and the PKCE verifier, and answers an RS256 ID
token. `tamper` makes the next ID token wrong in one way: "signature", "nonce", "audience", "expired".
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

LOOPBACK = "127.0.0.1"


class Provider:
    def __init__(self, client_id: str = "gezien-desk", client_secret: str = "provider-geheim") -> None:  # noqa: S107
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "sleutel-1", "use": "sig", "alg": "RS256"})
        self.person: dict[str, Any] = {}
        self.tamper: str | None = None
        self.codes: dict[str, dict[str, Any]] = {}
        self.refused: list[str] = []  # why the token endpoint said no
        self._server = ThreadingHTTPServer((LOOPBACK, 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://{LOOPBACK}:{self._server.server_address[1]}"

    def start(self) -> Provider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def rotate(self) -> None:
        """A new signing key under a new key id (the old one is no longer published)."""
        kid = secrets.token_hex(4)
        self.key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})

    def visit(self, address: str) -> str:
        """Follow the browser to `address` on this provider: where it sends the browser back to."""
        parts = urlsplit(address)
        conn = http.client.HTTPConnection(LOOPBACK, parts.port, timeout=10)
        try:
            conn.request("GET", f"{parts.path}?{parts.query}")
            response = conn.getresponse()
            response.read()
            assert response.status == 302, response.status
            return str(response.getheader("Location"))
        finally:
            conn.close()

    # --- what the endpoints answer ----------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict[str, str]) -> str:
        assert query["response_type"] == "code" and query["client_id"] == self.client_id
        assert query["code_challenge_method"] == "S256" and "openid" in query["scope"].split()
        code = secrets.token_urlsafe(16)
        self.codes[code] = {**query, "person": dict(self.person)}
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if authorization != f"Basic {expected}":
            self.refused.append("client")
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            self.refused.append("code")
            return 400, {"error": "invalid_grant"}
        if challenge.rstrip(b"=").decode() != grant["code_challenge"]:
            self.refused.append("pkce")
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **grant["person"],
        }
        key = self.key
        if self.tamper == "signature":
            key = RSAKey.generate_key(2048, parameters={"kid": self.key.kid or ""})
        elif self.tamper == "nonce":
            claims["nonce"] = "een-andere-nonce"
        elif self.tamper == "audience":
            claims["aud"] = "een-andere-app"
        elif self.tamper == "expired":
            claims["iat"], claims["exp"] = now - 900, now - 600
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, key)
        return 200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "id_token": id_token}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _json(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/.well-known/openid-configuration":
                    self._json(200, provider.discovery())
                elif parts.path == "/jwks":
                    self._json(200, KeySet([provider.key]).as_dict())
                elif parts.path == "/authorize":
                    self.send_response(302)
                    self.send_header("Location", provider.authorize(query))
                    self.end_headers()
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path != "/token":
                    self._json(404, {"error": "not_found"})
                    return
                self._json(*provider.token(form, self.headers.get("Authorization", "")))

        return Handler
