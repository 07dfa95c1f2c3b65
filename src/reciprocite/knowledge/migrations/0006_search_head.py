"""PostgreSQL: a second, small tsvector per sheet — the title, summary, learned and metadata
lexemes only (weights A, B, C of `document`, without the body's D) — with its own GIN
index. Queries on very common words rank over it first: it is a fraction of the size of the
full document and not TOASTed, so ts_rank reads far less per match (see
docs/knowledge-search.md). Filled here from the existing documents; index writes fill both.
SQLite needs nothing: FTS5 restricts a match to columns with a column filter."""

from django.db import migrations


def add_head(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE knowledge_sheet_search ADD COLUMN IF NOT EXISTS head tsvector"
        )
        schema_editor.execute(
            "UPDATE knowledge_sheet_search SET head = ts_filter(document, '{a,b,c}')"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS knowledge_sheet_search_head_gin "
            "ON knowledge_sheet_search USING GIN (head)"
        )


def drop_head(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS knowledge_sheet_search_head_gin")
        schema_editor.execute("ALTER TABLE knowledge_sheet_search DROP COLUMN IF EXISTS head")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_search_terms")]

    operations = [migrations.RunPython(add_head, drop_head)]
