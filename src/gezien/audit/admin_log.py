"""Every save and deletion through the Django admin site (people, roles, teams, tokens, settings) is
written to the audit log too. The admin reports each action to its `ModelAdmin.log_addition`,
`log_change` and `log_deletions` (with the request at hand, so who and from where); `admin_log_hook`
(called once from `AuditConfig.ready`) adds one audit entry to each: one per admin action, not a signal
per row. The entry names the model and the fields changed, never their values."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.admin import ModelAdmin
from django.http import HttpRequest

from gezien.audit.log import audit_from_request

# Admin models whose audit name is not their model's name.
_OBJECTS = {"auth.group": "role", "accounts.apitoken": "token"}


def _fields(message: Any) -> str:
    """The names of the fields an admin change touched (the admin's JSON change message), never values."""
    if isinstance(message, str):
        try:
            message = json.loads(message) if message.startswith("[") else []
        except ValueError:
            return ""
    names: list[str] = []
    for part in message if isinstance(message, list) else []:
        for kind in ("changed", "added", "deleted"):
            names += [str(name) for name in (part.get(kind) or {}).get("fields", [])]
    return ",".join(names)[:200]


def _record(
    admin: ModelAdmin[Any], request: HttpRequest, verb: str, objects: list[Any], message: Any
) -> None:
    label = admin.model._meta.label_lower
    audit_from_request(
        request,
        action=f"{_OBJECTS.get(label, admin.model._meta.model_name)}.{verb}",
        object_type=label,
        object_id=",".join(str(obj.pk) for obj in objects)[:64],
        details={"admin": True, "count": len(objects), "fields": _fields(message)},
    )


def admin_log_hook() -> None:
    """Wrap the admin's three log methods, once."""
    if getattr(ModelAdmin, "_audit_hooked", False):
        return
    add: Callable[..., Any] = ModelAdmin.log_addition
    change: Callable[..., Any] = ModelAdmin.log_change
    deletions: Callable[..., Any] = ModelAdmin.log_deletions

    def log_addition(self: ModelAdmin[Any], request: HttpRequest, obj: Any, message: Any) -> Any:
        result = add(self, request, obj, message)
        _record(self, request, "create", [obj], message)
        return result

    def log_change(self: ModelAdmin[Any], request: HttpRequest, obj: Any, message: Any) -> Any:
        result = change(self, request, obj, message)
        _record(self, request, "update", [obj], message)
        return result

    def log_deletions(self: ModelAdmin[Any], request: HttpRequest, queryset: Iterable[Any]) -> Any:
        objects = list(queryset)
        result = deletions(self, request, objects)
        _record(self, request, "delete", objects, "")
        return result

    ModelAdmin.log_addition = log_addition  # type: ignore[method-assign]
    ModelAdmin.log_change = log_change  # type: ignore[method-assign]
    ModelAdmin.log_deletions = log_deletions  # type: ignore[method-assign]
    ModelAdmin._audit_hooked = True  # type: ignore[attr-defined]
