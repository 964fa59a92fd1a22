"""The audit log as rows: the CSV export (desk), the JSON lines of `gezien audit list --json`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from gezien.audit.models import AuditEntry

AUDIT_CSV_HEADER = (
    "id",
    "at",
    "actor_id",
    "actor_name",
    "source",
    "action",
    "object_type",
    "object_id",
    "customer_id",
    "details",
    "hash",
)


def entry_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "at": timezone.localtime(entry.at).isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "source": entry.source,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "customer_id": entry.customer_id,
        "details": entry.details,
        "hash": entry.hash,
    }


def audit_csv_rows(entries: Iterable[AuditEntry]) -> Iterator[list[Any]]:
    for entry in entries:
        row = entry_dict(entry)
        row["details"] = json.dumps(entry.details, sort_keys=True, ensure_ascii=False)
        yield [row[name] for name in AUDIT_CSV_HEADER]
