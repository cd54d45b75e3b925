"""Search through two GIN indexes of core PostgreSQL, updated in place and repairable.

``parts`` (every ending of every word) replaces the trigram indexes for parts
of compound words, so they are dropped: the embedded server never had them,
and every server now finds "löfte" in "medborgarlöfte" through an index.
``digest`` lets a reindex leave unchanged entries alone; ``SearchPending``
remembers groups changed but not yet reindexed. Every group already in the
index is marked pending here, so ``manage.py search_check`` (run on start)
fills ``parts`` and ``digest`` in place.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

TRIGRAM_INDEXES = ["searchentry_title_trgm", "searchentry_body_trgm"]


def drop_trigram_and_mark_pending(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name in TRIGRAM_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute(
            "INSERT INTO core_searchpending (group_key, created_at) "
            "SELECT DISTINCT group_key, now() FROM core_searchentry "
            "ON CONFLICT (group_key) DO NOTHING"
        )


def restore_trigram(apps, schema_editor):
    import importlib

    importlib.import_module("core.migrations.0002_trigram_where_available").create(
        apps, schema_editor
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_trigram_where_available"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchPending",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("group_key", models.CharField(max_length=60, unique=True, verbose_name="grupp")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="skapad")),
            ],
            options={
                "verbose_name": "sökgrupp att indexera",
                "verbose_name_plural": "sökgrupper att indexera",
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.AddField(
            model_name="searchentry",
            name="digest",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="kontrollsumma"
            ),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="parts",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="ordens delar"
            ),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["parts"], name="searchentry_parts_gin"
            ),
        ),
        migrations.RunPython(drop_trigram_and_mark_pending, restore_trigram),
    ]
