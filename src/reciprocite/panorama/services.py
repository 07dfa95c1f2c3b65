"""Writes of the panorama: the figures table (``models.PartnershipFigure``) kept current.

How the figures follow the registry (``core.changes``, the one hook for derived data):

1. The registry's services (and its imports and admin, which write past them) announce the
   partnerships they write under ``registry.services.PARTNERSHIPS``, inside the writing
   transaction.
2. ``apps.PanoramaConfig.ready`` subscribes ``figures_refresh``: once that transaction
   commits, the figures of exactly those partnerships are computed again (a few grouped
   queries over their projects only, about 2 ms a partnership), in the writer's process.
   A rolled-back transaction refreshes nothing.
3. A write that bypasses the services and announces nothing (raw SQL, a database restore,
   a bulk load) is followed by ``figures_rebuild``: every figure computed again,
   set-based (about 0.5–1 s for 100k projects on SQLite) — ``reciprocite manage
   derived_rebuild`` runs it (with every other derived table's rebuild).

The panorama's selectors only read the table: a read never writes. Refreshes and rebuilds
are serialised (``_lock``): two of them deleting and inserting the same rows would
collide on the table's unique constraint.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from reciprocite.registry.models import Project
from reciprocite.registry.selectors import budget_band_sql

from .models import PartnershipFigure

# Partnerships refreshed per statement (bound parameters stay well under the limits).
CHUNK = 500
# The key of the PostgreSQL advisory lock serialising refreshes and rebuilds.
LOCK_KEY = zlib.crc32(b"reciprocite.panorama.figures")


def _tables() -> tuple[str, str, str]:
    # table names come from the models' metadata, never from input
    return (
        Project._meta.db_table,
        Project.themes.through._meta.db_table,
        PartnershipFigure._meta.db_table,
    )


def _statements(partnership_ids: list[int] | None) -> list[tuple[str, list[Any]]]:
    """INSERT … SELECT statements computing the figures of these partnerships (all when
    None)."""
    project, link, figure = _tables()
    band, band_params = budget_band_sql("p")
    where, where_params = "p.deleted_at IS NULL", []
    if partnership_ids is not None:
        where += " AND p.partnership_id IN (" + ", ".join(["%s"] * len(partnership_ids)) + ")"
        where_params = list(partnership_ids)
    into = f"INSERT INTO {figure} (partnership_id, scope, kind, item, projects, budget) "
    none = "CAST(NULL AS NUMERIC)"
    return [
        # every alive project: its count, its band, its themes
        (
            into + f"SELECT p.partnership_id, '', 'count', '', COUNT(*), {none} "  # noqa: S608 (table names from the models' metadata)
            f"FROM {project} p WHERE {where} GROUP BY p.partnership_id",
            where_params,
        ),
        (
            into + "SELECT partnership_id, '', 'band', band, COUNT(*), SUM(budget_amount) "  # noqa: S608 (table names from the models' metadata)
            f"FROM (SELECT p.partnership_id, {band} AS band, p.budget_amount "
            f"FROM {project} p WHERE {where}) b WHERE band <> '' GROUP BY partnership_id, band",
            band_params + where_params,
        ),
        (
            into + f"SELECT p.partnership_id, '', 'theme', l.theme_id, COUNT(*), {none} "  # noqa: S608 (table names from the models' metadata)
            f"FROM {link} l JOIN {project} p ON p.id = l.project_id WHERE {where} "
            "GROUP BY p.partnership_id, l.theme_id",
            where_params,
        ),
        # the same within each theme's projects (scope = the theme)
        (
            into + f"SELECT p.partnership_id, l.theme_id, 'count', '', COUNT(*), {none} "  # noqa: S608 (table names from the models' metadata)
            f"FROM {link} l JOIN {project} p ON p.id = l.project_id WHERE {where} "
            "GROUP BY p.partnership_id, l.theme_id",
            where_params,
        ),
        (
            into + "SELECT partnership_id, scope, 'band', band, COUNT(*), SUM(budget_amount) "  # noqa: S608 (table names from the models' metadata)
            f"FROM (SELECT p.partnership_id, l.theme_id AS scope, {band} AS band, "
            f"p.budget_amount FROM {link} l JOIN {project} p ON p.id = l.project_id "
            f"WHERE {where}) b WHERE band <> '' GROUP BY partnership_id, scope, band",
            band_params + where_params,
        ),
        (
            into + f"SELECT p.partnership_id, l.theme_id, 'theme', o.theme_id, COUNT(*), {none} "  # noqa: S608 (table names from the models' metadata)
            f"FROM {link} l JOIN {link} o ON o.project_id = l.project_id "
            f"JOIN {project} p ON p.id = l.project_id WHERE {where} "
            "GROUP BY p.partnership_id, l.theme_id, o.theme_id",
            where_params,
        ),
    ]


def _execute(statements: list[tuple[str, list[Any]]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _lock() -> None:
    """Waits for any other refresh or rebuild to end (until the current transaction ends):
    PostgreSQL's transaction-level advisory lock. SQLite needs none: its writing
    transactions run one at a time (``IMMEDIATE`` in our settings)."""
    if connection.vendor == "postgresql":
        _execute([("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])])


@transaction.atomic
def figures_refresh(partnership_ids: Iterable[int]) -> int:
    """Computes the figures of these partnerships again, from the committed projects;
    returns how many. Idempotent: the subscriber of ``registry.partnerships``."""
    ids = sorted({int(pid) for pid in partnership_ids})
    if not ids:
        return 0
    _lock()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        PartnershipFigure.objects.filter(partnership_id__in=chunk).delete()
        _execute(_statements(chunk))
    return len(ids)


@transaction.atomic
def figures_rebuild() -> None:
    """Computes every figure again, set-based: after writes that announced nothing."""
    _lock()
    PartnershipFigure.objects.all().delete()
    _execute(_statements(None))
    if connection.vendor == "postgresql":
        # fresh statistics: planned with none, the sums sort 100k rows on disk (4x slower)
        _execute([(f"ANALYZE {_tables()[2]}", [])])
