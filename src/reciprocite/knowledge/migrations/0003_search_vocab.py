"""SQLite: an fts5vocab view of the search index, so a query can look up how many sheets
contain each of its terms and leave out the terms nearly every sheet contains."""

from django.db import migrations


def create_vocab(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_sheet_fts_vocab "
            "USING fts5vocab(knowledge_sheet_fts, row)"
        )


def drop_vocab(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS knowledge_sheet_fts_vocab")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]

    operations = [migrations.RunPython(create_vocab, drop_vocab)]
