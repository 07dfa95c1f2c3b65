"""The full-text index of experience sheets (knowledge.search).

SQLite: an FTS5 table whose rowid is the sheet id; its columns hold text already folded and
stemmed by knowledge.search.text (FTS5 has no French stemmer).
PostgreSQL: the `fr_unaccent` text search configuration (unaccent, then the French Snowball
stemmer) and a side table of weighted tsvectors with a GIN index.

The side table has no foreign key to knowledge_sheet: Django's flush (tests) truncates only
its models' tables, and PostgreSQL refuses to truncate a table another one references. Rows
of deleted sheets are removed by knowledge.search.remove_sheet (services, and a post_delete
receiver for deletions by cascade or in the admin); queries only ever read index rows whose
id is among the sheets they select.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_sheet_fts USING fts5("
    "title, summary, learned, meta, body, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS knowledge_sheet_fts"

PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION fr_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END
    $$
    """,
    """
    CREATE TABLE IF NOT EXISTS knowledge_sheet_search (
        sheet_id bigint PRIMARY KEY,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS knowledge_sheet_search_gin "
    "ON knowledge_sheet_search USING GIN (document)",
]
PG_DROP = ["DROP TABLE IF EXISTS knowledge_sheet_search"]


def create_index(apps, schema_editor):
    statements = [SQLITE_CREATE] if schema_editor.connection.vendor == "sqlite" else PG_CREATE
    if schema_editor.connection.vendor not in ("sqlite", "postgresql"):
        return
    for sql in statements:
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        for sql in PG_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
