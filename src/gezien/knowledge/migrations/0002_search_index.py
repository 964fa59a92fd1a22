"""The articles' full-text index, for the database in use (see gezien.knowledge.search):

- SQLite: an FTS5 table of lemmas (rowid = article id), written by the services;
- PostgreSQL: a tsvector column (`dutch` configuration) with a GIN index, written by the services.

Neither is a model field (the other database has no such type), so makemigrations never sees them.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE knowledge_article_fts USING fts5("
    "title, keywords, body, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS knowledge_article_fts"
POSTGRES_CREATE = [
    "ALTER TABLE knowledge_article ADD COLUMN search_vector tsvector",
    "CREATE INDEX knowledge_article_search ON knowledge_article USING gin (search_vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS knowledge_article_search",
    "ALTER TABLE knowledge_article DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [SQLITE_CREATE])
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_CREATE)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [SQLITE_DROP])
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
