"""A one-row table holding the search index's version: every index write sets it to a new
random number in the writing transaction, so cached counts and rankings keyed on it are
never served for another state of the index (and a rolled-back write restores it)."""

from django.db import migrations

CREATE = (
    "CREATE TABLE IF NOT EXISTS knowledge_search_state "
    "(id integer PRIMARY KEY, version bigint NOT NULL)"
)


def create_state(apps, schema_editor):
    schema_editor.execute(CREATE)
    schema_editor.execute("INSERT INTO knowledge_search_state (id, version) VALUES (1, 0)")


def drop_state(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS knowledge_search_state")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_search_vocab")]

    operations = [migrations.RunPython(create_state, drop_state)]
