"""The search index follows deletions made by any path, and never blocks Django's flush."""

from __future__ import annotations

import pytest
from django.db import connection

from reciprocite.knowledge.models import Sheet
from reciprocite.knowledge.search import index_sheet, search


def index_rows(sheet_id: int) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM knowledge_sheet_fts WHERE rowid = %s", [sheet_id])
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM knowledge_sheet_search WHERE sheet_id = %s", [sheet_id]
            )
        return cursor.fetchone()[0]


def make(ref: str, title: str, **kw) -> Sheet:
    sheet = Sheet.objects.create(ref=ref, title=title, status="published", **kw)
    index_sheet(sheet)
    return sheet


@pytest.mark.django_db
def test_a_translation_deleted_with_its_original_leaves_the_index():
    original = make("k-1", "Maison des femmes de Ziguinchor", language="fr")
    translation = make(
        "k-1-en", "Women's house of Ziguinchor", language="en", translation_of=original
    )
    assert index_rows(original.pk) == index_rows(translation.pk) == 1
    assert {h.ref for h in search("Ziguinchor").hits} == {"k-1", "k-1-en"}

    original.delete()  # the ORM's cascade deletes the translation too

    assert index_rows(original.pk) == index_rows(translation.pk) == 0
    assert search("Ziguinchor").hits == []


@pytest.mark.django_db(transaction=True)
def test_indexed_sheets_do_not_stop_the_database_from_being_flushed():
    # A transactional test ends with Django's flush (TRUNCATE on PostgreSQL): an index table
    # referencing knowledge_sheet would make it fail after this test.
    make("k-2", "Centre social de Kaolack")
    assert search("Kaolack").total == 1
