"""Speed up substring search with pg_trgm where the server has it.

The embedded PostgreSQL (pgserver) ships no contrib extensions, so this is
optional: without it, search still finds parts of compound words with ILIKE,
only without an index.
"""

from django.db import migrations

INDEXES = [
    ("searchentry_title_trgm", "title"),
    ("searchentry_body_trgm", "body"),
]


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        cursor.execute("SAVEPOINT trgm")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # no privilege to create extensions: run without the index
            cursor.execute("ROLLBACK TO SAVEPOINT trgm")
            return
        for name, column in INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON core_searchentry "
                f"USING gin ({column} gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_search_entries")]

    operations = [migrations.RunPython(create, drop)]
