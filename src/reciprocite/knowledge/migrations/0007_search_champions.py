"""Champion lists (both databases): for each frequent term, the sheets that score best on it
alone, kept current by every index write (knowledge.search.champions). A query whose ranked
terms all have a list ranks over those few hundred rows instead of every match.

- knowledge_search_champions: one row per (term, sheet) in a list, with the sheet's score
  on that term alone (SQLite: BM25's term-frequency part, without the idf; PostgreSQL:
  ts_rank of the single lexeme).
- knowledge_search_champion_terms: one row per list — how many entries it holds, its
  *floor* (the best (score, sheet) left out of it; NULL when it holds every sheet with the
  term) and, on SQLite, the average sheet length its scores were computed with.
- knowledge_search_state.champion_writes: index writes since the frequent terms were last
  looked for (lists for newly frequent terms are built every so many writes).

The lists are empty here; `knowledge.search.rebuild()` (or `champions.promote()`) builds
them for the terms of an existing index."""

from django.db import migrations

CREATE = [
    "CREATE TABLE IF NOT EXISTS knowledge_search_champions ("
    "term text NOT NULL, sheet_id integer NOT NULL, score double precision NOT NULL, "
    "PRIMARY KEY (term, sheet_id))",
    "CREATE INDEX IF NOT EXISTS knowledge_search_champions_sheet "
    "ON knowledge_search_champions (sheet_id)",
    "CREATE TABLE IF NOT EXISTS knowledge_search_champion_terms ("
    "term text PRIMARY KEY, entries integer NOT NULL, floor_score double precision NULL, "
    "floor_id integer NULL, avgdl double precision NOT NULL DEFAULT 0, "
    "docs integer NOT NULL DEFAULT 0)",
    "ALTER TABLE knowledge_search_state ADD COLUMN champion_writes integer NOT NULL DEFAULT 0",
]


def create(apps, schema_editor):
    for statement in CREATE:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS knowledge_search_champions")
    schema_editor.execute("DROP TABLE IF EXISTS knowledge_search_champion_terms")
    schema_editor.execute("ALTER TABLE knowledge_search_state DROP COLUMN champion_writes")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0006_search_head")]

    operations = [migrations.RunPython(create, drop)]
