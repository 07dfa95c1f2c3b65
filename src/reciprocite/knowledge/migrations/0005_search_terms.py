"""PostgreSQL: how many indexed sheets hold each lexeme, kept by every index write, so a
query can leave out the terms nearly every sheet contains (SQLite reads the same from its
fts5vocab view, migration 0003)."""

from django.db import migrations


def create_terms(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TABLE IF NOT EXISTS knowledge_search_terms "
            "(term text PRIMARY KEY, docs integer NOT NULL)"
        )
        schema_editor.execute(
            "INSERT INTO knowledge_search_terms (term, docs) "
            "SELECT t, COUNT(*) FROM knowledge_sheet_search, "
            "unnest(tsvector_to_array(document)) AS t GROUP BY t "
            "ON CONFLICT (term) DO NOTHING"
        )


def drop_terms(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS knowledge_search_terms")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_search_state")]

    operations = [migrations.RunPython(create_terms, drop_terms)]
