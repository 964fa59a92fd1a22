"""The database refuses every UPDATE and DELETE of an audit entry, except the one update that seals an
unsealed entry into the chain (its `seq`, `prev_hash` and `hash`, nothing else). SQLite: triggers that
RAISE(ABORT); PostgreSQL: a trigger function. A later migration that rebuilds this table on SQLite
(Django copies it to a new table to alter a column) drops the triggers: it must create them again
(tests/audit/test_append_only.py fails if it does not)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CONTENT = (
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
)
SEALING = "OLD.seq IS NULL AND OLD.hash = '' AND OLD.prev_hash = '' AND NEW.seq IS NOT NULL AND NEW.hash <> ''"

SQLITE_CREATE = [
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry WHEN NOT ("
    + SEALING
    + "".join(f" AND NEW.{field} IS OLD.{field}" for field in CONTENT)
    + ") BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
]
_NEW = ", ".join(f"NEW.{field}" for field in CONTENT)
_OLD = ", ".join(f"OLD.{field}" for field in CONTENT)
POSTGRES_CREATE = [
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'UPDATE' AND {SEALING} AND ({_NEW}) IS NOT DISTINCT FROM ({_OLD}) THEN RETURN NEW; END IF; "
    "RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation'; "
    "END $$",
    "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
