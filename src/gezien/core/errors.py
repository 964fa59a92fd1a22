"""Typed domain errors. Services raise these; the API and the views turn them into 4xx answers."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses; `message` is for people, `field` names the input at fault."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    status_code = 422


class Forbidden(DomainError):
    status_code = 403


class TooMany(DomainError):
    """Too many requests: answered 429 with `Retry-After: retry_after` (whole seconds)."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class Unavailable(DomainError):
    """Something the request needs is not there or not reachable now (an outside system): 503."""

    status_code = 503
