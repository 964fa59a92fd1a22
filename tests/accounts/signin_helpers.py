"""What the sign-in tests share: a password hasher that counts its work, and the login form posted."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

PASSWORD = "geheim-wachtwoord-1"  # what the make_user fixture gives everyone


class CountingHasher(MD5PasswordHasher):
    """MD5 (quick) that counts every password it hashes or checks: a refused attempt must not reach it."""

    algorithm = "counted_md5"
    calls: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls.append("encode")
        return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        CountingHasher.calls.append("verify")
        return super().verify(password, encoded)


HASHER = f"{CountingHasher.__module__}.CountingHasher"


def post_login(client: Client, username: str, password: str, path: str = "/login/", **extra: Any) -> Any:
    return client.post(path, {"username": username, "password": password}, **extra)
